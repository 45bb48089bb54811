package io.backstream.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backstream.data.BundledData;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.nn.TutorialCnn;
import io.backstream.trainer.onnx.OnnxImport;
import io.backstream.trainer.testing.Golden;
import io.backstream.trainer.testing.GoldenConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./backstream train-local}, run in-process as the launcher runs it: the tutorial's training
 * from PyTorch's initial weights reproduces PyTorch's per-step losses; bad input ends with a
 * non-zero exit code and a message that names the problem; without --data it trains on the
 * bundled SYNCIFAR set, generated under {@code <home>/work/data}.
 */
class TrainLocalCommandTest {
    @TempDir
    Path tmp;

    private String savedHome;

    @BeforeEach
    void homeInTempDir() {
        savedHome = System.getProperty("backstream.home");
        System.setProperty("backstream.home", tmp.resolve("home").toString());
    }

    @AfterEach
    void restoreHome() {
        if (savedHome == null) System.clearProperty("backstream.home");
        else System.setProperty("backstream.home", savedHome);
    }

    private static String golden(String file) {
        return Golden.file(file).toString();
    }

    private static List<JsonNode> jsonLines(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) lines.add(json.readTree(line));
        return lines;
    }

    // ---- THE end-to-end check: PyTorch's 12 steps, through the command line ----

    @Test
    void sgdFromPyTorchsInitialWeightsReproducesPyTorchsLossesAndExportsTheResult() throws IOException {
        trainTwelveGoldenSteps("sgd", "--optimizer", "sgd", "--lr", "0.01");
    }

    @Test
    void adamFromPyTorchsInitialWeightsReproducesPyTorchsLosses() throws IOException {
        trainTwelveGoldenSteps("adam", "--optimizer", "adam", "--lr", "0.001");
    }

    private void trainTwelveGoldenSteps(String config, String... optimizerFlags) throws IOException {
        Path log = tmp.resolve(config + "-loss.jsonl");
        Path export = tmp.resolve(config + "-final.onnx");
        List<String> args = new ArrayList<>(List.of("train-local", "--data", golden("golden_train_96.bin"), "--batch-size", "8",
                "--no-shuffle", "--init", golden("model_init.onnx"), "--loss-log", log.toString(), "--export", export.toString(),
                "--epochs", "1"));
        args.addAll(List.of(optimizerFlags));

        CliRun run = CliRun.backstream(args.toArray(String[]::new));

        assertEquals(0, run.exitCode(), run::toString);
        JsonNode gold = Golden.optimizer(config);
        double tolerance = Golden.tolerance("optimizers", config, "losses_max_rel");
        List<JsonNode> lines = jsonLines(log);
        assertEquals(12, lines.size(), "96 records in batches of 8");
        double runningLoss = 0;
        for (int k = 0; k < 12; k++) {
            JsonNode line = lines.get(k);
            assertEquals(1, line.get("epoch").asInt(), "line " + (k + 1));
            assertEquals(k + 1, line.get("step").asLong(), "line " + (k + 1));
            assertEquals(k + 1, line.get("stepInEpoch").asInt(), "line " + (k + 1));
            assertEquals(8, line.get("batchSize").asInt(), "line " + (k + 1));
            double loss = line.get("loss").asDouble();
            double expected = gold.get("losses").get(k).asDouble();
            int step = k + 1;
            assertTrue(Math.abs(loss - expected) <= tolerance * Math.abs(expected),
                    () -> config + " step " + step + ": loss " + loss + ", PyTorch " + expected);
            runningLoss += loss;
        }
        assertTrue(run.out().contains(String.format(Locale.ROOT, "[epoch 1] running loss: %.4f", runningLoss)), run::toString);

        assertTrue(Files.isRegularFile(export), "exported " + export);
        assertTrue(run.out().contains("exported:  " + export), run::toString);
        Sequential fresh = TutorialCnn.create(12345);
        OnnxImport.load(export, fresh.toOnnx(), fresh.parameters());
        float[] init = GoldenConfigs.concat(fresh.parameters(), Golden.manifest().get("params_init"));
        float[] pytorchFinal = GoldenConfigs.concat(fresh.parameters(), gold.get("params_final"));
        GoldenConfigs.Distance d = GoldenConfigs.Distance.of(fresh.parameters().values().dup().toFloatVector(), pytorchFinal, init);
        double maxAbs = Golden.tolerance("optimizers", config, "params_final_max_abs");
        assertTrue(d.maxAbs() <= maxAbs, () -> "re-imported weights vs PyTorch's after step 12: max abs " + d.maxAbs() + " > " + maxAbs);
    }

    // ---- bad input: non-zero exit, a message naming the problem ----

    private void assertFails(String expectedMessage, String... args) {
        CliRun run = CliRun.backstream(args);
        assertNotEquals(0, run.exitCode(), run::toString);
        assertTrue(run.err().contains(expectedMessage), () -> "stderr should say \"" + expectedMessage + "\"\n" + run);
        assertIsAMessageNotAStackTrace(run);
    }

    private static void assertIsAMessageNotAStackTrace(CliRun run) {
        assertFalse(run.err().contains("\tat "), () -> "a user error is reported as a message, not a Java stack trace\n" + run);
    }

    /** train-local with a valid small training set and these flags. */
    private String[] trainLocal(String... flags) {
        List<String> args = new ArrayList<>(List.of("train-local", "--data", golden("golden_train_96.bin")));
        args.addAll(List.of(flags));
        return args.toArray(String[]::new);
    }

    @Test
    void zeroEpochsIsRejected() {
        assertFails("--epochs must be at least 1, got 0", trainLocal("--epochs", "0"));
    }

    @Test
    void batchSizesOutside1To4096AreRejected() {
        assertFails("--batch-size must be in 1..4096, got 0", trainLocal("--batch-size", "0"));
        assertFails("--batch-size must be in 1..4096, got 5000", trainLocal("--batch-size", "5000"));
    }

    @Test
    void anUnknownOptimizerIsRejectedNamingTheAcceptedOnes() {
        assertFails("unknown optimizer 'lion': expected one of [sgd, adam, adamw, rmsprop]", trainLocal("--optimizer", "lion"));
    }

    @Test
    void momentumIsRejectedForAdam() {
        assertFails("adam has no hyper-parameter momentum", trainLocal("--optimizer", "adam", "--momentum", "0.9"));
    }

    @Test
    void aNegativeLearningRateIsRejected() {
        assertFails("Invalid learning rate lr=-1.0", trainLocal("--lr", "-1"));
    }

    @Test
    void aMissingDataPathIsRejectedNamingIt() {
        Path missing = tmp.resolve("no-such-cifar.bin");
        assertFails("--data: " + missing + " does not exist", "train-local", "--data", missing.toString());
    }

    @Test
    void aTruncatedBinFileIsRejectedNamingTheFileAndTheProblem() throws IOException {
        Path truncated = tmp.resolve("truncated.bin");
        byte[] twoAndABitRecords = new byte[2 * 3073 + 1000]; // labels 0, black images, the third record cut short
        Files.write(truncated, twoAndABitRecords);
        CliRun run = CliRun.backstream("train-local", "--data", truncated.toString());
        assertNotEquals(0, run.exitCode(), run::toString);
        assertTrue(run.err().contains(truncated + " at byte offset 6146"), run::toString);
        assertTrue(run.err().contains("not a multiple of 3073"), run::toString);
        assertIsAMessageNotAStackTrace(run);
    }

    @Test
    void shuffleAndNoShuffleAreMutuallyExclusive() {
        CliRun run = CliRun.backstream(trainLocal("--shuffle", "3", "--no-shuffle"));
        assertNotEquals(0, run.exitCode(), run::toString);
        assertTrue(run.err().contains("mutually exclusive"), run::toString);
        assertTrue(run.err().contains("--shuffle") && run.err().contains("--no-shuffle"), run::toString);
        assertIsAMessageNotAStackTrace(run);
    }

    @Test
    void aGarbageInitFileIsRejectedByTheOnnxImporter() throws IOException {
        Path garbage = tmp.resolve("garbage.onnx");
        Files.writeString(garbage, "this is not a protobuf, let alone an ONNX model\n");
        CliRun run = CliRun.backstream(trainLocal("--init", garbage.toString()));
        assertNotEquals(0, run.exitCode(), run::toString);
        assertTrue(run.err().contains("not a valid ONNX model"), run::toString);
        assertTrue(run.err().contains("--init: " + garbage), () -> "the message names the file\n" + run);
        assertIsAMessageNotAStackTrace(run);
    }

    @Test
    void anUnknownFlagIsRejectedNamingIt() {
        assertFails("Unknown option: '--learning-rate=0.1'", trainLocal("--learning-rate=0.1"));
    }

    @Test
    void rejectedInputTrainsNothingAndWritesNothing() {
        Path log = tmp.resolve("loss.jsonl");
        Path export = tmp.resolve("model.onnx");
        CliRun run = CliRun.backstream(trainLocal("--epochs", "0", "--loss-log", log.toString(), "--export", export.toString()));
        assertNotEquals(0, run.exitCode(), run::toString);
        assertFalse(Files.exists(log), "no loss log");
        assertFalse(Files.exists(export), "no export");
    }

    // ---- the bundled default data ----

    @Test
    void withoutDataItGeneratesAndTrainsOnTheBundledSyncifarPair() throws IOException {
        Path dataDir = tmp.resolve("home").resolve("work").resolve("data");
        Path log = tmp.resolve("loss.jsonl");
        CliRun run = CliRun.backstream("train-local", "--epochs", "1", "--batch-size", "256", "--loss-log", log.toString());

        assertEquals(0, run.exitCode(), run::toString);
        Path train = dataDir.resolve(BundledData.TRAIN.name());
        Path test = dataDir.resolve(BundledData.TEST.name());
        assertTrue(Files.isRegularFile(train), "generated " + train);
        assertTrue(Files.isRegularFile(test), "generated " + test);
        assertEquals(BundledData.TRAIN.sha256(), BundledData.sha256(train));
        assertEquals(BundledData.TEST.sha256(), BundledData.sha256(test));
        assertEquals(8, jsonLines(log).size(), "2,000 records in batches of 256: 7 full and one of 208");
        assertTrue(run.out().contains(String.format("(%,d images, test %,d)", 2000, 500)), run::toString); // the command's locale
        assertTrue(run.out().contains("test accuracy:"), "the bundled test split is scored after the epoch\n" + run);
    }
}
