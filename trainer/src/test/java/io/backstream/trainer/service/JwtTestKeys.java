package io.backstream.trainer.service;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;

/**
 * A key pair made for this test JVM: the trainer verifies JWTs with its public key
 * ({@code mp.jwt.verify.publickey}, issuer {@link #ISSUER}), and the tests sign with its private key
 * ({@code smallrye.jwt.sign.key}, read by smallrye-jwt-build's {@code Jwt...sign()}). Nothing of it
 * is in the repository or on disk.
 */
public class JwtTestKeys implements QuarkusTestResourceLifecycleManager {
    public static final String ISSUER = "https://backstream.test/issuer";

    @Override
    public Map<String, String> start() {
        KeyPair pair = newKeyPair();
        // inline keys: in test mode smallrye-jwt configures an in-memory key pair of its own (the same
        // two keys), which these take the place of; a key location beside an inline key is ignored
        return Map.of(
                "mp.jwt.verify.publickey", pem("PUBLIC KEY", pair.getPublic().getEncoded()),
                "mp.jwt.verify.issuer", ISSUER,
                "smallrye.jwt.sign.key", pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    }

    /** A fresh RSA-2048 key pair (also for tokens signed by a key the trainer does not know). */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Override
    public void stop() {
        // nothing on disk
    }
}
