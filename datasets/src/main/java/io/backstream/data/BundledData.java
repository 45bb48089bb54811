package io.backstream.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The project's default dataset: the SYNCIFAR v1 train/test pair. Instead of committing 7.7 MB of
 * binaries, it is generated on first use (about 0.1 s) and checked against the spec's sha256, so
 * every machine trains on the same bytes.
 */
public final class BundledData {

    /** One default file: its name, generator seed, record count and expected sha256. */
    public record DefaultFile(String name, long seed, int records, String sha256) {
    }

    public static final DefaultFile TRAIN = new DefaultFile("syn_train.bin", 1, 2000,
            "1c58d58965adbf28eb9610dc1a1a35f0fb689f119cbde588c81ff00ee89270e8");
    public static final DefaultFile TEST = new DefaultFile("syn_test.bin", 2, 500,
            "51334311cfb734bb7ff329d9c0fe14881fe0e7908f53aa08113bdabf8d193278");

    /** Where the pair lives after {@link #ensure}. */
    public record Files(Path train, Path test) {
    }

    private BundledData() {
    }

    /**
     * Makes sure {@code dir} holds syn_train.bin and syn_test.bin with the expected contents:
     * missing files are generated, files with other contents are regenerated (they are derived
     * data, never edited by hand).
     */
    public static Files ensure(Path dir) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        return new Files(ensure(dir, TRAIN), ensure(dir, TEST));
    }

    private static Path ensure(Path dir, DefaultFile file) throws IOException {
        Path target = dir.resolve(file.name());
        if (java.nio.file.Files.isRegularFile(target) && file.sha256().equals(sha256(target))) {
            return target;
        }
        String written = generate(target, file.seed(), file.records());
        if (!file.sha256().equals(written)) {
            throw new IllegalStateException("generated " + target + " has sha256 " + written + ", the SYNCIFAR v1 spec says "
                    + file.sha256() + ": the generator is broken");
        }
        return target;
    }

    /**
     * Writes a SYNCIFAR binary file through a temporary file and an atomic rename, so a crash or
     * a concurrent start never leaves a half-written file under the final name. Returns its sha256.
     */
    public static String generate(Path target, long seed, int records) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        java.nio.file.Files.createDirectories(parent);
        Path temp = java.nio.file.Files.createTempFile(parent, target.getFileName().toString(), ".tmp");
        try {
            MessageDigest digest = sha256Digest();
            try (OutputStream out = new DigestOutputStream(
                    new BufferedOutputStream(java.nio.file.Files.newOutputStream(temp), 1 << 16), digest)) {
                Syncifar.write(seed, records, out);
            }
            java.nio.file.Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return HexFormat.of().formatHex(digest.digest());
        } finally {
            java.nio.file.Files.deleteIfExists(temp);
        }
    }

    /** The sha256 of a file, lowercase hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256Digest();
        try (InputStream in = new DigestInputStream(java.nio.file.Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
