package io.backstream.data.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.data.BundledData;
import io.backstream.data.CifarDataset;
import io.backstream.data.CifarDatasets;
import io.backstream.data.CifarLayoutWriter;
import io.backstream.data.EpochOrder;
import io.backstream.data.Split;
import io.backstream.data.Syncifar;
import io.backstream.events.Batch;
import io.backstream.events.BatchCodec;
import io.backstream.events.Cifar10;
import io.backstream.events.DeadLetter;
import io.backstream.events.RunState;
import io.backstream.events.StepLoss;
import io.backstream.events.Topics;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The loader against the real broker, the test playing the trainer. Run ids carry this JVM's
 * prefix (the loader ignores every other run on the shared broker); each test watches topics from
 * their end, so earlier records never count.
 */
@QuarkusTest
class LoaderServiceTest {

    private static final Duration FIRST = Duration.ofSeconds(60);
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final int WINDOW = 16;
    /** Batches per epoch of the synthetic data (2,000 images) at batch size 100, the runs that train here. */
    private static final int PER_EPOCH = 20;

    @TempDir
    static Path tmp;
    /** Opened before any test starts a run, so the synthetic test set published by the first run is seen. */
    private static TopicWatcher<byte[]> testSetsSinceStart;
    private static CifarDataset syntheticTrain;
    private static CifarDataset syntheticTest;

    @ConfigProperty(name = "backstream.loader.run-prefix")
    String prefix;

    @Inject
    RunRegistry registry;

    @BeforeAll
    static void home() throws Exception {
        System.setProperty("backstream.home", tmp.resolve("home").toString());
        BundledData.Files files = BundledData.ensure(tmp.resolve("home").resolve("work").resolve("data"));
        syntheticTrain = CifarDatasets.open(files.train(), Split.TRAIN);
        syntheticTest = CifarDatasets.open(files.test(), Split.TEST);
        testSetsSinceStart = TopicWatcher.binary(Topics.DATASET_TESTSET);
    }

    @AfterAll
    static void close() {
        testSetsSinceStart.close();
        System.clearProperty("backstream.home");
    }

    @Test
    void twoEpochsInFileOrderStopAtTheWindowAndContinueWithTheTrainer() {
        String run = prefix + "window";
        try (Trainer trainer = new Trainer(); TopicWatcher<byte[]> batches = TopicWatcher.binary(Topics.TRAINING_BATCHES)) {
            trainer.start(run, Trainer.spec(100, 2, null, "synthetic"));
            trainer.start(run, Trainer.spec(100, 2, null, "synthetic"));   // a repeated START is ignored

            batches.await(run, WINDOW, FIRST);
            assertEquals(WINDOW, batches.settle(run, QUIET).size(), "no trainer progress: exactly the window");
            trainer.committed(run, 1, PER_EPOCH);
            batches.await(run, WINDOW + 1, Duration.ofSeconds(10));
            assertEquals(WINDOW + 1, batches.settle(run, QUIET).size(), "step 1 lets exactly one more batch go");

            for (int trained = 2; trained <= 40; trained++) {   // the trainer keeps up
                trainer.committed(run, trained, PER_EPOCH);
                batches.await(run, Math.min(40, trained + WINDOW), Duration.ofSeconds(10));
            }
            List<Batch> got = decode(batches.settle(run, QUIET));
            assertEquals(40, got.size(), "2 epochs x 20 batches, once although START came twice");
            assertEpochs(got, run, 100, 2, EpochOrder.fileOrder());
        }
        List<Batch> chunks = decode(testSetsSinceStart.await("synthetic", 2, Duration.ofSeconds(10)));
        assertTestSet(chunks.subList(0, 2), "synthetic", syntheticTest);
    }

