package io.backstream.trainer.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local pipeline's operator token: made once (random, owner-only), then reused; never in the repository. */
class ApiTokenFileTest {

    @Test
    void theFirstStartMakesARandomOwnerOnlyToken(@TempDir Path home) throws IOException {
        Path file = home.resolve("work").resolve("api-token");
        String token = ApiTokenFile.ensure(file);
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token); // 256 bits, base64url
        assertEquals(token, Files.readString(file).strip());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        try (var left = Files.list(file.getParent())) {
            assertEquals(1, left.count(), "no temporary file left behind");
        }
    }

    @Test
    void laterStartsReuseItAndTightenItsMode(@TempDir Path home) throws IOException {
        Path file = home.resolve("api-token");
        String token = ApiTokenFile.ensure(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(token, ApiTokenFile.ensure(file));
        assertEquals(token, ApiTokenFile.read(file));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
    }

    @Test
    void anEmptyOrDamagedFileIsReplacedAndTokensDiffer(@TempDir Path home) throws IOException {
        Path file = home.resolve("api-token");
        Files.writeString(file, "short\n");
        assertThrows(IOException.class, () -> ApiTokenFile.read(file));
        String token = ApiTokenFile.ensure(file);
        assertNotEquals("short", token);
        assertNotEquals(token, ApiTokenFile.newToken());
    }

    @Test
    void theTrainerGetsItAsAnOperatorBesideTokensItAlreadyHas() {
        assertEquals("local-pipeline:operator:tok", ApiTokenFile.trainerTokens(null, "tok"));
        assertEquals("local-pipeline:operator:tok", ApiTokenFile.trainerTokens(" ", "tok"));
        assertEquals("ci:viewer:abc,local-pipeline:operator:tok", ApiTokenFile.trainerTokens("ci:viewer:abc", "tok"));
    }
}
