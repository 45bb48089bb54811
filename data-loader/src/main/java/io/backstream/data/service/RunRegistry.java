package io.backstream.data.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The runs this loader process knows, each with its {@link RunGate}. A run stays known after it
 * ends, so a repeated START is recognised and ignored (a gate is a few fields).
 */
@ApplicationScoped
public class RunRegistry {

    /** Batches a run may be ahead of the trainer's committed step, at least. */
    @ConfigProperty(name = "backstream.loader.window", defaultValue = "16")
    int window;

    /**
     * Images a run may be ahead, so small batches get a deeper window: at batch size 1 a window of
     * 16 batches is 16 ms of training, less than the round trip of the trainer's progress through
     * the broker, and the trainer would idle. 2,048 images are 6 MB of pixels.
     */
    @ConfigProperty(name = "backstream.loader.window-images", defaultValue = "2048")
    int windowImages;

    /** Only runs whose id starts with this are handled (empty = all): lets test JVMs share a broker. */
    @ConfigProperty(name = "backstream.loader.run-prefix")
    Optional<String> runPrefix = Optional.empty();

    private final ConcurrentHashMap<String, RunGate> runs = new ConcurrentHashMap<>();

    /** Whether this loader handles the run at all (see {@code backstream.loader.run-prefix}). */
    boolean handles(String runId) {
        return runPrefix.isEmpty() || (runId != null && runId.startsWith(runPrefix.get()));
    }

    /** A gate for a run seen for the first time, or empty when the run is already known. */
    Optional<RunGate> register(String runId, int batchSize) {
        RunGate gate = new RunGate(runId, windowFor(batchSize));
        return runs.putIfAbsent(runId, gate) == null ? Optional.of(gate) : Optional.empty();
    }

    Optional<RunGate> find(String runId) {
        return runId == null ? Optional.empty() : Optional.ofNullable(runs.get(runId));
    }

    void stopAll(String reason) {
        runs.values().forEach(gate -> gate.stop(reason));
    }

    /** The window in batches for this batch size: {@code max(window, ceil(windowImages / batchSize))}. */
    int windowFor(int batchSize) {
        int byImages = batchSize <= 0 ? 0 : (windowImages + batchSize - 1) / batchSize;
        return Math.max(window, byImages);
    }
}