    @Test
    void onlyCommittedProgressMovesTheWindowNotAnAbortedOneNorALossEvent() {
        String run = prefix + "committed-only";
        try (Trainer trainer = new Trainer(); TopicWatcher<byte[]> batches = TopicWatcher.binary(Topics.TRAINING_BATCHES)) {
            trainer.start(run, Trainer.spec(100, 2, null, "synthetic"));
            batches.await(run, WINDOW, FIRST);
            trainer.aborted(run, 10, PER_EPOCH);
            trainer.send(Topics.TRAINING_LOSS, run, new StepLoss(run, 1, 10, 2.3, "sgd", 0.001, 100, 100.0,
                    System.currentTimeMillis()).toJson());
            trainer.committed(run, 2, PER_EPOCH);
            batches.await(run, WINDOW + 2, Duration.ofSeconds(10));
            assertEquals(WINDOW + 2, batches.settle(run, QUIET).size(), "the committed step 2 counts, step 10 never did");
        }
    }

    @Test
    void shuffleSeedGivesEpochOrdersPermutation() {
        String run = prefix + "shuffled";
        try (Trainer trainer = new Trainer(); TopicWatcher<byte[]> batches = TopicWatcher.binary(Topics.TRAINING_BATCHES)) {
            trainer.start(run, Trainer.spec(256, 2, 7L, "synthetic"));   // 8 batches per epoch, the last of 208
            List<Batch> got = decode(batches.await(run, 16, FIRST));
            assertEpochs(got, run, 256, 2, EpochOrder.shuffled(7));
            assertEquals(208, got.get(7).count());
        }
    }

    @Test
    void testSetOfADatasetIsPublishedOnceInChunksOf256() throws Exception {
        List<CifarDataset> train = new ArrayList<>();
        for (int i = 0; i < 5; i++) train.add(Syncifar.generate(300 + i, 20));
        CifarDataset test = Syncifar.generate(400, 600);
        String dataset = CifarLayoutWriter.writeBinaryDirectory(tmp.resolve("small-cifar"), train, test).toString();
        String first = prefix + "testset-1", second = prefix + "testset-2";
        try (Trainer trainer = new Trainer(); TopicWatcher<byte[]> batches = TopicWatcher.binary(Topics.TRAINING_BATCHES);
             TopicWatcher<byte[]> testSets = TopicWatcher.binary(Topics.DATASET_TESTSET)) {
            trainer.start(first, Trainer.spec(50, 1, null, dataset));
            trainer.start(second, Trainer.spec(50, 1, null, dataset));
            assertEquals(2, batches.await(first, 2, FIRST).size());
            assertEquals(2, batches.await(second, 2, FIRST).size());
            List<Batch> chunks = decode(testSets.settle(dataset, QUIET));
            assertEquals(3, chunks.size(), "600 images: 256 + 256 + 88, published once for both runs");
            assertTestSet(chunks, dataset, test);
        }
    }

    @ParameterizedTest(name = "{0}: the run FAILED naming file and offset before any batch or test-set chunk is published")
    @EnumSource(DamagedDataset.class)
    void aDamagedDatasetFailsTheRunNamingFileAndOffsetAndPublishesNothing(DamagedDataset damage) throws Exception {
        Path dataset = damage.write(Files.createDirectories(tmp.resolve("damaged-" + damage.name())));
        String run = prefix + "damaged-" + damage.name();
        try (Trainer trainer = new Trainer(); TopicWatcher<byte[]> batches = TopicWatcher.binary(Topics.TRAINING_BATCHES);
             TopicWatcher<String> states = TopicWatcher.text(Topics.RUNS_STATE);
             TopicWatcher<byte[]> testSets = TopicWatcher.binary(Topics.DATASET_TESTSET)) {
            trainer.start(run, Trainer.spec(4, 1, null, dataset.toString()));
            RunState state = RunState.parse(states.await(run, 1, FIRST).get(0));
            assertEquals(RunState.State.FAILED, state.state());
            String expected = "dataset " + dataset + ": " + damage.where(dataset);
            assertTrue(state.reason().startsWith(expected), "expected a reason starting with\n  " + expected + "\ngot\n  " + state.reason());
            assertEquals(List.of(), batches.settle(run, QUIET), "no batch of a failed run");
            assertEquals(List.of(), testSets.values(dataset.toString()), "no test-set chunk of a damaged dataset");
        }
    }

