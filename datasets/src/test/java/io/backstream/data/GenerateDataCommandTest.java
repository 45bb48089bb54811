package io.backstream.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateDataCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new GenerateDataCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void withoutArgumentsItWritesTheVerifiedDefaultPairIntoDir() throws IOException {
        assertEquals(0, run("--dir", dir.toString()));
        assertEquals(SyncifarTest.TRAIN_SHA256, BundledData.sha256(dir.resolve("syn_train.bin")));
        assertEquals(SyncifarTest.TEST_SHA256, BundledData.sha256(dir.resolve("syn_test.bin")));
        assertTrue(out.toString().contains("sha256 verified"), out.toString());
    }

    @Test
    void seedCountAndOutWriteOneBinaryFile() throws IOException {
        Path file = dir.resolve("sub/one.bin");
        assertEquals(0, run("--seed", "2", "--count", "500", "--out", file.toString()));
        assertEquals(SyncifarTest.TEST_SHA256, BundledData.sha256(file));
    }

    @Test
    void pythonFormatWritesADataBatchThatReadsBackAsTheSameImages() throws IOException {
        Path file = dir.resolve("data_batch_1");
        assertEquals(0, run("--seed", "7", "--count", "30", "--out", file.toString(), "--format", "PYTHON"));
        assertEquals(0x80, Files.readAllBytes(file)[0] & 0xff);
        SmallCifar.assertSameImages(Syncifar.generate(7, 30), CifarDatasets.open(file, Split.TRAIN));
    }

    @Test
    void pythonFormatDefaultPairGoesToPklFiles() throws IOException {
        assertEquals(0, run("--dir", dir.toString(), "--format", "python"));
        assertEquals(500, CifarDatasets.open(dir.resolve("syn_test.pkl"), Split.TEST).size());
        assertEquals(2000, CifarDatasets.open(dir.resolve("syn_train.pkl"), Split.TRAIN).size());
    }

    @Test
    void seedWithoutCountAndOutIsAUsageError() {
        int code = run("--seed", "3");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--seed, --count and --out go together"), err.toString());
    }

    @Test
    void anUnknownFormatIsAUsageError() {
        assertNotEquals(0, run("--format", "jpeg"));
        assertTrue(err.toString().contains("'jpeg' is not a format; use binary or python"), err.toString());
    }

    @Test
    void aNegativeCountIsAUsageError() {
        assertEquals(2, run("--seed", "1", "--count", "-5", "--out", dir.resolve("x.bin").toString()));
        assertTrue(err.toString().contains("--count must be"), err.toString());
        assertFalse(Files.exists(dir.resolve("x.bin")));
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertEquals(2, run("--sed", "1"));
        assertTrue(err.toString().contains("Unknown options: '--sed'"), err.toString());
    }
}
