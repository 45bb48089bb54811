package io.backstream.trainer.service;

import static io.backstream.trainer.service.TestAuth.asOperator;
import static io.backstream.trainer.service.TestAuth.withToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * JWTs (as Kubernetes would hand out), verified by smallrye-jwt with the public key and issuer of
 * {@link JwtTestKeys}, beside the static API tokens: a JWT whose {@code groups} claim holds
 * {@code operator} may change runs, one with {@code viewer} (or no role) gets 403, and one that is
 * not valid — another key, expired, another issuer — gets 401. The key pair is made when the tests
 * start (GLOBAL: every Quarkus test of this module runs with both mechanisms on).
 */
@QuarkusTest
@WithTestResource(value = JwtTestKeys.class, scope = TestResourceScope.GLOBAL)
class RunResourceJwtTest {

    private static String jwt(String... groups) {
        return Jwt.issuer(JwtTestKeys.ISSUER).upn("ci-bot").groups(Set.of(groups)).sign();
    }

    private static String create(String token) {
        return withToken(token).contentType(ContentType.JSON).body("{}").post("/api/runs").then().statusCode(201).extract().path("id");
    }

    @Test
    void anOperatorJwtMayCreatePauseResumeAndStop() {
        String token = jwt("operator");
        String id = create(token);
        withToken(token).post("/api/runs/" + id + "/pause").then().statusCode(200).body("state", equalTo("PAUSED"));
        withToken(token).post("/api/runs/" + id + "/resume").then().statusCode(200).body("state", equalTo("RUNNING"));
        withToken(token).post("/api/runs/" + id + "/stop").then().statusCode(200).body("state", equalTo("STOPPED"));
        String multipart = withToken(token).multiPart("spec", "{}").post("/api/runs").then().statusCode(201).extract().path("id");
        withToken(token).post("/api/runs/" + multipart + "/stop").then().statusCode(200);
    }

    @Test
    void aViewerJwtMayNotChangeAnything() {
        String viewer = jwt("viewer");
        withToken(viewer).contentType(ContentType.JSON).body("{}").post("/api/runs").then().statusCode(403)
                .contentType(ContentType.JSON).body("errors[0]", containsString("operator"));
        withToken(viewer).multiPart("spec", "{}").post("/api/runs").then().statusCode(403);
        String id = create(jwt("operator"));
        for (String action : new String[] {"pause", "resume", "stop"}) {
            withToken(viewer).post("/api/runs/" + id + "/" + action).then().statusCode(403);
        }
        withToken(viewer).get("/api/runs/" + id).then().statusCode(200).body("state", equalTo("PENDING"));
        asOperator().post("/api/runs/" + id + "/stop").then().statusCode(200);
    }

    @Test
    void aJwtWithoutARoleIsForbidden() {
        withToken(jwt()).contentType(ContentType.JSON).body("{}").post("/api/runs").then().statusCode(403);
        withToken(jwt("admin")).contentType(ContentType.JSON).body("{}").post("/api/runs").then().statusCode(403);
    }

    @Test
    void aJwtSignedWithAnotherKeyIs401() {
        String forged = Jwt.issuer(JwtTestKeys.ISSUER).upn("mallory").groups("operator").sign(JwtTestKeys.newKeyPair().getPrivate());
        withToken(forged).contentType(ContentType.JSON).body("{}").post("/api/runs").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer")).header("WWW-Authenticate", containsString("invalid_token"))
                .contentType(ContentType.JSON).body("errors[0]", containsString("invalid bearer token"));
    }

    @Test
    void anExpiredJwtIs401() {
        long now = Instant.now().getEpochSecond();
        String expired = Jwt.issuer(JwtTestKeys.ISSUER).upn("ci-bot").groups("operator").issuedAt(now - 7200).expiresAt(now - 3600).sign();
        withToken(expired).contentType(ContentType.JSON).body("{}").post("/api/runs").then().statusCode(401);
    }

    @Test
    void aJwtFromAnotherIssuerIs401() {
        String other = Jwt.issuer("https://elsewhere.test").upn("ci-bot").groups("operator").sign();
        withToken(other).contentType(ContentType.JSON).body("{}").post("/api/runs").then().statusCode(401);
    }

    @Test
    void apiTokensAndJwtsWorkSideBySide() {
        // the API-token mechanism runs first; a JWT is not one of its tokens, and that must not stop smallrye-jwt from accepting it
        String byJwt = create(jwt("operator"));
        asOperator().post("/api/runs/" + byJwt + "/stop").then().statusCode(200);
        String byToken = asOperator().contentType(ContentType.JSON).body("{}").post("/api/runs").then().statusCode(201).extract().path("id");
        withToken(jwt("operator")).post("/api/runs/" + byToken + "/stop").then().statusCode(200);
        given().post("/api/runs/" + byToken + "/stop").then().statusCode(401);
    }
}