    @Test
    void pauseHoldsOneRunResumeContinuesStopEndsItAndTheOtherRunGoesOn() {
        String run = prefix + "paused", other = prefix + "unpaused";
        try (Trainer trainer = new Trainer(); TopicWatcher<byte[]> batches = TopicWatcher.binary(Topics.TRAINING_BATCHES)) {
            trainer.start(run, Trainer.spec(100, 2, null, "synthetic"));
            trainer.start(other, Trainer.spec(100, 2, null, "synthetic"));
            batches.await(run, WINDOW, FIRST);
            batches.await(other, WINDOW, FIRST);

            trainer.pause(run);
            awaitLoader(() -> registry.find(run).map(RunGate::isPaused).orElse(false));
            trainer.committed(run, 16, PER_EPOCH);
            trainer.committed(other, 16, PER_EPOCH);
            batches.await(other, 32, Duration.ofSeconds(10));
            assertEquals(WINDOW, batches.settle(run, QUIET).size(), "paused: nothing although the window allows 16 more");

            trainer.resume(run);
            batches.await(run, 32, Duration.ofSeconds(10));
            assertEquals(32, batches.settle(run, QUIET).size());

            trainer.stop(run);
            awaitLoader(() -> registry.find(run).map(RunGate::isStopped).orElse(false));
            trainer.committed(run, 32, PER_EPOCH);
            trainer.committed(other, 32, PER_EPOCH);
            assertEquals(40, batches.await(other, 40, Duration.ofSeconds(10)).size());
            assertEquals(32, batches.settle(run, QUIET).size(), "stopped: nothing more");
            assertEpochs(decode(batches.values(other)), other, 100, 2, EpochOrder.fileOrder());
            List<Batch> stopped = decode(batches.values(run));
            assertEpochs(stopped, run, 100, 2, EpochOrder.fileOrder());   // the first 32 of them, in order
        }
    }

    @Test
    void aFinalRunStateFromTheTrainerEndsPublishing() {
        String run = prefix + "completed";
        try (Trainer trainer = new Trainer(); TopicWatcher<byte[]> batches = TopicWatcher.binary(Topics.TRAINING_BATCHES)) {
            trainer.start(run, Trainer.spec(100, 1, null, "synthetic"));
            batches.await(run, WINDOW, FIRST);
            trainer.send(Topics.RUNS_STATE, run, new RunState(run, RunState.State.STOPPED, null, 1, 3, 2.0, 0, null,
                    System.currentTimeMillis()).toJson());
            awaitLoader(() -> registry.find(run).map(RunGate::isStopped).orElse(false));
            trainer.committed(run, 16, PER_EPOCH);
            assertEquals(WINDOW, batches.settle(run, QUIET).size());
        }
    }

    @Test
    void aMalformedControlRecordIsDeadLetteredAndTheChannelGoesOn() {
        String bad = prefix + "malformed", run = prefix + "after-malformed";
        try (Trainer trainer = new Trainer(); TopicWatcher<byte[]> batches = TopicWatcher.binary(Topics.TRAINING_BATCHES);
             TopicWatcher<String> deadLetters = TopicWatcher.text(Topics.TRAINING_DEADLETTER)) {
            trainer.send(Topics.RUNS_CONTROL, bad, "{\"type\":\"START\",\"runId\":");
            trainer.start(run, Trainer.spec(1000, 1, null, "synthetic"));   // 3 MB records: the dev broker takes 4 MB
            DeadLetter letter = DeadLetter.parse(deadLetters.await(bad, 1, FIRST).get(0));
            assertEquals(Topics.RUNS_CONTROL, letter.sourceTopic());
            assertTrue(letter.reason().contains("malformed JSON"), letter.reason());
            assertEquals(2, batches.await(run, 2, FIRST).size(), "the next command is handled");
        }
    }

