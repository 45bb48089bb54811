package io.backstream.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.backstream.data.BundledData;
import io.backstream.data.CifarDataset;
import io.backstream.data.CifarDatasets;
import io.backstream.data.EpochOrder;
import io.backstream.data.Split;
import io.backstream.events.EpochSummary;
import io.backstream.events.EvaluationResult;
import io.backstream.events.LossTopicEvent;
import io.backstream.events.StepLoss;
import io.backstream.events.Topics;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.nn.TutorialCnn;
import io.backstream.trainer.optim.OptimizerConfig;
import io.backstream.trainer.train.StepResult;
import io.backstream.trainer.train.TrainingListener;
import io.backstream.trainer.train.TrainingLoop;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The product as users meet it: four services talking only through Kafka, steered over REST.
 * One run of Adam on the bundled SYNCIFAR set (batch 8, 2 epochs = 500 steps) proves the pipeline
 * trains, reports and scores, and does not change the math.
 */
class PipelineIT {
    static final int BATCH = 8;
    static final int EPOCHS = 2;
    @RegisterExtension
    static final Pipeline pipeline = new Pipeline();

    @Test
    void aRunTrainsThroughKafkaExactlyAsTrainLocalDoes() throws Exception {
        CifarDataset train = CifarDatasets.open(BundledData.ensure(Pipeline.HOME.resolve("work").resolve("data")).train(), Split.TRAIN);
        int stepsPerEpoch = (train.size() + BATCH - 1) / BATCH;
        int steps = EPOCHS * stepsPerEpoch;
        String id = pipeline.startRun("{\"optimizer\":{\"type\":\"adam\"},\"batchSize\":" + BATCH + ",\"epochs\":" + EPOCHS
                + ",\"dataset\":\"synthetic\",\"shuffleSeed\":null,\"snapshotEvery\":" + stepsPerEpoch + "}");

        List<String> raw = Topic.read(pipeline.bootstrap(), Topics.TRAINING_LOSS, id, Duration.ofSeconds(240),
                v -> v.stream().filter(s -> s.contains("\"epoch\"") && s.contains("\"type\":\"epoch\"")).count() >= EPOCHS);
        List<StepLoss> stepEvents = new ArrayList<>();
        List<EpochSummary> epochEvents = new ArrayList<>();
        for (String v : raw) {
            LossTopicEvent e = LossTopicEvent.parse(v);
            if (e instanceof StepLoss s) stepEvents.add(s);
            else epochEvents.add((EpochSummary) e);
        }
        // one loss event per step, steps 1..N in order: no gap, no duplicate
        assertEquals(steps, stepEvents.size(), "loss events");
        for (int i = 0; i < steps; i++) assertEquals(i + 1, stepEvents.get(i).step(), "step at position " + i);
        assertEquals(EPOCHS, epochEvents.size());
        assertTrue(epochEvents.get(1).meanLoss() < epochEvents.get(0).meanLoss(), "loss falls: " + epochEvents);

        // the pipeline does not change the math: train-local's loop on the same data, order, init and optimizer
        Sequential model = TutorialCnn.create(0);
        TrainingLoop local = new TrainingLoop(model, OptimizerConfig.of("adam").build(model.parameters()), train, BATCH, EpochOrder.fileOrder());
        List<Double> localLosses = new ArrayList<>();
        local.run(EPOCHS, new TrainingListener() {
            @Override
            public void onStep(StepResult s) {
                localLosses.add(s.loss());
            }
        });
        for (int i = 0; i < steps; i++) {
            assertEquals(localLosses.get(i), stepEvents.get(i).loss(), 1e-9 * Math.abs(localLosses.get(i)), "loss of step " + (i + 1));
        }

        JsonNode done = pipeline.awaitState(id, Duration.ofSeconds(60), "COMPLETED");
        assertEquals(steps, done.path("step").asLong());

        // the evaluator scores the snapshots on the test set: far above chance (10%) after two epochs
        List<String> evaluations = Topic.read(pipeline.bootstrap(), Topics.EVALUATION_RESULTS, id, Duration.ofSeconds(120),
                v -> v.stream().anyMatch(s -> EvaluationResult.parse(s).step() == steps));
        EvaluationResult last = EvaluationResult.parse(evaluations.get(evaluations.size() - 1));
        assertEquals(steps, last.step());
        assertEquals(500, last.count(), "the whole SYNCIFAR test set");
        assertTrue(last.accuracy() > 0.5, "test accuracy " + last.accuracy());

        // Prometheus text from the metrics service carries the run's series
        String metrics = awaitMetrics(id);
        assertTrue(metrics.contains("backstream_loss{") && metrics.contains("backstream_accuracy{"), metrics);
    }

