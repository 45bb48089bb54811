package io.backstream.trainer.service;

import static io.backstream.trainer.service.TestAuth.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.backstream.trainer.nn.Flatten;
import io.backstream.trainer.nn.Init;
import io.backstream.trainer.nn.Linear;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.nn.TutorialCnn;
import io.backstream.trainer.onnx.OnnxExport;
import io.backstream.trainer.onnx.OnnxImport;
import io.backstream.trainer.testing.Golden;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Arrays;
import java.util.List;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

@QuarkusTest
class RunResourceTest {

    private static ValidatableResponse post(String json) {
        return asOperator().contentType(ContentType.JSON).body(json).when().post("/api/runs").then();
    }

    /** The ids GET /api/runs lists. */
    private static List<String> runIds() {
        return given().when().get("/api/runs").then().statusCode(200).extract().jsonPath().getList("id", String.class);
    }

    /** Runs {@code request}, which must create no run: GET /api/runs lists the same runs after it. */
    private static void createsNoRun(Runnable request) {
        List<String> before = runIds();
        request.run();
        assertEquals(before, runIds(), "GET /api/runs changed: a run was created");
    }

    /** A 400 whose one error is exactly {@code error} (the field, what is wrong, the value), and no run created. */
    private static void refused(String json, String error) {
        refused(json, equalTo(error));
    }

    private static void refused(String json, Matcher<String> error) {
        createsNoRun(() -> post(json).statusCode(400).contentType(ContentType.JSON).body("errors", contains(error)));
    }

    /** A multipart POST (spec and init parts) refused with 400 and this one error, creating no run. */
    private static void refusedUpload(String spec, byte[] init, Matcher<String> error) {
        createsNoRun(() -> asOperator().multiPart("spec", spec).multiPart("init", "init.onnx", init, "application/octet-stream")
                .when().post("/api/runs").then().statusCode(400).contentType(ContentType.JSON).body("errors", contains(error)));
    }

    private static String create(String json) {
        return post(json).statusCode(201).header("Location", matchesPattern(".*/api/runs/[a-z0-9-]*[0-9a-f]{8}$"))
                .extract().path("id");
    }

    @Test
    void malformedJsonIs400SayingWhereAndCreatesNoRun() {
        refused("{\"batchSize\": 4", startsWith("RunSpec: malformed JSON at line 1, column 16: "));
        refused("", "RunSpec: empty input, expected a JSON object");
    }

    @Test
    void anUnknownFieldIs400NamingItAndCreatesNoRun() {
        refused("{\"batchSise\": 4}", startsWith("RunSpec: unknown field batchSise (known fields: batchSize, dataset, epochs, "));
        refused("{\"optimizer\": {\"type\": \"sgd\", \"learningRate\": 0.1}}",
                startsWith("RunSpec: unknown field optimizer.learningRate (known fields: "));
    }

    @Test
    void aNegativeLrIs400AndCreatesNoRun() {
        refused("{\"optimizer\": {\"type\": \"adam\", \"lr\": -0.1}}", "optimizer.lr: must be >= 0, got -0.1");
    }

    @Test
    void betasOutsideZeroToOneAre400AndCreateNoRun() {
        refused("{\"optimizer\": {\"type\": \"adam\", \"betas\": [0.9, 1.0]}}", "optimizer.betas: each must be in [0, 1), got [0.9, 1]");
        refused("{\"optimizer\": {\"type\": \"adamw\", \"betas\": [-0.1, 0.999]}}", "optimizer.betas: each must be in [0, 1), got [-0.1, 0.999]");
    }

    @Test
    void nesterovWithDampeningIs400AndCreatesNoRun() {
        refused("{\"optimizer\": {\"type\": \"sgd\", \"momentum\": 0.9, \"dampening\": 0.5, \"nesterov\": true}}",
                "optimizer.nesterov: requires momentum > 0 and dampening = 0");
    }

    @Test
    void batchSize0OrAboveTheDocumentedMaximumIs400AndCreatesNoRun() {
        refused("{\"batchSize\": 0}", "batchSize: must be 1..4096, got 0");
        refused("{\"batchSize\": 4097}", "batchSize: must be 1..4096, got 4097");
    }

    @Test
    void everyBadFieldIsNamed() {
        post("{\"batchSize\": 0, \"epochs\": 0, \"optimizer\": {\"type\": \"sgd\", \"lr\": -1, \"betas\": [0.9, 0.99]}}")
                .statusCode(400)
                .body("errors", hasItem(containsString("batchSize")))
                .body("errors", hasItem(containsString("epochs")))
                .body("errors", hasItem(containsString("optimizer.lr")))
                .body("errors", hasItem(containsString("optimizer.betas: not a parameter of sgd")));
    }

