package io.backstream.trainer.cli.plot;

import io.backstream.events.EpochSummary;
import io.backstream.events.KafkaConnection;
import io.backstream.events.KafkaTables;
import io.backstream.events.LossTopicEvent;
import io.backstream.events.MalformedRecordException;
import io.backstream.events.RunState;
import io.backstream.events.StepLoss;
import io.backstream.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;

/**
 * The loss curves of runs, read from the committed {@code training.loss} events (read_committed, from
 * the beginning to the end as of now), with the specs from {@code runs.state} for their names.
 */
public final class LossHistory {

    /**
     * What was read: the runs asked for that have events, and every run the topic has with the time of its
     * latest event (epoch ms).
     */
    public record Read(List<RunLoss> runs, Map<String, Long> allRuns) {

        /** The ids of the runs with the most recent events, latest first. */
        public List<String> latest(int count) {
            return allRuns.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(count)
                    .map(Map.Entry::getKey).toList();
        }
    }

    /** The cluster did not answer. */
    public static final class UnreachableException extends Exception {
        UnreachableException(String message) {
            super(message);
        }
    }

    private LossHistory() {}

    /**
     * @param wanted which runs to keep, by id
     * @param reach how long the cluster may take to answer at all
     * @param read how long reading the topics may take
     */
    public static Read read(KafkaConnection kafka, Predicate<String> wanted, Duration reach, Duration read) throws UnreachableException {
        requireReachable(kafka, reach);
        Map<String, RunLoss> runs = new HashMap<>();
        Map<String, Long> firstSeen = new HashMap<>();
        Map<String, Long> all = new HashMap<>();
        KafkaTables.scan(kafka, Topics.TRAINING_LOSS, read, r -> {
            if (r.key() == null || r.value() == null) return;
            all.merge(r.key(), r.timestamp(), Math::max);
            if (!wanted.test(r.key())) return;
            LossTopicEvent event;
            try {
                event = LossTopicEvent.parse(new String(r.value(), StandardCharsets.UTF_8));
            } catch (MalformedRecordException e) {
                return;   // what the metrics service counts as malformed; a plot has nothing to draw from it
            }
            firstSeen.putIfAbsent(event.runId(), r.timestamp());
            RunLoss run = runs.computeIfAbsent(event.runId(), RunLoss::new);
            if (event instanceof StepLoss s) run.add(s);
            else if (event instanceof EpochSummary e) run.add(e);
        });
        KafkaTables.read(kafka, Topics.RUNS_STATE, runs::containsKey, read).forEach((id, json) -> {
            try {
                runs.get(id).spec(RunState.parse(new String(json, StandardCharsets.UTF_8)).spec());
            } catch (MalformedRecordException e) {
                // the loss events name the optimizer well enough
            }
        });
        List<RunLoss> ordered = runs.values().stream().sorted(Comparator.comparing((RunLoss r) -> firstSeen.get(r.runId()))
                .thenComparing(RunLoss::runId)).toList();
        return new Read(ordered, all);
    }

    /** Runs in the order asked for; the others of {@code read} are left out. */
    public static List<RunLoss> inOrder(Read read, List<String> ids) {
        Map<String, RunLoss> byId = new LinkedHashMap<>();
        read.runs().forEach(r -> byId.put(r.runId(), r));
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    private static void requireReachable(KafkaConnection kafka, Duration timeout) throws UnreachableException {
        Admin admin = Admin.create(kafka.properties());
        try {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new UnreachableException("cannot reach the Kafka broker at " + kafka.bootstrap() + " within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while reaching " + kafka.bootstrap());
        } finally {
            admin.close(Duration.ZERO);   // not waiting for the unanswered call to time out
        }
    }
}
