package io.backstream.trainer.service;

import static io.backstream.trainer.service.TestAuth.asOperator;
import static io.restassured.RestAssured.given;

import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.nn.TutorialCnn;
import io.backstream.trainer.onnx.OnnxImport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;

/** The trainer's REST API as the service tests call it. */
final class TrainerApi {
    static final Duration WAIT = Duration.ofSeconds(60);

    private TrainerApi() {}

    /** POST /api/runs as the operator; the new run's id. */
    static String create(String spec) {
        return asOperator().contentType(ContentType.JSON).body(spec).when().post("/api/runs").then().statusCode(201).extract().path("id");
    }

    /** GET /api/runs/{id}. */
    static JsonPath view(String id) {
        return given().when().get("/api/runs/" + id).then().statusCode(200).extract().jsonPath();
    }

    static String state(String id) {
        return view(id).getString("state");
    }

    /** Polls the run's state until it is {@code wanted} or {@link #WAIT} passes; returns the last state seen. */
    static String awaitState(String id, String wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String s = state(id);
        while (!s.equals(wanted) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            s = state(id);
        }
        return s;
    }

    /** The weights GET /api/runs/{id}/model.onnx serves, flat. */
    static float[] weights(String id) {
        byte[] onnx = given().when().get("/api/runs/" + id + "/model.onnx").then().statusCode(200).extract().asByteArray();
        Sequential model = TutorialCnn.create(5);
        OnnxImport.load(onnx, model.toOnnx(), model.parameters());
        return model.parameters().values().toFloatVector();
    }
}
