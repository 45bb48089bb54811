package io.backstream.data.service;

import io.backstream.data.CifarBinaryWriter;
import io.backstream.data.CifarDataset;
import io.backstream.data.CifarLayoutWriter;
import io.backstream.data.CifarPythonWriter;
import io.backstream.data.Syncifar;
import io.backstream.events.Cifar10;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Damage a run's dataset can have, one kind per reader path (binary file, python batch, archive,
 * directory), each written into a fresh folder from small SYNCIFAR data, with where the loader
 * must say the damage is: the file (or archive) and, where there is one, the byte offset.
 */
enum DamagedDataset {
    TRUNCATED_BINARY_FILE("a .bin file cut inside its fourth record") {
        @Override
        Path write(Path dir) throws IOException {
            return Files.write(dir.resolve("data_batch_1.bin"), Arrays.copyOf(binary(4), 3 * Cifar10.RECORD_BYTES + 100));
        }

        @Override
        String where(Path dataset) {
            return dataset + " at byte offset " + 3 * Cifar10.RECORD_BYTES + ": wrong record size: length "
                    + (3 * Cifar10.RECORD_BYTES + 100) + " is not a multiple of 3073";
        }
    },
    BINARY_LABEL_OUTSIDE_0_TO_9("a .bin file whose third record has label 10") {
        @Override
        Path write(Path dir) throws IOException {
            byte[] bytes = binary(4);
            bytes[2 * Cifar10.RECORD_BYTES] = 10;
            return Files.write(dir.resolve("data_batch_1.bin"), bytes);
        }

        @Override
        String where(Path dataset) {
            return dataset + " at byte offset " + 2 * Cifar10.RECORD_BYTES + ": label 10 of record 2 is outside 0..9";
        }
    },
    TRUNCATED_PYTHON_BATCH("a python batch file cut before its STOP") {
        @Override
        Path write(Path dir) throws IOException {
            byte[] bytes = python(4);
            return Files.write(dir.resolve("data_batch_1"), Arrays.copyOf(bytes, bytes.length - 1));
        }

        @Override
        String where(Path dataset) {
            return dataset + " at byte offset " + (python(4).length - 1) + ": truncated: the data ends inside the next opcode (the pickle has no STOP)";
        }
    },
    BYTES_AFTER_THE_PICKLE("a python batch file with bytes after its pickle's STOP") {
        @Override
        Path write(Path dir) throws IOException {
            byte[] bytes = python(4);
            return Files.write(dir.resolve("data_batch_1"), Arrays.copyOf(bytes, bytes.length + 3));
        }

        @Override
        String where(Path dataset) {
            return dataset + " at byte offset " + python(4).length + ": unexpected data after the pickle's STOP";
        }
    },
    CORRUPT_ARCHIVE("a cifar-10-binary.tar.gz with 64 bytes of its compressed stream overwritten") {
        @Override
        Path write(Path dir) throws IOException {
            Path archive = dir.resolve("cifar-10-binary.tar.gz");
            CifarLayoutWriter.writeBinaryArchive(archive, trainingBatches(), Syncifar.generate(9, 8));
            byte[] bytes = Files.readAllBytes(archive);
            Arrays.fill(bytes, bytes.length / 3, bytes.length / 3 + 64, (byte) 0xff);
            return Files.write(archive, bytes);
        }

        @Override
        String where(Path dataset) {
            return dataset + " at byte offset ";   // where the stream broke, somewhere after the overwritten bytes
        }
    },
    DAMAGED_TEST_SPLIT("a cifar-10-batches-bin folder whose training batches are fine but whose test_batch.bin is cut short") {
        @Override
        Path write(Path dir) throws IOException {
            Path folder = CifarLayoutWriter.writeBinaryDirectory(dir, trainingBatches(), Syncifar.generate(9, 8));
            Path test = folder.resolve("test_batch.bin");
            byte[] bytes = Files.readAllBytes(test);
            Files.write(test, Arrays.copyOf(bytes, bytes.length - 100));
            return folder;
        }

        @Override
        String where(Path dataset) {
            return dataset.resolve("test_batch.bin") + " at byte offset " + 7 * Cifar10.RECORD_BYTES + ": wrong record size: ";
        }
    };

    private final String description;

    DamagedDataset(String description) {
        this.description = description;
    }

    /** Writes the damaged dataset into {@code dir}; returns what a run spec's "dataset" names. */
    abstract Path write(Path dir) throws IOException;

    /**
     * How the loader's reason must go on after "dataset <path>: ": the file (or archive member) and
     * the byte offset, and for some kinds the problem itself.
     */
    abstract String where(Path dataset);

    @Override
    public String toString() {
        return description;
    }

    /** CIFAR-10's five training batches, of 4 images each. */
    private static List<CifarDataset> trainingBatches() {
        return List.of(Syncifar.generate(1, 4), Syncifar.generate(2, 4), Syncifar.generate(3, 4), Syncifar.generate(4, 4),
                Syncifar.generate(5, 4));
    }

    private static byte[] binary(int records) {
        return CifarBinaryWriter.toBytes(Syncifar.generate(1, records));
    }

    private static byte[] python(int records) {
        CifarDataset images = Syncifar.generate(1, records);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            CifarPythonWriter.writeDataBatch(out, "training batch 1 of 1", images, CifarPythonWriter.defaultFilenames(records));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
