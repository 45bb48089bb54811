package io.backstream.trainer.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The local pipeline's operator API token, in {@code work/api-token} (git-ignored, mode 0600): made
 * with 256 random bits the first time the pipeline starts, then reused, so that
 * {@code curl -H "Authorization: Bearer $(cat work/api-token)"} keeps working across restarts and a
 * second pipeline (e2e beside a demo) does not pull the token from under the first. Delete the file
 * to get a new token at the next start.
 */
public final class ApiTokenFile {
    public static final String NAME = "api-token";
    /** The trainer's entry for this token (backstream.auth.tokens): name:role:token. */
    static final String HOLDER = "local-pipeline";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final int MIN_LENGTH = 16;

    private ApiTokenFile() {}

    /** The token in {@code file}, made first if there is none (or no usable one); the file is left owner-only. */
    public static String ensure(Path file) throws IOException {
        String existing = readIfValid(file);
        if (existing != null) {
            restrict(file);
            return existing;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file); // an empty or damaged one
        String token = newToken();
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + NAME, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
            Files.createLink(file, tmp); // appears whole or not at all, and never replaces one made meanwhile
            return token;
        } catch (FileAlreadyExistsException raced) {
            String other = readIfValid(file);
            if (other == null) throw new IOException(file + " was just written by another process and holds no token; delete it and start again");
            return other;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The token in {@code file}, for the CLI's own calls to a pipeline it did not start. */
    public static String read(Path file) throws IOException {
        String token = readIfValid(file);
        if (token == null) throw new IOException(file + " holds no API token (at least " + MIN_LENGTH + " characters)");
        return token;
    }

    /** The trainer's {@code BACKSTREAM_AUTH_TOKENS}: the entries it already has from this environment, plus this token as an operator. */
    static String trainerTokens(String inherited, String token) {
        String entry = HOLDER + ":operator:" + token;
        return inherited == null || inherited.isBlank() ? entry : inherited.strip() + "," + entry;
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String readIfValid(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return null;
        String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
        return token.length() >= MIN_LENGTH && token.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ',') ? token : null;
    }

    private static void restrict(Path file) throws IOException {
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) Files.setPosixFilePermissions(file, OWNER_ONLY);
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX modes
        }
    }
}
