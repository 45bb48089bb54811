package io.backstream.data;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes the CIFAR-10 binary version: 3073-byte records, and batches.meta.txt. */
public final class CifarBinaryWriter {

    private CifarBinaryWriter() {
    }

    /** Every image as a record (label byte + 3072 pixel bytes); the stream is not closed. */
    public static void write(OutputStream out, CifarDataset images) throws IOException {
        byte[] record = new byte[CifarFormat.RECORD_BYTES];
        for (int i = 0; i < images.size(); i++) {
            record[0] = (byte) images.label(i);
            images.copyImage(i, record, 1);
            out.write(record);
        }
    }

    public static void write(Path file, CifarDataset images) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(out, images);
        }
    }

    public static byte[] toBytes(CifarDataset images) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(images.size() * CifarFormat.RECORD_BYTES);
        try {
            write(out, images);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** batches.meta.txt: one class name per line, line i names label i. */
    public static byte[] classNamesText(List<String> classNames) {
        StringBuilder text = new StringBuilder();
        for (String name : classNames) {
            text.append(name).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
