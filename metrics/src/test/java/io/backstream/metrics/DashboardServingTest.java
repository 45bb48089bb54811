package io.backstream.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The dashboard's page and the trainer's control API on the metrics service's origin. */
@QuarkusTest
@QuarkusTestResource(FakeTrainer.class)
class DashboardServingTest {

    @BeforeEach
    void forget() {
        FakeTrainer.RECEIVED.clear();
    }

    static FakeTrainer.Received received() throws InterruptedException {
        FakeTrainer.Received r = FakeTrainer.RECEIVED.poll(10, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("the trainer got no request");
        return r;
    }

    @Test
    @DisplayName("/ is the dashboard page; its script and styles are the bundle the build made (uPlot inside, no CDN)")
    void page() {
        String html = given().get("/").then().statusCode(200).contentType(containsString("text/html")).extract().asString();
        assertTrue(html.contains("src=\"dashboard.js\"") && html.contains("href=\"dashboard.css\""), html);
        assertTrue(!html.contains("http://") && !html.contains("https://"), "nothing loaded from elsewhere");
        String js = given().get("/dashboard.js").then().statusCode(200).contentType(containsString("javascript")).extract().asString();
        assertTrue(js.contains("/api/stream") && js.contains("/api/curves"), "the page's own modules are bundled");
        assertTrue(js.contains("uplot"), "uPlot is bundled");
        given().get("/dashboard.css").then().statusCode(200).body(containsString(".uplot"));
    }

    @Test
    @DisplayName("reads pass through to the trainer as they are, with its answer")
    void read() throws Exception {
        given().get("/api/runs").then().statusCode(200).body("[0].id", equalTo("run-f1")).body("[0].state", equalTo("RUNNING"));
        FakeTrainer.Received r = received();
        assertEquals("GET", r.method());
        assertEquals("/api/runs", r.path());
        assertEquals(null, r.authorization());
        given().get("/api/runs/run-zz").then().statusCode(404).body("errors[0]", equalTo("unknown run"));
    }

    @Test
    @DisplayName("a control call carries the client's bearer token to the trainer, which decides")
    void control() throws Exception {
        given().header("Authorization", "Bearer " + FakeTrainer.TOKEN).post("/api/runs/run-f1/pause")
                .then().statusCode(200).body("state", equalTo("PAUSED"));
        FakeTrainer.Received r = received();
        assertEquals("POST", r.method());
        assertEquals("/api/runs/run-f1/pause", r.path());
        assertEquals("Bearer " + FakeTrainer.TOKEN, r.authorization());

        given().post("/api/runs/run-f1/stop").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("errors[0]", containsString("operator"));
        assertEquals(null, received().authorization());
    }

    @Test
    @DisplayName("a new run's spec reaches the trainer byte for byte; its Location names the run on this origin")
    void create() throws Exception {
        String spec = "{\"optimizer\":{\"type\":\"adam\",\"lr\":0.0005},\"batchSize\":8}";
        given().header("Authorization", "Bearer " + FakeTrainer.TOKEN).contentType("application/json").body(spec).post("/api/runs")
                .then().statusCode(201).header("Location", "/api/runs/run-new").body("id", equalTo("run-new"));
        FakeTrainer.Received r = received();
        assertEquals(spec, r.body());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
    }

    @Test
    @DisplayName("only the control API's calls pass: other paths and actions never reach the trainer")
    void onlyTheApi() {
        given().post("/api/runs/run-f1/delete").then().statusCode(404);   // metrics has no such resource
        given().get("/api/runs/run-f1/pause").then().statusCode(405);
        assertEquals(null, FakeTrainer.RECEIVED.poll(), "nothing reached the trainer");
    }

    @Test
    @DisplayName("the metrics service's own /api/runs/{id}/loss is not passed to the trainer")
    void lossStaysHere() {
        given().get("/api/runs/run-never-seen/loss").then().statusCode(404).body("error", containsString("no loss events"))
                .body("errors", nullValue());
        assertEquals(null, FakeTrainer.RECEIVED.poll());
    }
}
