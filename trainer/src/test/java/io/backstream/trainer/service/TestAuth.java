package io.backstream.trainer.service;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/**
 * The API tokens of the %test profile ({@code backstream.auth.tokens} in application.properties):
 * test values, not secrets. Calls that change something go {@link #asOperator()}; reads need nothing.
 */
public final class TestAuth {
    public static final String OPERATOR_TOKEN = "test-operator-token-not-a-secret";
    public static final String VIEWER_TOKEN = "test-viewer-token-not-a-secret";

    private TestAuth() {}

    /** A request with {@code Authorization: Bearer <token>}. */
    public static RequestSpecification withToken(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /** A request as the test operator: may create, pause, resume and stop runs. */
    public static RequestSpecification asOperator() {
        return withToken(OPERATOR_TOKEN);
    }

    /** A request as the test viewer: read-only. */
    public static RequestSpecification asViewer() {
        return withToken(VIEWER_TOKEN);
    }
}
