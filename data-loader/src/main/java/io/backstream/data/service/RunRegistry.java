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

    @ConfigProperty(name = "backstream.loader.window", defaultValue = "16")
    int window;

    private final ConcurrentHashMap<String, RunGate> runs = new ConcurrentHashMap<>();

    /** A gate for a run seen for the first time, or empty when the run is already known. */
    Optional<RunGate> register(String runId) {
        RunGate gate = new RunGate(runId, window);
        return runs.putIfAbsent(runId, gate) == null ? Optional.of(gate) : Optional.empty();
    }

    Optional<RunGate> find(String runId) {
        return runId == null ? Optional.empty() : Optional.ofNullable(runs.get(runId));
    }

    void stopAll(String reason) {
        runs.values().forEach(gate -> gate.stop(reason));
    }

    int window() {
        return window;
    }
}
