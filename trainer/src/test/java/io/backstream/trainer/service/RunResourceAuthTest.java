package io.backstream.trainer.service;

import static io.backstream.trainer.service.TestAuth.OPERATOR_TOKEN;
import static io.backstream.trainer.service.TestAuth.asOperator;
import static io.backstream.trainer.service.TestAuth.asViewer;
import static io.backstream.trainer.service.TestAuth.withToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Who may call what on the control API, with the static API tokens of the %test profile
 * ({@link TestAuth}): reads are open; creating (JSON or multipart), pausing, resuming and stopping
 * a run need the operator role. No token or a wrong one is 401 with {@code WWW-Authenticate: Bearer},
 * the viewer's token 403, both with an {@code {"errors": [...]}} body like every other error, and a
 * refused call changes nothing. (JWTs: {@link RunResourceJwtTest}.)
 */
@QuarkusTest
class RunResourceAuthTest {
    private static final String WRONG_TOKEN = "not-a-token-this-trainer-knows";

    /** No token, a wrong token, the viewer's token: each refused as it should be, and {@code observed} unchanged. */
    private static void onlyAnOperatorMay(Function<RequestSpecification, Response> call, Supplier<Object> observed) {
        Object before = observed.get();
        call.apply(given()).then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .header("WWW-Authenticate", not(containsString("error=")))
                .contentType(ContentType.JSON)
                .body("errors", hasSize(1)).body("errors[0]", containsString("Authorization: Bearer"));
        call.apply(withToken(WRONG_TOKEN)).then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .contentType(ContentType.JSON)
                .body("errors", hasSize(1)).body("errors[0]", containsString("invalid bearer token"))
                .body("errors[0]", not(containsString(WRONG_TOKEN)));
        call.apply(asViewer()).then().statusCode(403)
                .contentType(ContentType.JSON)
                .body("errors", hasSize(1)).body("errors[0]", containsString("operator"));
        assertEquals(before, observed.get(), "a refused call changed something");
    }

    private static int runCount() {
        return given().get("/api/runs").then().statusCode(200).extract().path("size()");
    }

    private static Supplier<Object> stateOf(String id) {
        return () -> given().get("/api/runs/" + id).then().statusCode(200).extract().path("state");
    }

    private static String newRun() {
        return asOperator().contentType(ContentType.JSON).body("{}").post("/api/runs").then().statusCode(201).extract().path("id");
    }

    private static void stop(String id) {
        asOperator().post("/api/runs/" + id + "/stop").then().statusCode(200);
    }

    @Test
    void creatingARunFromJsonNeedsAnOperator() {
        Function<RequestSpecification, Response> create = r -> r.contentType(ContentType.JSON).body("{}").post("/api/runs");
        onlyAnOperatorMay(create, RunResourceAuthTest::runCount);
        String id = create.apply(asOperator()).then().statusCode(201).extract().path("id");
        stop(id);
    }

    @Test
    void creatingARunFromAMultipartFormNeedsAnOperator() {
        Function<RequestSpecification, Response> create = r -> r.multiPart("spec", "{\"batchSize\": 2}").post("/api/runs");
        onlyAnOperatorMay(create, RunResourceAuthTest::runCount);
        String id = create.apply(asOperator()).then().statusCode(201).extract().path("id");
        given().get("/api/runs/" + id).then().body("spec.batchSize", equalTo(2));
        stop(id);
    }

    @Test
    void pausingNeedsAnOperator() {
        String id = newRun();
        onlyAnOperatorMay(r -> r.post("/api/runs/" + id + "/pause"), stateOf(id));
        asOperator().post("/api/runs/" + id + "/pause").then().statusCode(200).body("state", equalTo("PAUSED"));
        stop(id);
    }

    @Test
    void resumingNeedsAnOperator() {
        String id = newRun();
        asOperator().post("/api/runs/" + id + "/pause").then().statusCode(200);
        onlyAnOperatorMay(r -> r.post("/api/runs/" + id + "/resume"), stateOf(id));
        asOperator().post("/api/runs/" + id + "/resume").then().statusCode(200).body("state", equalTo("RUNNING"));
        stop(id);
    }

    @Test
    void stoppingNeedsAnOperator() {
        String id = newRun();
        onlyAnOperatorMay(r -> r.post("/api/runs/" + id + "/stop"), stateOf(id));
        asOperator().post("/api/runs/" + id + "/stop").then().statusCode(200).body("state", equalTo("STOPPED"));
    }

    @Test
    void anUnknownRunIsStill401BeforeItIs404() {
        given().post("/api/runs/run-nothere/stop").then().statusCode(401);
        asViewer().post("/api/runs/run-nothere/stop").then().statusCode(403);
        asOperator().post("/api/runs/run-nothere/stop").then().statusCode(404);
    }

    @Test
    void readsNeedNoToken() {
        String id = newRun();
        given().get("/api/runs").then().statusCode(200);
        given().get("/api/runs/" + id).then().statusCode(200).body("id", equalTo(id));
        given().get("/api/runs/" + id + "/model.onnx").then().statusCode(200).contentType("application/octet-stream");
        // reads do not look at tokens at all: a wrong one does not turn them into 401s
        withToken(WRONG_TOKEN).get("/api/runs/" + id).then().statusCode(200);
        asViewer().get("/api/runs/" + id).then().statusCode(200);
        stop(id);
    }

    @Test
    void healthMetricsAndOpenApiAreOpen() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200);
    }

    @Test
    void theBearerSchemeIsCaseInsensitiveAndOtherSchemesAreNoTokens() {
        String id = given().header("Authorization", "bearer " + OPERATOR_TOKEN).contentType(ContentType.JSON).body("{}")
                .post("/api/runs").then().statusCode(201).extract().path("id");
        given().header("Authorization", "Basic b3BlcmF0b3I6b3BlcmF0b3I=").post("/api/runs/" + id + "/stop")
                .then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"));
        given().header("Authorization", "Bearer").post("/api/runs/" + id + "/stop").then().statusCode(401);
        stop(id);
    }
}