    @Test
    void createdRunIsPendingWithDefaultsFilledIn() {
        String id = create("{}");
        given().when().get("/api/runs/" + id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("state", equalTo("PENDING"))
                .body("epoch", equalTo(0))
                .body("step", equalTo(0))
                .body("spec.batchSize", equalTo(1))
                .body("spec.epochs", equalTo(1))
                .body("spec.dataset", equalTo("synthetic"))
                .body("spec.optimizer.type", equalTo("sgd"));
        given().when().get("/api/runs").then().statusCode(200).body("id", hasItem(id));
        asOperator().when().post("/api/runs/" + id + "/stop").then().statusCode(200);
    }

    @Test
    void pauseResumeStopAndTheirConflicts() {
        String id = create("{\"optimizer\": {\"type\": \"adam\", \"betas\": [0.8, 0.99]}, \"batchSize\": 4}");
        asOperator().when().post("/api/runs/" + id + "/resume").then().statusCode(409).body("errors[0]", containsString("PENDING"));
        asOperator().when().post("/api/runs/" + id + "/pause").then().statusCode(200).body("state", equalTo("PAUSED"));
        asOperator().when().post("/api/runs/" + id + "/pause").then().statusCode(409);
        asOperator().when().post("/api/runs/" + id + "/resume").then().statusCode(200).body("state", equalTo("RUNNING"));
        asOperator().when().post("/api/runs/" + id + "/resume").then().statusCode(409);
        asOperator().when().post("/api/runs/" + id + "/stop").then().statusCode(200).body("state", equalTo("STOPPED"));
        for (String action : new String[] {"pause", "resume", "stop"}) {
            asOperator().when().post("/api/runs/" + id + "/" + action).then().statusCode(409).body("errors[0]", containsString("STOPPED"));
        }
        given().when().get("/api/runs/" + id).then().body("state", equalTo("STOPPED"));
    }

    @Test
    void unknownRunIs404() {
        given().when().get("/api/runs/run-nothere").then().statusCode(404).body("errors[0]", containsString("run-nothere"));
        for (String action : new String[] {"pause", "resume", "stop"}) {
            asOperator().when().post("/api/runs/run-nothere/" + action).then().statusCode(404);
        }
        given().when().get("/api/runs/run-nothere/model.onnx").then().statusCode(404);
    }

    @Test
    void initUploadStartsFromThoseWeights() {
        byte[] init = Golden.bytes("model_init.onnx");
        String id = asOperator().multiPart("spec", "{\"batchSize\": 2}").multiPart("init", "model_init.onnx", init, "application/octet-stream")
                .when().post("/api/runs").then().statusCode(201).header("Location", matchesPattern(".*/api/runs/[a-z0-9-]*[0-9a-f]{8}$"))
                .extract().path("id");
        byte[] served = given().when().get("/api/runs/" + id + "/model.onnx").then().statusCode(200)
                .contentType("application/octet-stream").extract().asByteArray();
        Sequential expected = TutorialCnn.create(1);
        OnnxImport.load(init, expected.toOnnx(), expected.parameters());
        Sequential actual = TutorialCnn.create(2);
        OnnxImport.load(served, actual.toOnnx(), actual.parameters());
        assertArrayEquals(expected.parameters().values().toFloatVector(), actual.parameters().values().toFloatVector());
        asOperator().when().post("/api/runs/" + id + "/stop").then().statusCode(200);
    }

    @Test
    void specMayComeAsAFilePart() {
        String id = asOperator().multiPart("spec", "spec.json", "{\"batchSize\": 3}".getBytes(), "application/json")
                .multiPart("init", "model_init.onnx", Golden.bytes("model_init.onnx"), "application/octet-stream")
                .when().post("/api/runs").then().statusCode(201).extract().path("id");
        given().when().get("/api/runs/" + id).then().body("spec.batchSize", equalTo(3));
        asOperator().when().post("/api/runs/" + id + "/stop").then().statusCode(200);
    }

    @Test
    void aCorruptOnnxUploadIs400NamingTheInitPartAndCreatesNoRun() {
        byte[] init = Golden.bytes("model_init.onnx");
        refusedUpload("{}", Arrays.copyOf(init, init.length / 2), startsWith("init: not a valid ONNX model: corrupt or truncated protobuf ("));
    }

    @Test
    void anOnnxUploadOfAnotherArchitectureIs400SayingWhereItDiffersAndCreatesNoRun() {
        Sequential other = new Sequential(new Flatten(), new Linear("fc", 3 * 32 * 32, 10, DataType.FLOAT, new Init(0)));
        byte[] onnx = OnnxExport.toBytes(other.toOnnx(), other.parameters());
        refusedUpload("{}", onnx, startsWith("init: graph does not match the architecture: "));
    }

    @Test
    void anUploadAboveTheLimitIs413NamingSizeAndLimitAndCreatesNoRun() {
        byte[] huge = new byte[9 * 1024 * 1024]; // quarkus.http.limits.max-body-size is 8M
        String boundary = "backstream-test-boundary";
        byte[] body = multipart(boundary, "{}", huge);   // as curl -F sends it: with a Content-Length
        createsNoRun(() -> asOperator().contentType("multipart/form-data; boundary=" + boundary).body(body)
                .when().post("/api/runs").then().statusCode(413).contentType(ContentType.JSON)
                .body("errors", contains("request body: " + body.length + " bytes, above the limit of 8388608 bytes "
                        + "(quarkus.http.limits.max-body-size); an init model of the tutorial CNN is ~600 KB")));
    }

    @Test
    void aChunkedUploadAboveTheLimitIs413AndCreatesNoRun() {
        byte[] huge = new byte[9 * 1024 * 1024];
        // no Content-Length: Quarkus stops reading at the limit and answers 413 itself, without a body
        createsNoRun(() -> asOperator().multiPart("spec", "{}").multiPart("init", "huge.onnx", huge, "application/octet-stream")
                .when().post("/api/runs").then().statusCode(413));
    }

    /** A multipart/form-data body with a spec part and an init part, as a client builds it in memory. */
    private static byte[] multipart(String boundary, String spec, byte[] init) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"spec\"\r\n\r\n" + spec + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"init\"; filename=\"init.onnx\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeBytes(head);
        out.writeBytes(init);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void aBadSpecInAMultipartUploadIs400NamingTheFieldAndCreatesNoRun() {
        refusedUpload("{\"epochs\": -1}", Golden.bytes("model_init.onnx"), equalTo("epochs: must be >= 1, got -1"));
    }

    @Test
    void openApiDescribesTheApi() {
        given().when().get("/q/openapi?format=json").then().statusCode(200).body("paths", org.hamcrest.Matchers.hasKey("/api/runs"));
    }
}
