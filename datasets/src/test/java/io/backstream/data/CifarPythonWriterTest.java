package io.backstream.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarPythonWriterTest {

    @TempDir
    Path dir;

    @Test
    void metaReproducesTheGenuineBatchesMetaByteForByte() throws IOException {
        byte[] genuine = Files.readAllBytes(Reference.file("cifar-format/batches.meta"));
        assertEquals(158, genuine.length);
        assertArrayEquals(genuine, CifarPythonWriter.meta(CifarFormat.CLASS_NAMES, 10000));
    }

    @Test
    void theGenuineBatchesMetaReadsAsTheTenCifarClassNames() throws IOException {
        Path meta = Reference.file("cifar-format/batches.meta");
        try (var in = Files.newInputStream(meta)) {
            assertEquals(CifarFormat.CLASS_NAMES, CifarPickleReader.readClassNames(in, Files.size(meta), meta.toString()));
        }
    }

    @Test
    void aDataBatchHasTheByteLayoutOfTheRealFiles() throws IOException {
        CifarDataset images = Syncifar.generate(3, 10);
        byte[] bytes = write("training batch 1 of 5", images, CifarPythonWriter.defaultFilenames(10));
        String latin1 = new String(bytes, StandardCharsets.ISO_8859_1);
        // Memo 1 = dict, 2 = 'batch_label', 3 = its value, 4 = 'labels', 5 = the list, 6 = 'data', ... as in data_batch_1.
        assertTrue(latin1.startsWith("\u0080\u0002}q\u0001(U\u000bbatch_labelq\u0002U\u0015training batch 1 of 5q\u0003"
                + "U\u0006labelsq\u0004]q\u0005("), latin1.substring(0, 60));
        String array = "U\u0004dataq\u0006cnumpy.core.multiarray\n_reconstruct\nq\u0007cnumpy\nndarray\nq\u0008"
                + "K\u0000\u0085U\u0001b\u0087Rq\u0009(K\u0001K\nM\u0000\u000c\u0086cnumpy\ndtype\nq\n"
                + "U\u0002u1K\u0000K\u0001\u0087Rq\u000b(K\u0003U\u0001|NNNJ\u00ff\u00ff\u00ff\u00ffJ\u00ff\u00ff\u00ff\u00ffK\u0000tb"
                + "\u0089T\u0000\u0078\u0000\u0000";
        assertTrue(latin1.contains(array), "ndarray reduce sequence");
        int pixelsAt = latin1.indexOf(array) + array.length();
        assertTrue(latin1.startsWith("tbU\tfilenamesq\u000c]q\r(U\u0010image_000000.pngq\u000e", pixelsAt + 30720));
        assertTrue(latin1.endsWith("U\u0010image_000009.pngq\u0017eu."));
    }

    @Test
    void listsLongerThanOneThousandItemsAreWrittenInBatchesWithLongBinputFromMemo256() throws IOException {
        CifarDataset images = Syncifar.generate(4, 1001);
        byte[] bytes = write("training batch 2 of 5", images, CifarPythonWriter.defaultFilenames(1001));
        String latin1 = new String(bytes, StandardCharsets.ISO_8859_1);
        // labels: MARK + 1,000 labels + APPENDS, then the single last label + APPEND
        int labelsAt = latin1.indexOf("U\u0006labelsq\u0004]q\u0005(") + 14;
        assertEquals('e', latin1.charAt(labelsAt + 2000));
        assertEquals("K" + (char) images.label(1000) + "a", latin1.substring(labelsAt + 2001, labelsAt + 2004));
        // filename k gets memo 14 + k: memo 256, the first LONG_BINPUT, is filename 242
        assertTrue(latin1.contains("U\u0010image_000241.pngq\u00ffU\u0010image_000242.pngr\u0000\u0001\u0000\u0000"));
        assertTrue(latin1.endsWith("U\u0010image_001000.pngr" + "\u00f6\u0003\u0000\u0000" + "au."));
    }

    @Test
    void aFullSizeBatchHasTheRealFilesFixedByteCount() throws IOException {
        // The format README: every byte of a real data batch except the filename characters is
        // fixed, 30,809,532 bytes (data_batch_1 is 31,035,704 with 226,172 filename characters).
        CifarDataset images = Syncifar.generate(1, 10_000);
        List<String> names = new ArrayList<>();
        long nameChars = 0;
        for (int i = 0; i < images.size(); i++) {
            names.add("n".repeat(1 + i % 40) + ".png");
            nameChars += names.get(i).length();
        }
        assertEquals(30_809_532L, writtenLength("training batch 1 of 5", images, names) - nameChars);
        assertEquals(30_809_531L, writtenLength("testing batch 1 of 1", images, names) - nameChars);
    }

    private static long writtenLength(String batchLabel, CifarDataset images, List<String> names) throws IOException {
        long[] count = {0};
        java.io.OutputStream counter = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        };
        CifarPythonWriter.writeDataBatch(counter, batchLabel, images, names);
        return count[0];
    }

    @Test
    void aWrittenDataBatchRoundTripsThroughTheReader() throws IOException {
        CifarDataset images = Syncifar.generate(5, 1200);
        byte[] bytes = write("testing batch 1 of 1", images, CifarPythonWriter.defaultFilenames(1200));
        CifarDataset read = CifarPickleReader.readDataBatch(new ByteArrayInputStream(bytes), bytes.length, "mem",
                CifarFormat.CLASS_NAMES);
        assertEquals(1200, read.size());
        for (int i = 0; i < read.size(); i++) {
            assertEquals(images.label(i), read.label(i));
            assertArrayEquals(images.image(i), read.image(i));
        }
    }

    @Test
    void pythonWithNumpyLoadsAWrittenBatchAsTorchvisionDoes() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3");
        Assumptions.assumeTrue(run("import numpy").exitCode == 0, "python3 has no numpy");
        CifarDataset images = Syncifar.generate(6, 1003);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            names.add("img_é" + i + ".png"); // a latin-1 character, as torchvision decodes it
        }
        Path batch = dir.resolve("data_batch_1");
        Files.write(batch, write("training batch 1 of 5", images, names));
        Path meta = dir.resolve("batches.meta");
        Files.write(meta, CifarPythonWriter.meta(CifarFormat.CLASS_NAMES, 10000));
        String script = String.join("\n",
                "import pickle, hashlib, numpy",
                "with open(r'" + batch + "', 'rb') as f: d = pickle.load(f, encoding='latin1')",
                "a = d['data']",
                "print(list(d.keys()))",
                "print(d['batch_label'])",
                "print(a.dtype, a.shape, a.flags['C_CONTIGUOUS'])",
                "print(hashlib.sha256(a.tobytes()).hexdigest())",
                "print(hashlib.sha256(bytes(d['labels'])).hexdigest())",
                "print(d['filenames'][0], d['filenames'][1002], len(d['filenames']))",
                "with open(r'" + meta + "', 'rb') as f: m = pickle.load(f)",
                "print(m['label_names'][9], m['num_cases_per_batch'], m['num_vis'])");
        Result result = run(script);
        assertEquals(0, result.exitCode, result.output);
        byte[] pixels = new byte[images.size() * 3072];
        byte[] labels = new byte[images.size()];
        for (int i = 0; i < images.size(); i++) {
            images.copyImage(i, pixels, i * 3072);
            labels[i] = (byte) images.label(i);
        }
        assertEquals(List.of("['batch_label', 'labels', 'data', 'filenames']", "training batch 1 of 5",
                "uint8 (1003, 3072) True", Hashes.sha256(pixels), Hashes.sha256(labels),
                "img_é0.png img_é1002.png 1003", "truck 10000 3072"), result.output.lines().toList());
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(String script) throws Exception {
        Process process = new ProcessBuilder("/usr/bin/python3", "-W", "ignore", "-c", script)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Result(process.exitValue(), output);
    }

    private static byte[] write(String batchLabel, CifarDataset images, List<String> filenames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CifarPythonWriter.writeDataBatch(out, batchLabel, images, filenames);
        return out.toByteArray();
    }
}
