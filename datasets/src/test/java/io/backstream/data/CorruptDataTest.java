package io.backstream.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged data never yields a partial dataset: every kind of damage is a DatasetFormatException
 * that names the file (and archive member) and the byte offset where the damage is.
 */
class CorruptDataTest {

    /** Where the first label's BININT1 sits in a batch written with batch label "testing batch 1 of 1". */
    private static final String LABELS_START = "U\u0006labelsq\u0004]q\u0005(";

    @TempDir
    Path dir;

    final SmallCifar cifar = new SmallCifar();

    // ---- binary version ----

    @Test
    void aTruncatedBinFileIsAWrongLengthAtTheStartOfTheIncompleteRecord() throws IOException {
        byte[] whole = CifarBinaryWriter.toBytes(cifar.test);
        Path file = write("test_batch.bin", Arrays.copyOf(whole, whole.length - 100));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(file, Split.TEST));
        assertEquals(file.toString(), e.source());
        assertEquals(8 * 3073, e.offset());
        assertTrue(e.getMessage().contains("not a multiple of 3073"), e.getMessage());
    }

    @Test
    void recordsOfTheWrongSizeAreRejectedBeforeAnyLabelIsRead() throws IOException {
        // 3072-byte records (labels forgotten): 10 of them are 3 whole 3073-byte records and change
        byte[] withoutLabels = new byte[10 * 3072];
        Path file = write("nolabels.bin", withoutLabels);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(file, Split.TEST));
        assertEquals(9 * 3073, e.offset());
        assertTrue(e.getMessage().startsWith(file + " at byte offset 27657: wrong record size: length 30720"),
                e.getMessage());
    }

    @Test
    void aBinaryLabelOutsideZeroToNineNamesTheRecordAndItsOffset() throws IOException {
        byte[] bytes = CifarBinaryWriter.toBytes(cifar.test);
        bytes[4 * 3073] = 10;
        Path file = write("test_batch.bin", bytes);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(file, Split.TEST));
        assertEquals(4 * 3073, e.offset());
        assertTrue(e.getMessage().contains("label 10 of record 4 is outside 0..9"), e.getMessage());
    }

    @Test
    void aBinaryMemberOfTheWrongSizeInsideAnArchiveNamesArchiveAndMember() throws IOException {
        Path good = dir.resolve("good.tar.gz");
        CifarLayoutWriter.writeBinaryArchive(good, cifar.trainBatches, cifar.test);
        Path bad = dir.resolve("cifar-10-binary.tar.gz");
        rewriteArchive(good, bad, "cifar-10-batches-bin/data_batch_2.bin",
                bytes -> Arrays.copyOf(bytes, bytes.length - 1));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(bad, Split.TRAIN));
        assertEquals(bad + " (member cifar-10-batches-bin/data_batch_2.bin)", e.source());
        assertEquals(7 * 3073, e.offset()); // data_batch_2 holds 8 records; the last one is short
    }

    // ---- python version ----

    @Test
    void aPythonLabelOutsideZeroToNinePointsAtItsBinint1() throws IOException {
        byte[] bytes = pythonBatch(cifar.test);
        int label3 = Bytes.indexOf(bytes, LABELS_START) + LABELS_START.length() + 2 * 3;
        bytes[label3 + 1] = 12;
        Path file = write("test_batch", bytes);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(file, Split.TEST));
        assertEquals(label3, e.offset());
        assertTrue(e.getMessage().contains("label 3 is 12, expected an int 0..9"), e.getMessage());
    }

    @Test
    void aTruncatedPythonBatchReportsTheOffsetWhereTheFileEndsInsideThePixels() throws IOException {
        byte[] bytes = pythonBatch(cifar.test);
        int pixels = Bytes.indexOf(bytes, "\u0089T") + 6;
        Path file = write("test_batch", Arrays.copyOf(bytes, pixels + 1000));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(file, Split.TEST));
        assertEquals(pixels + 1000, e.offset());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("BINSTRING at offset " + (pixels - 5)), e.getMessage());
    }

    @Test
    void aPythonBatchCutJustBeforeItsStopIsTruncatedAtTheEnd() throws IOException {
        byte[] bytes = pythonBatch(cifar.test);
        Path file = write("test_batch", Arrays.copyOf(bytes, bytes.length - 1));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(file, Split.TEST));
        assertEquals(bytes.length - 1, e.offset());
        assertTrue(e.getMessage().contains("no STOP"), e.getMessage());
    }

    @Test
    void anUnknownOpcodeIsNamedWithItsOffset() throws IOException {
        byte[] bytes = pythonBatch(cifar.test);
        int appends = Bytes.indexOf(bytes, LABELS_START) + LABELS_START.length() + 2 * cifar.test.size();
        assertEquals('e', bytes[appends]);
        bytes[appends] = 'X'; // BINUNICODE: protocol 1+, but never written by Python 2 for CIFAR
        Path file = write("test_batch", bytes);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(file, Split.TEST));
        assertEquals(appends, e.offset());
        assertTrue(e.getMessage().contains("unknown or unsupported pickle opcode 0x58 'X'"), e.getMessage());
    }

    @Test
    void aGlobalOtherThanNumpysReconstructorsIsRefusedBeforeAnythingRuns() throws IOException {
        byte[] evil = "\u0080\u0002cos\nsystem\nq\u0001U\u0002lsq\u0002\u0085Rq\u0003.".getBytes(StandardCharsets.ISO_8859_1);
        Path file = write("data_batch_1", evil);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(file, Split.TRAIN));
        assertEquals(2, e.offset());
        assertTrue(e.getMessage().contains("GLOBAL os.system is not allowed"), e.getMessage());
    }

    @Test
    void aLabelCountThatDisagreesWithTheArrayRowsIsRejected() throws IOException {
        byte[] bytes = pythonBatch(cifar.test);
        int list = Bytes.indexOf(bytes, LABELS_START) + 10;
        byte[] oneLabelShort = Bytes.remove(bytes, list + 4, 2);
        Path file = write("test_batch", oneLabelShort);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(file, Split.TEST));
        assertEquals(list, e.offset()); // the EMPTY_LIST that starts 'labels'
        assertTrue(e.getMessage().contains("'labels' has 8 entries but 'data' has 9 rows"), e.getMessage());
    }

    @Test
    void anArrayShapeThatDisagreesWithItsBytesIsRejected() throws IOException {
        byte[] bytes = pythonBatch(cifar.test);
        int shape = Bytes.indexOf(bytes, "K\u0001K\tM\u0000\u000c\u0086");
        bytes[shape + 3] = 8; // claims (8, 3072) over 9 images' bytes
        Path file = write("test_batch", bytes);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(file, Split.TEST));
        int dataArray = Bytes.indexOf(bytes, "cnumpy.core.multiarray");
        assertEquals(dataArray, e.offset());
        assertTrue(e.getMessage().contains("has shape [8, 3072] but 27648 bytes, expected 24576"), e.getMessage());
    }

    @Test
    void anArrayThatIsNotUint8IsRejected() throws IOException {
        byte[] bytes = pythonBatch(cifar.test);
        int dtype = Bytes.indexOf(bytes, "U\u0002u1");
        bytes[dtype + 2] = 'i'; // int8
        Path file = write("test_batch", bytes);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(file, Split.TEST));
        assertTrue(e.getMessage().contains("dtype 'i1', expected 'u1'"), e.getMessage());
    }

    @Test
    void bytesAfterTheStopAreNotSilentlyIgnored() throws IOException {
        byte[] bytes = pythonBatch(cifar.test);
        byte[] padded = Arrays.copyOf(bytes, bytes.length + 3);
        Path file = write("test_batch", padded);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(file, Split.TEST));
        assertEquals(bytes.length, e.offset());
        assertTrue(e.getMessage().contains("after the pickle's STOP"), e.getMessage());
    }

    // ---- archives ----

    @Test
    void aMissingMemberIsNamedWithinTheArchive() throws IOException {
        Path good = dir.resolve("good.tar.gz");
        CifarLayoutWriter.writePythonArchive(good, cifar.trainBatches, cifar.test);
        Path bad = dir.resolve("cifar-10-python.tar.gz");
        rewriteArchive(good, bad, "cifar-10-batches-py/data_batch_3", null);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(bad, Split.TRAIN));
        assertEquals(bad + " (member cifar-10-batches-py/data_batch_3)", e.source());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        SmallCifar.assertSameImages(cifar.test, CifarDatasets.open(bad, Split.TEST));
    }

    @Test
    void aShortArchiveIsReportedWithTheMemberBeingReadAndHowFarItGot() throws IOException {
        Path good = dir.resolve("good.tar.gz");
        CifarLayoutWriter.writeBinaryArchive(good, cifar.trainBatches, cifar.test);
        byte[] bytes = Files.readAllBytes(good);
        Path bad = write("cifar-10-binary.tar.gz", Arrays.copyOf(bytes, bytes.length / 2));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(bad, Split.TRAIN));
        assertTrue(e.source().startsWith(bad.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt or truncated") || e.getMessage().contains("truncated"),
                e.getMessage());
        assertTrue(e.offset() > 0 && e.offset() <= bytes.length / 2, e.getMessage());
    }

    @Test
    void aTarTruncatedInsideAMemberNamesThatMember() throws IOException {
        Path good = dir.resolve("good.tar.gz");
        CifarLayoutWriter.writePythonArchive(good, cifar.trainBatches, cifar.test);
        byte[] tar;
        try (InputStream in = new GzipCompressorInputStream(Files.newInputStream(good))) {
            tar = in.readAllBytes();
        }
        // the first member after the directory entry is data_batch_4: its header at 512, data from 1024
        Path bad = dir.resolve("cifar-10-python.tar.gz");
        try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(bad))) {
            out.write(tar, 0, 1024 + 5000);
        }
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(bad, Split.TRAIN));
        assertTrue(e.source().equals(bad + " (member cifar-10-batches-py/data_batch_4)"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("Truncated"), e.getMessage());
    }

    @Test
    void corruptCompressedBytesAreReportedAgainstTheArchive() throws IOException {
        Path good = dir.resolve("good.tar.gz");
        CifarLayoutWriter.writePythonArchive(good, cifar.trainBatches, cifar.test);
        byte[] bytes = Files.readAllBytes(good);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 64; i++) {
            bytes[i] = (byte) 0xff;
        }
        Path bad = write("cifar-10-python.tar.gz", bytes);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(bad, Split.TRAIN));
        assertTrue(e.source().startsWith(bad.toString()), e.getMessage());
        assertTrue(e.offset() >= 0, e.getMessage());
    }

    @Test
    void aGzipThatIsNotATarIsACorruptArchive() throws IOException {
        Path bad = dir.resolve("cifar-10-python.tar.gz");
        try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(bad))) {
            out.write("just some text, not a tar archive".repeat(20).getBytes(StandardCharsets.US_ASCII));
        }
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> CifarDatasets.open(bad, Split.TRAIN));
        assertTrue(e.source().startsWith(bad.toString()), e.getMessage());
    }

    // ---- helpers ----

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] pythonBatch(CifarDataset images) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CifarPythonWriter.writeDataBatch(out, "testing batch 1 of 1", images,
                CifarPythonWriter.defaultFilenames(images.size()));
        return out.toByteArray();
    }

    /** Copies an archive, dropping (edit == null) or editing one member. */
    private static void rewriteArchive(Path from, Path to, String member, java.util.function.UnaryOperator<byte[]> edit)
            throws IOException {
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(from)));
                TarArchiveOutputStream out = new TarArchiveOutputStream(
                        new GzipCompressorOutputStream(Files.newOutputStream(to)))) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] content = in.readAllBytes();
                if (entry.getName().equals(member)) {
                    if (edit == null) {
                        continue;
                    }
                    content = edit.apply(content);
                }
                TarArchiveEntry copy = new TarArchiveEntry(entry.getName());
                copy.setSize(entry.isDirectory() ? 0 : content.length);
                out.putArchiveEntry(copy);
                out.write(content);
                out.closeArchiveEntry();
            }
        }
    }
}
