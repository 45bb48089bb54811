package io.backstream.trainer.service;

import static io.backstream.trainer.service.TestAuth.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

@QuarkusTest
class RunResourceTest {

    private static ValidatableResponse post(String json) {
        return asOperator().contentType(ContentType.JSON).body(json).when().post("/api/runs").then();
    }

    private static void badRequest(String json, String error) {
        post(json).statusCode(400).contentType(ContentType.JSON).body("errors", hasItem(containsString(error)));
    }

    private static String create(String json) {
        return post(json).statusCode(201).header("Location", matchesPattern(".*/api/runs/[a-z0-9-]*[0-9a-f]{8}$"))
                .extract().path("id");
    }

    @Test
    void malformedJsonIs400() {
        badRequest("{\"batchSize\": 4", "malformed JSON");
        badRequest("", "empty input");
    }

    @Test
    void unknownFieldIs400NamingIt() {
        badRequest("{\"batchSise\": 4}", "batchSise");
        badRequest("{\"optimizer\": {\"type\": \"sgd\", \"learningRate\": 0.1}}", "learningRate");
    }

    @Test
    void negativeLrIs400() {
        badRequest("{\"optimizer\": {\"type\": \"adam\", \"lr\": -0.1}}", "optimizer.lr");
    }

    @Test
    void betasOutsideTheirRangeAre400() {
        badRequest("{\"optimizer\": {\"type\": \"adam\", \"betas\": [0.9, 1.0]}}", "optimizer.betas");
        badRequest("{\"optimizer\": {\"type\": \"adamw\", \"betas\": [-0.1, 0.999]}}", "optimizer.betas");
    }

    @Test
    void nesterovWithDampeningIs400() {
        badRequest("{\"optimizer\": {\"type\": \"sgd\", \"momentum\": 0.9, \"dampening\": 0.5, \"nesterov\": true}}",
                "optimizer.nesterov");
    }

    @Test
    void batchSizeOutOfRangeIs400() {
        badRequest("{\"batchSize\": 0}", "batchSize");
        badRequest("{\"batchSize\": 4097}", "batchSize");
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
    void corruptInitIs400() {
        byte[] init = Golden.bytes("model_init.onnx");
        byte[] truncated = Arrays.copyOf(init, init.length / 2);
        asOperator().multiPart("spec", "{}").multiPart("init", "bad.onnx", truncated, "application/octet-stream")
                .when().post("/api/runs").then().statusCode(400).body("errors[0]", containsString("init: not a valid ONNX model"));
    }

    @Test
    void wrongArchitectureInitIs400() {
        Sequential other = new Sequential(new Flatten(), new Linear("fc", 3 * 32 * 32, 10, DataType.FLOAT, new Init(0)));
        byte[] onnx = OnnxExport.toBytes(other.toOnnx(), other.parameters());
        asOperator().multiPart("spec", "{}").multiPart("init", "other.onnx", onnx, "application/octet-stream")
                .when().post("/api/runs").then().statusCode(400).body("errors", hasSize(1))
                .body("errors[0]", containsString("init: "));
    }

    @Test
    void anUploadAboveTheLimitIs413AndStartsNothing() {
        int before = given().when().get("/api/runs").then().statusCode(200).extract().path("size()");
        byte[] huge = new byte[9 * 1024 * 1024]; // quarkus.http.limits.max-body-size is 8M
        asOperator().multiPart("spec", "{}").multiPart("init", "huge.onnx", huge, "application/octet-stream")
                .when().post("/api/runs").then().statusCode(413);
        given().when().get("/api/runs").then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(before));
    }

    @Test
    void badSpecInMultipartIs400() {
        asOperator().multiPart("spec", "{\"epochs\": -1}").multiPart("init", "m.onnx", Golden.bytes("model_init.onnx"), "application/octet-stream")
                .when().post("/api/runs").then().statusCode(400).body("errors[0]", containsString("epochs"));
    }

    @Test
    void openApiDescribesTheApi() {
        given().when().get("/q/openapi?format=json").then().statusCode(200).body("paths", org.hamcrest.Matchers.hasKey("/api/runs"));
    }
}
