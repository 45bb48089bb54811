package io.backstream.trainer.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.backstream.events.Batch;
import io.backstream.events.BatchCodec;
import io.backstream.events.DeadLetter;
import io.backstream.events.Topics;
import io.backstream.trainer.optim.OptimizerConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A batch record a run cannot use goes to training.deadletter with the reason and its
 * topic-partition@offset; the run's onBadBatch policy decides the rest: "fail" (the default) fails
 * the run naming the record, "skip" goes on, counting it. Either way the bad record changes no
 * weight. One run per kind of bad record ({@link BadBatchRecord}) and policy, against the real broker,
 * this test in the data-loader's place.
 */
@QuarkusTest
class BadBatchRecordsTest {
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final int PER_EPOCH = 3;
    private static BatchTopic batchTopic;

    @BeforeAll
    static void openBatchTopic() {
        batchTopic = new BatchTopic();
    }

    @AfterAll
    static void closeBatchTopic() {
        batchTopic.close();
    }

    @ParameterizedTest(name = "by default (onBadBatch \"fail\"), {0}: dead-lettered with its reason and offset, the run FAILED naming both, no step after it")
    @EnumSource(BadBatchRecord.class)
    void failsTheRunByDefault(BadBatchRecord bad) throws Exception {
        long since = System.currentTimeMillis() - 1000;
        String id = TrainerApi.create("{\"batchSize\":" + BadBatchRecord.RUN_BATCH_SIZE + ",\"epochs\":" + BadBatchRecord.RUN_EPOCHS + "}");
        List<Batch> good = GoldenBatches.of(id, BadBatchRecord.RUN_EPOCHS, PER_EPOCH, BadBatchRecord.RUN_BATCH_SIZE);
        try (TopicReader dead = new TopicReader(Topics.TRAINING_DEADLETTER, id, since);
             TopicReader loss = new TopicReader(Topics.TRAINING_LOSS, id, since)) {
            batchTopic.send(id, BatchCodec.encode(good.get(0)));
            RecordMetadata at = batchTopic.send(id, bad.bytes(good.get(1)));
            batchTopic.send(id, BatchCodec.encode(good.get(1)));

            assertEquals("FAILED", TrainerApi.awaitState(id, "FAILED"));
            String where = Topics.TRAINING_BATCHES + "-" + at.partition() + "@" + at.offset();
            JsonPath run = TrainerApi.view(id);
            assertEquals("bad batch record " + where + ": " + bad.reason(good.get(1))
                    + " (onBadBatch is \"fail\"; \"skip\" skips such records, counting them)", run.getString("reason"));
            assertEquals(1, run.getLong("step"), "the step before the bad record stands, none after it");
            assertEquals(1, run.getLong("deadLetters"));
            assertOneDeadLetter(dead, bad.reason(good.get(1)), at, id);

            Engine.Trained expected = Engine.train(OptimizerConfig.of("sgd"), BadBatchRecord.RUN_BATCH_SIZE, good.subList(0, 1));
            assertEquals(List.of(expected.losses()[0]), LossRecords.losses(loss.settle(QUIET)));
            assertArrayEquals(expected.weights(), TrainerApi.weights(id), "the weights after the one good batch, untouched by the bad one");
        }
    }

    @ParameterizedTest(name = "with onBadBatch \"skip\", {0}: dead-lettered with its reason and offset, counted, and every later batch trains")
    @EnumSource(BadBatchRecord.class)
    void isSkippedAndCountedUnderTheSkipPolicy(BadBatchRecord bad) throws Exception {
        long since = System.currentTimeMillis() - 1000;
        String id = TrainerApi.create("{\"batchSize\":" + BadBatchRecord.RUN_BATCH_SIZE + ",\"epochs\":" + BadBatchRecord.RUN_EPOCHS
                + ",\"onBadBatch\":\"skip\"}");
        List<Batch> good = GoldenBatches.of(id, BadBatchRecord.RUN_EPOCHS, PER_EPOCH, BadBatchRecord.RUN_BATCH_SIZE);
        try (TopicReader dead = new TopicReader(Topics.TRAINING_DEADLETTER, id, since);
             TopicReader loss = new TopicReader(Topics.TRAINING_LOSS, id, since)) {
            batchTopic.send(id, BatchCodec.encode(good.get(0)));
            RecordMetadata at = batchTopic.send(id, bad.bytes(good.get(1)));
            for (Batch b : good.subList(1, good.size())) batchTopic.send(id, BatchCodec.encode(b));

            assertEquals("COMPLETED", TrainerApi.awaitState(id, "COMPLETED"));
            JsonPath run = TrainerApi.view(id);
            assertEquals(good.size(), run.getLong("step"));
            assertEquals(1, run.getLong("deadLetters"));
            assertOneDeadLetter(dead, bad.reason(good.get(1)), at, id);

            Engine.Trained expected = Engine.train(OptimizerConfig.of("sgd"), BadBatchRecord.RUN_BATCH_SIZE, good);
            List<Double> expectedLosses = new ArrayList<>();
            for (double l : expected.losses()) expectedLosses.add(l);
            assertEquals(expectedLosses, LossRecords.losses(loss.settle(QUIET)), "every good batch trained, in order, as if the bad record had not been there");
            assertArrayEquals(expected.weights(), TrainerApi.weights(id));
        }
    }

    /** Exactly one dead letter for the run: this reason, this source record, keyed by the run. */
    private static void assertOneDeadLetter(TopicReader dead, String reason, RecordMetadata at, String runId) {
        dead.until(r -> !r.isEmpty(), TrainerApi.WAIT);
        List<ConsumerRecord<String, byte[]>> letters = dead.settle(QUIET);
        assertEquals(1, letters.size(), "dead letters of " + runId);
        DeadLetter letter = DeadLetter.parse(new String(letters.get(0).value(), StandardCharsets.UTF_8));
        assertEquals(new DeadLetter(reason, Topics.TRAINING_BATCHES, at.partition(), at.offset(), runId, letter.timestamp()), letter);
    }
}
