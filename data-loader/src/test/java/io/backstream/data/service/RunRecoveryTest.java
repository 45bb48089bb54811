package io.backstream.data.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.events.Batch;
import io.backstream.events.BatchCodec;
import io.backstream.events.RunSpec;
import io.backstream.events.RunState;
import io.backstream.events.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A loader that starts while runs are under way, as after a restart: their commands, states and
 * committed positions are on the topics before the application starts ({@link RunsUnderWay}
 * writes them), and the loader learns of the runs only from there.
 */
@QuarkusTest
@TestProfile(RunRecoveryTest.Restarted.class)
class RunRecoveryTest {

    private static final Duration FIRST = Duration.ofSeconds(60);
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final int WINDOW = 16;
    /** Synthetic data (2,000 images) at batch size 100. */
    private static final int PER_EPOCH = 20;
    /** Two epochs in a seeded shuffle: resuming mid-epoch and crossing into the next both depend on the order. */
    private static final RunSpec SHUFFLED = Trainer.spec(100, 2, 7L, "synthetic");
    private static final RunSpec FILE_ORDER = Trainer.spec(100, 1, null, "synthetic");

    /** A fresh application for this class, started after the runs are on the topics. */
    public static final class Restarted implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RunsUnderWay.class));
        }
    }

    /**
     * What a restarted loader finds (run ids carry a prefix of this class's own, the loader's
     * run-prefix): "resumed" RUNNING with step 18 committed (epoch 1, batch 17), "paused" PAUSED at
     * step 5, "pending" PENDING with nothing trained, "completed" COMPLETED, and a RUNNING run of
     * another loader ({@link #elsewhere}). Their STARTs are on runs.control too (the test app reads it from the start, as
     * a loader reads what it had not committed): each must be ignored.
     */
    public static final class RunsUnderWay implements QuarkusTestResourceLifecycleManager {

        private final String prefix = "recoverytest-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        private final String elsewhere = elsewhere(prefix);
        private Path home;

        @Override
        public Map<String, String> start() {
            try {
                home = Files.createTempDirectory("loader-recovery");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty("backstream.home", home.toString());
            long seededAt = System.currentTimeMillis();
            try (Trainer trainer = new Trainer()) {
                startedAndRunning(trainer, prefix + "resumed", SHUFFLED);
                trainer.committed(prefix + "resumed", 18, PER_EPOCH);
                startedAndRunning(trainer, prefix + "paused", FILE_ORDER);
                trainer.committed(prefix + "paused", 5, PER_EPOCH);
                trainer.state(prefix + "paused", RunState.State.PAUSED, FILE_ORDER);
                trainer.start(prefix + "pending", FILE_ORDER);
                trainer.state(prefix + "pending", RunState.State.PENDING, FILE_ORDER);
                startedAndRunning(trainer, prefix + "completed", FILE_ORDER);
                trainer.state(prefix + "completed", RunState.State.COMPLETED, FILE_ORDER);
                trainer.state(elsewhere, RunState.State.RUNNING, FILE_ORDER);
            }
            return Map.of("backstream.loader.run-prefix", prefix, "recoverytest.seeded-at", Long.toString(seededAt));
        }

        private static void startedAndRunning(Trainer trainer, String runId, RunSpec spec) {
            trainer.start(runId, spec);
            trainer.state(runId, RunState.State.PENDING, spec);
            trainer.state(runId, RunState.State.RUNNING, spec);
        }

        /** Ends the seeded runs on the shared broker, so no later loader resumes them. */
        @Override
        public void stop() {
            try (Trainer trainer = new Trainer()) {
                for (String run : List.of(prefix + "resumed", prefix + "paused", prefix + "pending", elsewhere)) {
                    trainer.state(run, RunState.State.STOPPED, FILE_ORDER);
                }
            }
            System.clearProperty("backstream.home");
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @ConfigProperty(name = "backstream.loader.run-prefix")
    String prefix;
    @ConfigProperty(name = "recoverytest.seeded-at")
    long seededAt;

    @Inject
    RunRegistry registry;

    @Test
    void aRunningRunResumesAfterItsCommittedPositionWithTheBatchesARunFromTheStartHasThere() {
        String resumed = prefix + "resumed", scratch = prefix + "scratch";
        try (Trainer trainer = new Trainer();
             TopicWatcher<byte[]> batches = TopicWatcher.binary(Topics.TRAINING_BATCHES).since(seededAt)) {
            List<Batch> got = decode(batches.await(resumed, WINDOW, FIRST));
            assertEquals(WINDOW, batches.settle(resumed, QUIET).size(), "step 18 committed: batches 19..34, the window");
            assertEquals(List.of("1/18", "1/19", "2/0", "2/1"), got.subList(0, 4).stream().map(RunRecoveryTest::at).toList(),
                    "from the batch after (epoch 1, index 17), into epoch 2; never the seeded START's first batch");

            trainer.committed(resumed, 19, PER_EPOCH);
            assertEquals(WINDOW + 1, batches.await(resumed, WINDOW + 1, Duration.ofSeconds(10)).size(), "step 19 lets batch 35 go");

            trainer.start(scratch, SHUFFLED);   // the same run from the start, to the same position
            batches.await(scratch, WINDOW, FIRST);
            trainer.committed(scratch, 19, PER_EPOCH);
            List<Batch> fromStart = decode(batches.await(scratch, 35, Duration.ofSeconds(10)));
            List<byte[]> resumedRecords = batches.settle(resumed, QUIET);
            assertEquals(WINDOW + 1, resumedRecords.size());
            for (int k = 0; k < resumedRecords.size(); k++) {
                Batch same = fromStart.get(18 + k);
                Batch asResumed = new Batch(resumed, same.epoch(), same.index(), same.batches(), same.firstRecord(), same.count(),
                        same.labels(), same.pixels());
                assertArrayEquals(BatchCodec.encode(asResumed), resumedRecords.get(k), "batch " + (19 + k) + " " + same);
            }
        }
    }

    @Test
    void aPausedRunStaysPausedUntilResumeThenGoesOnAfterItsPosition() {
        String paused = prefix + "paused";
        try (Trainer trainer = new Trainer();
             TopicWatcher<byte[]> batches = TopicWatcher.binary(Topics.TRAINING_BATCHES).since(seededAt)) {
            assertTrue(registry.find(paused).map(RunGate::isPaused).orElse(false), "recovered, paused");
            assertEquals(List.of(), batches.settle(paused, QUIET), "paused: nothing although the window allows 16");

            trainer.resume(paused);
            List<Batch> got = decode(batches.await(paused, 15, FIRST));
            assertEquals(15, batches.settle(paused, QUIET).size(), "step 5 committed: batches 6..20, the rest of the run");
            assertEquals("1/5", at(got.get(0)));
            assertEquals("1/19", at(got.get(14)));
        }
    }

    @Test
    void aPendingRunStartsFromItsFirstBatchOnceAndTheTestSetIsPublishedAgain() {
        String pending = prefix + "pending";
        try (Trainer trainer = new Trainer();
             TopicWatcher<byte[]> batches = TopicWatcher.binary(Topics.TRAINING_BATCHES).since(seededAt);
             TopicWatcher<byte[]> testSets = TopicWatcher.binary(Topics.DATASET_TESTSET).since(seededAt)) {
            List<Batch> got = decode(batches.await(pending, WINDOW, FIRST));
            assertEquals("1/0", at(got.get(0)));
            trainer.start(pending, FILE_ORDER);   // a START for a run that is already active
            assertEquals(WINDOW, batches.settle(pending, QUIET).size(), "one publisher: the STARTs (seeded and now) are ignored");
            assertEquals(2, testSets.await("synthetic", 2, FIRST).size(), "the synthetic test set: 500 images in 2 chunks");
        }
    }

    @Test
    void endedRunsAndOtherLoadersRunsAreNotResumed() {
        String completed = prefix + "completed";
        try (TopicWatcher<byte[]> batches = TopicWatcher.binary(Topics.TRAINING_BATCHES).since(seededAt)) {
            assertEquals(List.of(), batches.settle(completed, QUIET), "COMPLETED: nothing, its re-read START ignored");
            assertTrue(registry.find(completed).map(RunGate::isStopped).orElse(false), "known as ended");
            assertTrue(registry.find(elsewhere(prefix)).isEmpty(), "another loader's run (the id does not start with the prefix)");
            assertTrue(registry.find(prefix + "resumed").isPresent(), "this loader's active runs are recovered");
        }
    }

    /** A run of another loader: its id has this loader's prefix inside, but does not start with it. */
    private static String elsewhere(String prefix) {
        return "other-" + prefix + "running";
    }

    private static String at(Batch batch) {
        return batch.epoch() + "/" + batch.index();
    }

    private static List<Batch> decode(List<byte[]> records) {
        return records.stream().map(BatchCodec::decode).toList();
    }
}
