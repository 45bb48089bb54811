package io.backstream.data.service;

import io.backstream.events.KafkaConnection;
import io.backstream.events.KafkaTables;
import io.backstream.events.MalformedRecordException;
import io.backstream.events.RunProgress;
import io.backstream.events.RunSpec;
import io.backstream.events.RunState;
import io.backstream.events.Topics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Start-up: takes over the runs a previous loader process was publishing. runs.state says which
 * runs are active (latest state PENDING, RUNNING or PAUSED) and with which spec, runs.progress how
 * far the trainer has committed each; both compacted topics are read read_committed from their
 * beginning to their end (the latest record per run wins). Each active run this loader handles
 * publishes again from the batch after its committed position (the first batch without one), paused
 * if its state is PAUSED; an ended run is registered as stopped, so it is never started again.
 *
 * <p>Order: the recovered runs are registered before the messaging consumers start (start-up
 * observers run by priority, messaging starts at {@code LIBRARY_BEFORE}), so a START re-read from
 * runs.control for a recovered run finds it known and is ignored, and a PAUSE or STOP finds its gate.
 * Their publishers start once messaging has (default priority), so a run that fails at once has
 * the runs.state emitter for its FAILED. If the topics cannot be read, start-up fails: a loader
 * that does not know its runs would leave their trainers waiting.
 */
@ApplicationScoped
public class RunRecovery {

    private static final Logger LOG = Logger.getLogger(RunRecovery.class);

    private record Recovered(RunGate gate, RunSpec spec, RunProgress after) {
    }

    /** Every client setting of the deployment (bootstrap, security), as the SmallRye channels get them. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaSettings;
    @ConfigProperty(name = "backstream.loader.recovery-timeout", defaultValue = "60s")
    Duration timeout;

    @Inject
    RunRegistry registry;
    @Inject
    RunLauncher launcher;

    private final List<Recovered> recovered = new ArrayList<>();

    void registerActiveRuns(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 1) StartupEvent event) {
        Map<String, String> states = latestByKey(Topics.RUNS_STATE);
        Map<String, String> progress = latestByKey(Topics.RUNS_PROGRESS);
        states.forEach((runId, json) -> {
            if (registry.handles(runId)) recover(runId, json, progress.get(runId));
        });
        LOG.infof("recovery: %d active run(s) resumed, %d run(s) in runs.state", recovered.size(), states.size());
    }

    void startPublishing(@Observes StartupEvent event) {
        recovered.forEach(run -> launcher.publish(run.gate(), run.spec(), run.after()));
        recovered.clear();
    }

    private void recover(String runId, String stateJson, String progressJson) {
        RunState state;
        RunProgress after;
        try {
            state = RunState.parse(stateJson);
            after = progressJson == null ? null : RunProgress.parse(progressJson);
        } catch (MalformedRecordException e) {
            LOG.errorf("recovery: run %s not resumed, unreadable record: %s", runId, e.getMessage());
            return;
        }
        if (state.state().isFinal()) {   // known and ended, so a START of it re-read from runs.control is ignored
            registry.register(runId, 1).ifPresent(gate -> gate.stop(state.state().name()));
            return;
        }
        RunSpec spec = state.spec();
        if (spec == null || !spec.validate().isEmpty()) {
            LOG.errorf("recovery: run %s (%s) not resumed, its state has no valid spec", runId, state.state());
            return;
        }
        registry.register(runId, spec.batchSize() == null ? RunSpec.DEFAULT_BATCH_SIZE : spec.batchSize()).ifPresent(gate -> {
            if (state.state() == RunState.State.PAUSED) gate.pause();
            if (after != null) gate.progress(after.step());
            recovered.add(new Recovered(gate, spec, after));
            LOG.infof("recovery: run %s (%s) resumes %s", runId, state.state(),
                    after == null ? "from its first batch" : "after step " + after.step() + " (epoch " + after.epoch()
                            + ", index " + after.index() + ")");
        });
    }

    /** The topic's latest value per key, read from its beginning to its (last stable) end; a tombstone removes the key. */
    private Map<String, String> latestByKey(String topic) {
        KafkaConnection kafka = new KafkaConnection(kafkaSettings);
        try {
            Map<String, String> latest = new HashMap<>();
            KafkaTables.read(kafka, topic, key -> true, timeout).forEach((k, v) -> latest.put(k, new String(v, StandardCharsets.UTF_8)));
            return latest;
        } catch (KafkaException | IllegalStateException e) {
            throw new IllegalStateException("recovery: could not read " + topic + " from " + kafka.bootstrap() + ": " + e.getMessage(), e);
        }
    }
}
