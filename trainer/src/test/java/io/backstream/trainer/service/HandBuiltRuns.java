package io.backstream.trainer.service;

import io.backstream.events.KafkaConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/** A trainer instance ({@link Runs}) built by hand on the shared broker, outside Quarkus, as a restarted pod would start. */
final class HandBuiltRuns {
    private HandBuiltRuns() {
    }

    /**
     * Started (it fences an instance of the same name and takes back the runs with the prefix).
     *
     * @param instance its transactional id's suffix
     * @param runPrefix the ids of the runs it owns
     */
    static Runs start(String instance, String runPrefix, int maxActiveRuns, Events events) {
        Runs r = new Runs();
        r.events = events;
        r.registry = new SimpleMeterRegistry();
        r.maxActiveRuns = maxActiveRuns;
        r.kafka = KafkaConnection.of(TopicReader.BOOTSTRAP);
        r.runPrefix = runPrefix;
        r.instance = instance;
        r.commitInterval = Duration.ofMillis(25);
        r.checkpointInterval = Duration.ofSeconds(10);
        r.setupTopics = true;
        r.startUp();
        return r;
    }
}
