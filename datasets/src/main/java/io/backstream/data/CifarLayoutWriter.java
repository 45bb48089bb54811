package io.backstream.data;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Writes complete CIFAR-10 layouts as users download them: {@code cifar-10-binary.tar.gz} /
 * {@code cifar-10-batches-bin/} and {@code cifar-10-python.tar.gz} / {@code cifar-10-batches-py/},
 * so that readers are tested on files in the real formats (and SYNCIFAR data can be handed to
 * tools that expect CIFAR-10). Members are produced one at a time; only one is in memory.
 */
public final class CifarLayoutWriter {

    public static final String BINARY_FOLDER = "cifar-10-batches-bin";
    public static final String PYTHON_FOLDER = "cifar-10-batches-py";

    /** The genuine readme.html line (87 characters + LF), present in both archives. */
    static final String README_HTML =
            "<meta HTTP-EQUIV=\"REFRESH\" content=\"0; url=http://www.cs.toronto.edu/~kriz/cifar.html\">\n";

    /** A fixed timestamp keeps written archives byte-identical between runs. */
    private static final Date MOD_TIME = new Date(1244073600000L);

    private interface Content {
        byte[] bytes() throws IOException;
    }

    private record Member(String name, Content content) {
    }

    private CifarLayoutWriter() {
    }

    public static void writeBinaryArchive(Path tgz, List<CifarDataset> trainBatches, CifarDataset test)
            throws IOException {
        writeTarGz(tgz, BINARY_FOLDER, binaryMembers(trainBatches, test));
    }

    public static void writePythonArchive(Path tgz, List<CifarDataset> trainBatches, CifarDataset test)
            throws IOException {
        writeTarGz(tgz, PYTHON_FOLDER, pythonMembers(trainBatches, test));
    }

    /** Writes {@code parent/cifar-10-batches-bin/} and returns it. */
    public static Path writeBinaryDirectory(Path parent, List<CifarDataset> trainBatches, CifarDataset test)
            throws IOException {
        return writeDirectory(parent.resolve(BINARY_FOLDER), binaryMembers(trainBatches, test));
    }

    /** Writes {@code parent/cifar-10-batches-py/} and returns it. */
    public static Path writePythonDirectory(Path parent, List<CifarDataset> trainBatches, CifarDataset test)
            throws IOException {
        return writeDirectory(parent.resolve(PYTHON_FOLDER), pythonMembers(trainBatches, test));
    }

    /**
     * The reference does not record the binary archive's member order; like the python archive's
     * it is deliberately not alphabetical, so a reader that relies on the order fails our tests.
     */
    private static List<Member> binaryMembers(List<CifarDataset> train, CifarDataset test) {
        requireFive(train);
        List<Member> members = new ArrayList<>();
        members.add(new Member("data_batch_4.bin", () -> CifarBinaryWriter.toBytes(train.get(3))));
        members.add(new Member("readme.html", CifarLayoutWriter::readme));
        members.add(new Member("test_batch.bin", () -> CifarBinaryWriter.toBytes(test)));
        members.add(new Member("data_batch_3.bin", () -> CifarBinaryWriter.toBytes(train.get(2))));
        members.add(new Member("batches.meta.txt", () -> CifarBinaryWriter.classNamesText(test.classNames())));
        members.add(new Member("data_batch_2.bin", () -> CifarBinaryWriter.toBytes(train.get(1))));
        members.add(new Member("data_batch_5.bin", () -> CifarBinaryWriter.toBytes(train.get(4))));
        members.add(new Member("data_batch_1.bin", () -> CifarBinaryWriter.toBytes(train.get(0))));
        return members;
    }

    /** The member order of the real cifar-10-python.tar.gz. */
    private static List<Member> pythonMembers(List<CifarDataset> train, CifarDataset test) {
        requireFive(train);
        List<Member> members = new ArrayList<>();
        members.add(new Member("data_batch_4", () -> pythonBatch("training batch 4 of 5", train.get(3))));
        members.add(new Member("readme.html", CifarLayoutWriter::readme));
        members.add(new Member("test_batch", () -> pythonBatch("testing batch 1 of 1", test)));
        members.add(new Member("data_batch_3", () -> pythonBatch("training batch 3 of 5", train.get(2))));
        members.add(new Member("batches.meta", () -> CifarPythonWriter.meta(test.classNames(), train.get(0).size())));
        members.add(new Member("data_batch_2", () -> pythonBatch("training batch 2 of 5", train.get(1))));
        members.add(new Member("data_batch_5", () -> pythonBatch("training batch 5 of 5", train.get(4))));
        members.add(new Member("data_batch_1", () -> pythonBatch("training batch 1 of 5", train.get(0))));
        return members;
    }

    private static byte[] pythonBatch(String batchLabel, CifarDataset images) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CifarPythonWriter.writeDataBatch(out, batchLabel, images, CifarPythonWriter.defaultFilenames(images.size()));
        return out.toByteArray();
    }

    private static byte[] readme() {
        return README_HTML.getBytes(StandardCharsets.US_ASCII);
    }

    private static void requireFive(List<CifarDataset> train) {
        if (train.size() != CifarFormat.TRAIN_BATCHES) {
            throw new IllegalArgumentException("CIFAR-10 has " + CifarFormat.TRAIN_BATCHES + " training batches, got "
                    + train.size());
        }
    }

    private static void writeTarGz(Path tgz, String folder, List<Member> members) throws IOException {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tgz), 1 << 16);
                GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            TarArchiveEntry dir = new TarArchiveEntry(folder + "/");
            dir.setModTime(MOD_TIME);
            tar.putArchiveEntry(dir);
            tar.closeArchiveEntry();
            for (Member member : members) {
                byte[] bytes = member.content().bytes();
                TarArchiveEntry entry = new TarArchiveEntry(folder + "/" + member.name());
                entry.setSize(bytes.length);
                entry.setModTime(MOD_TIME);
                tar.putArchiveEntry(entry);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    private static Path writeDirectory(Path dir, List<Member> members) throws IOException {
        Files.createDirectories(dir);
        for (Member member : members) {
            Files.write(dir.resolve(member.name()), member.content().bytes());
        }
        return dir;
    }
}
