package io.backstream.data.service;

import io.backstream.events.RunCommand;
import io.backstream.events.RunProgress;
import io.backstream.events.RunSpec;
import io.backstream.events.RunState;
import io.backstream.events.Topics;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The test playing the trainer's part: commands on runs.control, states on runs.state, the committed
 * position on runs.progress; each record in a transaction of its own, as the trainer writes them.
 */
final class Trainer implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    Trainer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TopicWatcher.BOOTSTRAP);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "loadertest-trainer-" + UUID.randomUUID());
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        producer.initTransactions();
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

    void state(String runId, RunState.State state, RunSpec spec) {
        send(Topics.RUNS_STATE, runId, new RunState(runId, state, spec, 0, 0, null, 0.0, null, System.currentTimeMillis()).toJson());
    }

    /** Commits global step {@code step} (1-based) of a run with {@code batchesPerEpoch} batches per epoch as trained. */
    void committed(String runId, long step, int batchesPerEpoch) {
        send(Topics.RUNS_PROGRESS, runId, progress(runId, step, batchesPerEpoch).toJson());
    }

    /** Writes that position in a transaction that is then aborted, as a trainer that failed mid-transaction leaves it. */
    void aborted(String runId, long step, int batchesPerEpoch) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(Topics.RUNS_PROGRESS, runId, progress(runId, step, batchesPerEpoch).toJson()));
        producer.flush();
        producer.abortTransaction();
    }

    void send(String topic, String key, String value) {
        producer.beginTransaction();
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("sending to " + topic, e);
        }
        producer.commitTransaction();
    }

    static RunProgress progress(String runId, long step, int batchesPerEpoch) {
        return new RunProgress(runId, step, (int) ((step - 1) / batchesPerEpoch) + 1, (int) ((step - 1) % batchesPerEpoch),
                batchesPerEpoch, 0, System.currentTimeMillis(), null, null);
    }

    static RunSpec spec(int batchSize, int epochs, Long shuffleSeed, String dataset) {
        return new RunSpec(null, batchSize, epochs, shuffleSeed, dataset, null);
    }

    @Override
    public void close() {
        producer.close();
    }
}
