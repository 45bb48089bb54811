package io.backstream.events;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic with the settings its payload needs, and the code that makes a broker have them.
 *
 * <p>Compaction is what lets {@link Topics#RUNS_STATE}, {@link Topics#RUNS_PROGRESS} and
 * {@link Topics#RUNS_CHECKPOINTS} serve as tables (the latest record per run is kept forever);
 * the big-record topics get a {@code max.message.bytes} above their largest record. A broker's
 * auto-created topic gets none of this, so every service calls {@link #ensure} at start-up: it
 * creates what is missing and sets the configs of what exists (whoever created it first).
 * Where an operator owns the topics (Strimzi's {@code KafkaTopic}s), services are told not to.
 */
public final class TopicSetup {

    /** One topic's settings. */
    public record Definition(String name, int partitions, Map<String, String> configs) {}

    /** Above the contract's largest record: a 4,096-image batch (12.6 MB), a checkpoint (≤ ~2.5 MB), a snapshot (~0.6 MB). */
    public static final String LARGE_RECORDS = Integer.toString(16 * 1024 * 1024);

    private static final Map<String, String> DELETE = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
    /**
     * Compacted tables: the active segment is never compacted, so roll it every 10 minutes (or 64 MB)
     * and clean once a tenth is stale; otherwise every checkpoint (up to ~2.5 MB, one per 10 s per run)
     * would stay for the default week.
     */
    private static final Map<String, String> COMPACT = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.SEGMENT_MS_CONFIG, "600000",
            TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(64 * 1024 * 1024),
            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1");

    /** Every topic of {@link Topics#ALL}, one partition each (the local default; a cluster's manifests may use more). */
    public static final List<Definition> DEFINITIONS = List.of(
            new Definition(Topics.TRAINING_LOSS, 1, DELETE),
            new Definition(Topics.EVALUATION_RESULTS, 1, DELETE),
            new Definition(Topics.TRAINING_BATCHES, 1, with(DELETE, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, LARGE_RECORDS)),
            // the evaluator replays every test set from the start: keep them (chunks share a key, so no compaction)
            new Definition(Topics.DATASET_TESTSET, 1, with(with(DELETE, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, LARGE_RECORDS),
                    TopicConfig.RETENTION_MS_CONFIG, "-1")),
            new Definition(Topics.MODEL_SNAPSHOTS, 1, with(DELETE, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, LARGE_RECORDS)),
            new Definition(Topics.RUNS_CONTROL, 1, DELETE),
            new Definition(Topics.RUNS_STATE, 1, COMPACT),
            new Definition(Topics.RUNS_PROGRESS, 1, COMPACT),
            new Definition(Topics.RUNS_CHECKPOINTS, 1, with(COMPACT, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, LARGE_RECORDS)),
            new Definition(Topics.TRAINING_DEADLETTER, 1, DELETE));

    private TopicSetup() {}

    /**
     * Creates the missing topics of {@code definitions} and sets the listed configs on existing ones.
     *
     * @throws IllegalStateException naming the broker and the topic when that fails within {@code timeoutMs}
     */
    public static void ensure(KafkaConnection kafka, Collection<Definition> definitions, long timeoutMs) {
        String bootstrap = kafka.bootstrap();
        Properties p = kafka.properties();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            Map<ConfigResource, Collection<AlterConfigOp>> alter = new HashMap<>();
            for (Definition d : definitions) {
                if (existing.contains(d.name())) {
                    List<AlterConfigOp> ops = new ArrayList<>();
                    d.configs().forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
                    alter.put(new ConfigResource(ConfigResource.Type.TOPIC, d.name()), ops);
                } else {
                    missing.add(new NewTopic(d.name(), d.partitions(), (short) -1).configs(d.configs()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).values().forEach((name, f) -> awaitIgnoringExists(bootstrap, name, f, timeoutMs));
            }
            if (!alter.isEmpty()) admin.incrementalAlterConfigs(alter).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up the topics on " + bootstrap, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not set up the topics on " + bootstrap + ": " + e.getMessage(), e);
        }
    }

    private static void awaitIgnoringExists(String bootstrap, String name, org.apache.kafka.common.KafkaFuture<Void> f, long timeoutMs) {
        try {
            f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) { // another service was first
                throw new IllegalStateException("could not create topic " + name + " on " + bootstrap + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topic " + name + " on " + bootstrap, e);
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new HashMap<>(base);
        m.put(key, value);
        return Map.copyOf(m);
    }
}
