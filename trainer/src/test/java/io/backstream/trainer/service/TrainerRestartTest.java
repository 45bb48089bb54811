package io.backstream.trainer.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.backstream.events.Batch;
import io.backstream.events.BatchCodec;
import io.backstream.events.KafkaConnection;
import io.backstream.events.RunProgress;
import io.backstream.events.RunSpec;
import io.backstream.events.RunState;
import io.backstream.events.Topics;
import io.backstream.trainer.optim.OptimizerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A trainer instance taking over from one that stopped without a word (its transactions end where
 * they end): two registries ({@link Runs}) of the same instance id against the real broker, the
 * second fencing the first, as a restarted pod does.
 */
class TrainerRestartTest {
    private static final Duration WAIT = TrainerApi.WAIT;
    private final String instance = "restarttest-" + UUID.randomUUID();
    private final List<Runs> started = new ArrayList<>();

    /** A trainer instance: same id and run prefix every time, so a second one takes back the first one's runs. */
    private Runs trainer() {
        Runs r = HandBuiltRuns.start(instance, instance + "-", 4, new RunsLimitTest.RecordingEvents());
        started.add(r);
        return r;
    }

    @AfterEach
    void close() {
        started.forEach(r -> r.onStop(null));
    }

    @Test
    void aRecordDeadLetteredJustBeforeTheTrainerStoppedIsNeitherReadNorCountedAgainByItsSuccessor() throws Exception {
        long since = System.currentTimeMillis() - 1000;
        Runs first = trainer();
        String id = first.create(RunSettings.of(RunSpec.parse("{\"batchSize\":8,\"epochs\":2,\"onBadBatch\":\"skip\"}")), null).id();
        List<Batch> good = GoldenBatches.of(id, 2, 3, 8);
        try (BatchTopic batches = new BatchTopic();
             TopicReader progress = new TopicReader(Topics.RUNS_PROGRESS, id, since);
             TopicReader dead = new TopicReader(Topics.TRAINING_DEADLETTER, id, since);
             TopicReader loss = new TopicReader(Topics.TRAINING_LOSS, id, since)) {
            batches.send(id, BatchCodec.encode(good.get(0)));
            batches.send(id, BadBatchRecord.NOT_A_BATCH.bytes(good.get(1)));
            // the dead letter is committed, after the run's last step: the position a restart must not go back behind
            progress.until(r -> r.stream().anyMatch(p -> parse(p).deadLetterCount() == 1), WAIT);
            first.pause(id); // the old worker idles (its log is closed below); runs.state still says RUNNING
            first.onStop(null);

            Runs second = trainer();
            Run taken = second.get(id);
            assertEquals(1, taken.deadLetters(), "the count came back from runs.progress");
            for (Batch b : good.subList(1, good.size())) batches.send(id, BatchCodec.encode(b));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (taken.state().state() != RunState.State.COMPLETED && System.nanoTime() < deadline) Thread.sleep(100);

            assertEquals(RunState.State.COMPLETED, taken.state().state());
            assertEquals(1, taken.deadLetters());
            assertEquals(1, dead.settle(Duration.ofSeconds(1)).size(), "dead-lettered once, not again by the successor");
            List<Double> losses = LossRecords.losses(loss.settle(Duration.ofSeconds(1)));
            List<Double> expected = new ArrayList<>();
            for (double l : Engine.train(OptimizerConfig.of("sgd"), 8, good).losses()) expected.add(l);
            assertEquals(expected, losses, "every step once, as one uninterrupted trainer would have trained them");
        } finally {
            first.stop(id); // ends the old worker (nothing it publishes reaches Kafka: its log is closed)
        }
    }

    @Test
    void aCompletedRunComesBackAfterARestartAndItsWeightsAreReadBackFromKafkaWhenAskedFor() throws Exception {
        Runs first = trainer();
        String id = first.create(RunSettings.of(RunSpec.parse("{\"batchSize\":8,\"epochs\":1}")), null).id();
        List<Batch> batchList = GoldenBatches.of(id, 1, 3, 8);
        try (BatchTopic batches = new BatchTopic()) {
            for (Batch b : batchList) batches.send(id, BatchCodec.encode(b));
            Run run = first.get(id);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (run.state().state() != RunState.State.COMPLETED && System.nanoTime() < deadline) Thread.sleep(100);
            assertEquals(RunState.State.COMPLETED, run.state().state());
        }
        float[] expected = Engine.train(OptimizerConfig.of("sgd"), 8, batchList).weights();
        assertArrayEquals(expected, first.get(id).trainer().weights(), "the trainer that ran it: its own, or read back once its worker let go");
        byte[] trained = first.get(id).trainer().onnx();
        first.onStop(null);

        Runs second = trainer();
        Run taken = second.get(id);
        assertEquals(RunState.State.COMPLETED, taken.state().state());
        assertEquals(3, taken.state().step());
        assertEquals(first.get(id).createdAt(), taken.createdAt(), "from its checkpoint's head");
        assertArrayEquals(expected, taken.trainer().weights(), "the weights it ended with, from its last checkpoint");
        assertArrayEquals(trained, taken.trainer().onnx());
    }

    private static RunProgress parse(ConsumerRecord<String, byte[]> r) {
        return RunProgress.parse(new String(r.value(), StandardCharsets.UTF_8));
    }
}
