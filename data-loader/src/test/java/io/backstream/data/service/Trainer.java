package io.backstream.data.service;

import io.backstream.events.RunCommand;
import io.backstream.events.RunSpec;
import io.backstream.events.StepLoss;
import io.backstream.events.Topics;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** The test playing the trainer's part: commands on runs.control, StepLoss on training.loss. */
final class Trainer implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    Trainer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TopicWatcher.BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    void start(String runId, RunSpec spec) {
        send(Topics.RUNS_CONTROL, runId, RunCommand.start(runId, spec, System.currentTimeMillis()).toJson());
    }

    void pause(String runId) {
        send(Topics.RUNS_CONTROL, runId, RunCommand.pause(runId, System.currentTimeMillis()).toJson());
    }

    void resume(String runId) {
        send(Topics.RUNS_CONTROL, runId, RunCommand.resume(runId, System.currentTimeMillis()).toJson());
    }

    void stop(String runId) {
        send(Topics.RUNS_CONTROL, runId, RunCommand.stop(runId, System.currentTimeMillis()).toJson());
    }

    /** Reports global step {@code step} of the run as trained. */
    void step(String runId, long step) {
        send(Topics.TRAINING_LOSS, runId, new StepLoss(runId, 1, step, 2.3, "sgd", 0.001, 1, 100.0,
                System.currentTimeMillis()).toJson());
    }

    void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("sending to " + topic, e);
        }
    }

    static RunSpec spec(int batchSize, int epochs, Long shuffleSeed, String dataset) {
        return new RunSpec(null, batchSize, epochs, shuffleSeed, dataset, null);
    }

    @Override
    public void close() {
        producer.close();
    }
}
