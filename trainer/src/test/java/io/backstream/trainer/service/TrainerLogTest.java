package io.backstream.trainer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.events.KafkaConnection;
import io.backstream.events.Topics;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** TrainerLog against the shared broker: what a run's publish does while a commit holds the log. */
@DisplayName("TrainerLog: a run never waits out a commit unless it asks to, and never publishes across a rollback")
class TrainerLogTest {
    private TrainerLog log;
    private final CountDownLatch commitEntered = new CountDownLatch(1);
    private final CountDownLatch releaseCommit = new CountDownLatch(1);

    /** A participant whose position is asked for under the commit's lock: it holds the commit there until released. */
    private final TrainerLog.Participant slowParticipant = new TrainerLog.Participant() {
        @Override
        public byte[] progressToCommit() {
            commitEntered.countDown();
            try {
                releaseCommit.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }

        @Override
        public void committed() {
        }

        @Override
        public void aborted() {
        }

        @Override
        public String runId() {
            return "trainerlogtest";
        }
    };

    @BeforeEach
    void start() {
        log = new TrainerLog(KafkaConnection.of(TopicReader.BOOTSTRAP), "trainerlogtest-" + UUID.randomUUID());
        log.start();
    }

    @AfterEach
    void close() {
        releaseCommit.countDown();
        log.close();
    }

    private static List<ProducerRecord<String, byte[]>> aLossEvent() {
        return List.of(new ProducerRecord<>(Topics.TRAINING_LOSS, "trainerlogtest", TrainerLog.utf8("{\"type\":\"test\"}")));
    }

    @Test
    void tryPublishAnswersBusyAtOnceWhileACommitHoldsTheLogAndSendsOnceItIsDone() throws Exception {
        AtomicInteger moved = new AtomicInteger();
        assertEquals(TrainerLog.Sent.SENT, log.tryPublish(log.generation(), aLossEvent(), moved::incrementAndGet), "an open transaction to commit");
        log.join(slowParticipant);
        CompletableFuture<Boolean> commit = CompletableFuture.supplyAsync(log::commit);
        assertTrue(commitEntered.await(30, TimeUnit.SECONDS), "the commit took the log");

        long t0 = System.nanoTime();
        assertEquals(TrainerLog.Sent.BUSY, log.tryPublish(log.generation(), aLossEvent(), moved::incrementAndGet));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "BUSY comes back without waiting for the commit");
        assertEquals(1, moved.get(), "a BUSY publish does not move the run's position");

        releaseCommit.countDown();
        assertTrue(commit.get(30, TimeUnit.SECONDS), "the commit went through");
        assertEquals(TrainerLog.Sent.SENT, log.tryPublish(log.generation(), aLossEvent(), moved::incrementAndGet));
        assertEquals(2, moved.get());
        assertTrue(log.commit());
    }

    @Test
    void publishWaitsOutACommitInsteadOfAnsweringBusy() throws Exception {
        assertEquals(TrainerLog.Sent.SENT, log.publish(log.generation(), aLossEvent(), () -> { }));
        log.join(slowParticipant);
        CompletableFuture<Boolean> commit = CompletableFuture.supplyAsync(log::commit);
        assertTrue(commitEntered.await(30, TimeUnit.SECONDS));

        CompletableFuture<TrainerLog.Sent> waiting = CompletableFuture.supplyAsync(() -> log.publish(log.generation(), aLossEvent(), () -> { }));
        Thread.sleep(200);
        assertFalse(waiting.isDone(), "publish waits while the commit holds the log");
        releaseCommit.countDown();
        assertEquals(TrainerLog.Sent.SENT, waiting.get(30, TimeUnit.SECONDS));
        assertTrue(commit.get(30, TimeUnit.SECONDS));
        assertTrue(log.commit());
    }

    @Test
    void aStaleGenerationIsRefusedWithoutSendingOrMovingThePosition() {
        AtomicInteger moved = new AtomicInteger();
        long stale = log.generation() - 1;
        assertEquals(TrainerLog.Sent.STALE, log.tryPublish(stale, aLossEvent(), moved::incrementAndGet));
        assertEquals(TrainerLog.Sent.STALE, log.publish(stale, aLossEvent(), moved::incrementAndGet));
        assertEquals(0, moved.get());
        assertEquals(-1, log.openMillis(), "nothing was opened");
    }
}
