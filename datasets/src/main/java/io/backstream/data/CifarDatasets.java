package io.backstream.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one entry point for reading CIFAR-10 as users have it on disk. The format is detected from
 * the path itself (directory layout, gzip magic, pickle PROTO byte, .bin record layout), so the
 * caller never has to say which version of the download it has.
 */
public final class CifarDatasets {

    /** What {@link #open} accepts, for error messages and --help texts. */
    public static final String ACCEPTED_FORMATS = String.join("\n",
            "accepted CIFAR-10 layouts:",
            "  binary version: a .bin file of 3073-byte records (label + 3072 pixels), a cifar-10-batches-bin/"
                    + " directory (data_batch_1..5.bin, test_batch.bin, batches.meta.txt), or cifar-10-binary.tar.gz",
            "  python version: one pickled batch file (data_batch_1, test_batch, ...), a cifar-10-batches-py/"
                    + " directory (data_batch_1..5, test_batch, batches.meta), or cifar-10-python.tar.gz",
            "  a directory that contains one of these folders or archives (e.g. torchvision's root)");

    private static final String BINARY_ARCHIVE = "cifar-10-binary.tar.gz";
    private static final String PYTHON_ARCHIVE = "cifar-10-python.tar.gz";

    private CifarDatasets() {
    }

    /**
     * Reads the {@code split} of the CIFAR-10 data at {@code path}. A single batch file is read
     * whole whatever the split (it is one split already); class names come from batches.meta(.txt)
     * next to the data when present, else the CIFAR-10 names.
     *
     * @throws DatasetFormatException if the path does not exist, is no known format, or is damaged;
     *                                the message names the file, archive member and byte offset
     */
    public static CifarDataset open(Path path, Split split) throws IOException {
        if (!Files.exists(path)) {
            throw new DatasetFormatException(path.toString(), -1, "no such file or directory\n" + ACCEPTED_FORMATS);
        }
        if (Files.isDirectory(path)) {
            return openDirectory(path, split);
        }
        long size = Files.size(path);
        if (size == 0) {
            throw new DatasetFormatException(path.toString(), -1, "the file is empty\n" + ACCEPTED_FORMATS);
        }
        int[] head = firstBytes(path);
        if (head[0] == 0x1f && head[1] == 0x8b) {
            return CifarArchiveReader.read(path, split);
        }
        if (head[0] == 0x80) {
            return readPythonBatch(path, metaNames(path.resolveSibling(CifarBatchFiles.PYTHON_META), false));
        }
        boolean looksBinary = head[0] < CifarFormat.NUM_CLASSES && size % CifarFormat.RECORD_BYTES == 0;
        if (path.getFileName().toString().endsWith(".bin") || looksBinary) {
            return readBinaryFile(path, metaNames(path.resolveSibling(CifarBatchFiles.BINARY_META), true));
        }
        throw new DatasetFormatException(path.toString(), 0, String.format("not a known CIFAR-10 format (starts with "
                + "0x%02x 0x%02x: no gzip magic, no pickle PROTO, no .bin name; %d bytes is not a multiple of %d)%n%s",
                head[0], head[1], size, CifarFormat.RECORD_BYTES, ACCEPTED_FORMATS));
    }

    private static CifarDataset openDirectory(Path dir, Split split) throws IOException {
        if (containsAny(dir, "data_batch_1.bin", "test_batch.bin", CifarBatchFiles.BINARY_META)) {
            return readBatchDirectory(dir, split, true);
        }
        if (containsAny(dir, "data_batch_1", "test_batch", CifarBatchFiles.PYTHON_META)) {
            return readBatchDirectory(dir, split, false);
        }
        for (String inner : List.of(CifarLayoutWriter.BINARY_FOLDER, CifarLayoutWriter.PYTHON_FOLDER)) {
            if (Files.isDirectory(dir.resolve(inner))) {
                return openDirectory(dir.resolve(inner), split);
            }
        }
        for (String archive : List.of(BINARY_ARCHIVE, PYTHON_ARCHIVE)) {
            if (Files.isRegularFile(dir.resolve(archive))) {
                return CifarArchiveReader.read(dir.resolve(archive), split);
            }
        }
        throw new DatasetFormatException(dir.toString(), -1, "the directory holds no CIFAR-10 data\n" + ACCEPTED_FORMATS);
    }

    private static CifarDataset readBatchDirectory(Path dir, Split split, boolean binary) throws IOException {
        List<String> classNames = binary ? metaNames(dir.resolve(CifarBatchFiles.BINARY_META), true)
                : metaNames(dir.resolve(CifarBatchFiles.PYTHON_META), false);
        List<CifarDataset> parts = new ArrayList<>();
        List<String> names = CifarBatchFiles.names(split, binary);
        for (String name : names) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new DatasetFormatException(file.toString(), -1, "missing: the " + split.name().toLowerCase()
                        + " split of a " + dir.getFileName() + " directory needs " + String.join(", ", names));
            }
            parts.add(binary ? readBinaryFile(file, classNames) : readPythonBatch(file, classNames));
        }
        return parts.size() == 1 ? parts.get(0)
                : CifarDataset.concat(parts, classNames, dir + " (" + String.join(", ", names) + ")");
    }

    private static CifarDataset readBinaryFile(Path file, List<String> classNames) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return CifarBinaryReader.read(in, Files.size(file), file.toString(), classNames);
        }
    }

    private static CifarDataset readPythonBatch(Path file, List<String> classNames) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return CifarPickleReader.readDataBatch(in, Files.size(file), file.toString(), classNames);
        }
    }

    /** Class names from a meta file if it exists, else the CIFAR-10 names. */
    private static List<String> metaNames(Path meta, boolean binary) throws IOException {
        if (!Files.isRegularFile(meta)) {
            return CifarFormat.CLASS_NAMES;
        }
        try (InputStream in = Files.newInputStream(meta)) {
            return binary ? CifarBinaryReader.readClassNames(in, meta.toString())
                    : CifarPickleReader.readClassNames(in, Files.size(meta), meta.toString());
        }
    }

    private static boolean containsAny(Path dir, String... names) {
        for (String name : names) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return true;
            }
        }
        return false;
    }

    private static int[] firstBytes(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new int[] {in.read(), in.read()};
        }
    }
}