    @Test
    void pauseResumeAndStopTakeEffect() throws Exception {
        String id = pipeline.startRun("{\"optimizer\":{\"type\":\"sgd\",\"lr\":0.01},\"batchSize\":1,\"epochs\":3,\"dataset\":\"synthetic\"}");
        pipeline.awaitState(id, Duration.ofSeconds(60), "RUNNING");
        pipeline.awaitStep(id, 50, Duration.ofSeconds(60));
        assertEquals(200, pipeline.post(Pipeline.TRAINER, "/api/runs/" + id + "/pause", null).statusCode());
        long paused = pipeline.awaitState(id, Duration.ofSeconds(10), "PAUSED").path("step").asLong();
        Thread.sleep(1500);
        assertEquals(paused, pipeline.run(id).path("step").asLong(), "no step while paused");
        assertEquals(409, pipeline.post(Pipeline.TRAINER, "/api/runs/" + id + "/pause", null).statusCode(), "pausing a paused run");

        assertEquals(200, pipeline.post(Pipeline.TRAINER, "/api/runs/" + id + "/resume", null).statusCode());
        pipeline.awaitStep(id, paused + 20, Duration.ofSeconds(60));
        assertEquals(200, pipeline.post(Pipeline.TRAINER, "/api/runs/" + id + "/stop", null).statusCode());
        long stopped = pipeline.awaitState(id, Duration.ofSeconds(10), "STOPPED").path("step").asLong();
        Thread.sleep(1500);
        assertEquals(stopped, pipeline.run(id).path("step").asLong(), "no step after stop");
        assertEquals(409, pipeline.post(Pipeline.TRAINER, "/api/runs/" + id + "/resume", null).statusCode(), "a stopped run stays stopped");
    }

    @Test
    void badSpecsAreRefusedWithTheFieldNamed() throws Exception {
        HttpResponse<String> r = pipeline.post(Pipeline.TRAINER, "/api/runs", "{\"optimizer\":{\"type\":\"adam\",\"lr\":-1},\"batchSize\":0}");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("optimizer.lr") && r.body().contains("batchSize"), r.body());
        assertEquals(400, pipeline.post(Pipeline.TRAINER, "/api/runs", "{\"optimizer\":").statusCode(), "malformed JSON");
        assertEquals(404, pipeline.get(Pipeline.TRAINER, "/api/runs/no-such-run").statusCode());
    }

    @Test
    void changingARunNeedsTheOperatorTokenOfWorkApiToken() throws Exception {
        Path tokenFile = Pipeline.HOME.resolve("work").resolve("api-token");
        assertEquals(pipeline.apiToken(), Files.readString(tokenFile).strip(), "the token clients read from work/api-token");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(tokenFile));

        HttpResponse<String> none = pipeline.post(Pipeline.TRAINER, "/api/runs", "{}", null);
        assertEquals(401, none.statusCode(), none.body());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), none.headers().toString());
        assertTrue(none.body().contains("\"errors\""), none.body());
        assertEquals(401, pipeline.post(Pipeline.TRAINER, "/api/runs", "{}", "not-the-token-of-this-pipeline").statusCode());
        assertEquals(200, pipeline.get(Pipeline.TRAINER, "/api/runs").statusCode(), "reads need no token");
    }

    private static String awaitMetrics(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            text = pipeline.get(Pipeline.METRICS, "/q/metrics").body();
            if (text.contains(id) && text.contains("backstream_accuracy{")) return text;
            Thread.sleep(500);
        }
        return text;
    }
}