    @Test
    void aStartWithAnInvalidSpecFailsTheRunAndIsDeadLettered() {
        String run = prefix + "invalid-spec";
        try (Trainer trainer = new Trainer(); TopicWatcher<byte[]> batches = TopicWatcher.binary(Topics.TRAINING_BATCHES);
             TopicWatcher<String> states = TopicWatcher.text(Topics.RUNS_STATE);
             TopicWatcher<String> deadLetters = TopicWatcher.text(Topics.TRAINING_DEADLETTER)) {
            trainer.start(run, Trainer.spec(0, 1, null, "synthetic"));
            RunState state = RunState.parse(states.await(run, 1, FIRST).get(0));
            assertEquals(RunState.State.FAILED, state.state());
            assertTrue(state.reason().contains("batchSize: must be 1..4096, got 0"), state.reason());
            assertTrue(DeadLetter.parse(deadLetters.await(run, 1, FIRST).get(0)).reason().contains("batchSize"));
            assertEquals(List.of(), batches.settle(run, QUIET));
        }
    }

    /** Epochs 1.., indexes 0.. in order, counts, firstRecord, and every label and pixel in the epoch's order. */
    private static void assertEpochs(List<Batch> got, String run, int batchSize, int epochs, EpochOrder order) {
        int size = syntheticTrain.size();
        int perEpoch = (size + batchSize - 1) / batchSize;
        assertTrue(got.size() <= perEpoch * epochs, "at most " + perEpoch * epochs + " batches, got " + got.size());
        for (int n = 0; n < got.size(); n++) {
            Batch b = got.get(n);
            int epoch = n / perEpoch + 1, index = n % perEpoch, first = index * batchSize;
            int count = Math.min(batchSize, size - first);
            String at = "batch " + n + " " + b;
            assertEquals(run, b.runId(), at);
            assertEquals(epoch, b.epoch(), at);
            assertEquals(index, b.index(), at);
            assertEquals(perEpoch, b.batches(), at);
            assertEquals(first, b.firstRecord(), at);
            assertEquals(count, b.count(), at);
            int[] indices = order.indices(epoch, size);
            byte[] labels = new byte[count];
            byte[] pixels = new byte[count * Cifar10.IMAGE_BYTES];
            for (int i = 0; i < count; i++) {
                labels[i] = (byte) syntheticTrain.label(indices[first + i]);
                syntheticTrain.copyImage(indices[first + i], pixels, i * Cifar10.IMAGE_BYTES);
            }
            assertArrayEquals(labels, b.labels(), at);
            assertArrayEquals(pixels, b.pixels(), at);
        }
    }

    private static void assertTestSet(List<Batch> chunks, String datasetId, CifarDataset test) {
        int total = (test.size() + 255) / 256;
        assertEquals(total, chunks.size());
        for (int c = 0; c < total; c++) {
            Batch chunk = chunks.get(c);
            int first = c * 256, count = Math.min(256, test.size() - first);
            assertEquals(datasetId, chunk.runId());
            assertEquals(0, chunk.epoch());
            assertEquals(c, chunk.index());
            assertEquals(total, chunk.batches());
            assertEquals(first, chunk.firstRecord());
            assertEquals(count, chunk.count());
            for (int i = 0; i < count; i++) {
                assertEquals(test.label(first + i), chunk.labels()[i], "chunk " + c + " label " + i);
                assertArrayEquals(test.image(first + i), java.util.Arrays.copyOfRange(chunk.pixels(),
                        i * Cifar10.IMAGE_BYTES, (i + 1) * Cifar10.IMAGE_BYTES), "chunk " + c + " image " + i);
            }
        }
    }

    private static List<Batch> decode(List<byte[]> records) {
        return records.stream().map(BatchCodec::decode).toList();
    }

    /** Waits for the loader to have applied a command the test sent (a consumer of its own). */
    private static void awaitLoader(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("the loader did not apply the command in 20 s");
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
