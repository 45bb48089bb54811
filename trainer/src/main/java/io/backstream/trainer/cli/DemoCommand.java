package io.backstream.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backstream.data.BundledData;
import io.backstream.data.CifarDatasets;
import io.backstream.data.Split;
import io.backstream.trainer.cli.demo.RunFollower;
import io.backstream.trainer.cli.demo.LocalPipeline;
import io.backstream.trainer.train.EngineThreads;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./backstream demo}: the whole pipeline on this machine — a real Kafka broker and the four
 * services as child processes — with one run per optimizer asked for, followed from the
 * {@code training.loss} topic like any outside client would.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts a local Kafka broker and the four services (data-loader, trainer, evaluator, metrics),",
                "starts a run per optimizer, and shows its loss as the tutorial did. Ctrl-C stops everything it started."})
public final class DemoCommand implements Callable<Integer> {
    static final int TRAINER_PORT = 8080;
    static final int LOADER_PORT = 8081;
    static final int EVALUATOR_PORT = 8082;
    static final int METRICS_PORT = 8083;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--optimizer", split = ",", defaultValue = "sgd",
            description = "one run per optimizer, side by side, e.g. sgd,adam (default: ${DEFAULT-VALUE})")
    List<String> optimizers;

    @Option(names = "--lr", description = "learning rate for every run (default: each optimizer's, SGD 0.001 as the tutorial)")
    Double lr;

    @Option(names = "--epochs", defaultValue = "3", description = "default: ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "1", description = "default: ${DEFAULT-VALUE}, as the tutorial")
    int batchSize;

    @Option(names = "--data", paramLabel = "PATH", description = "CIFAR-10 data the loader can read (default: the bundled SYNCIFAR set)")
    String data;

    @Option(names = "--shuffle", paramLabel = "SEED", description = "shuffle each epoch from this seed (default: file order)")
    Long shuffleSeed;

    @Option(names = "--snapshot-every", paramLabel = "STEPS", description = "ONNX snapshot for the evaluator every STEPS steps (default: 4 per epoch)")
    Integer snapshotEvery;

    @Option(names = "--exit", description = "stop everything when the runs are done instead of waiting for Ctrl-C")
    boolean exit;

    /**
     * The cores OMP_NUM_THREADS names (or the machine has) shared as {@link LocalPipeline.CpuShare#forCores}
     * says: the trainer splits batches over all of them but trains a batch in one piece on one thread
     * fewer, and the broker and the other services run at a lower priority, so their bursts wait for
     * the trainer instead of preempting it. BACKSTREAM_TRAINER_THREADS overrides the trainer's threads.
     */
    private static LocalPipeline.CpuShare cpuShare() {
        int cores = EngineThreads.ompNumThreads(System.getenv(), Runtime.getRuntime().availableProcessors());
        LocalPipeline.CpuShare share = LocalPipeline.CpuShare.forCores(cores);
        String trainer = System.getenv("BACKSTREAM_TRAINER_THREADS");
        if (trainer == null) return share;
        if (!trainer.matches("[1-9][0-9]*")) throw new IllegalArgumentException("BACKSTREAM_TRAINER_THREADS must be a positive whole number, got '" + trainer + "'");
        return share.withTrainerThreads(trainer);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = new PrintWriter(spec.commandLine().getOut(), true);
        if (epochs < 1 || batchSize < 1 || batchSize > TrainLocalCommand.MAX_BATCH) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--epochs must be >= 1 and --batch-size 1.." + TrainLocalCommand.MAX_BATCH);
        }
        Path home = Home.dir();
        int records = datasetSize(home);
        int stepsPerEpoch = (records + batchSize - 1) / batchSize;

        LocalPipeline pipeline = new LocalPipeline(home, TRAINER_PORT, home.resolve("work").resolve("logs"), cpuShare());
        Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close, "demo-shutdown"));
        pipeline.start(out);
        String bootstrap = pipeline.bootstrap();

        RunFollower follower = new RunFollower(bootstrap, out, System.console() != null);
        HttpClient http = HttpClient.newHttpClient();
        for (String optimizer : optimizers) {
            String id = startRun(http, pipeline.apiToken(), optimizer, stepsPerEpoch);
            follower.follow(id, optimizer + " " + id, epochs, stepsPerEpoch);
            out.printf("started %s: %s, %d epoch(s) x %,d steps, batch size %d%n", id, optimizer, epochs, stepsPerEpoch, batchSize);
        }
        out.println();
        String tokenFile = home.relativize(pipeline.apiTokenFile()).toString();
        out.println("dashboard     http://127.0.0.1:" + METRICS_PORT + "/   (live curves; paste the token in " + tokenFile
                + " to pause, resume, stop and start runs)");
        out.println("REST API      http://127.0.0.1:" + TRAINER_PORT + "/api/runs   (OpenAPI: /q/openapi)");
        out.println("API token     " + tokenFile + " (operator; reads need none), e.g. curl -X POST -H \"Authorization: Bearer $(cat "
                + tokenFile + ")\" http://127.0.0.1:" + TRAINER_PORT + "/api/runs/<id>/pause");
        out.println("metrics       http://127.0.0.1:" + METRICS_PORT + "/q/metrics   live: http://127.0.0.1:" + METRICS_PORT + "/api/stream");
        out.println("live loss     kcat -b " + bootstrap + " -C -t training.loss -X isolation.level=read_committed");
        out.println();

        boolean ok = follower.run(id -> failureOf(http, id), Duration.ofSeconds(120));
        out.println(ok ? "all runs completed" : "not every run completed");
        if (!exit) {
            out.println("services keep running; Ctrl-C stops them and the broker");
            Thread.currentThread().join();
        }
        return ok ? 0 : 1;
    }

    private int datasetSize(Path home) throws IOException {
        Path path = data == null ? BundledData.ensure(home.resolve("work").resolve("data")).train() : Path.of(data);
        return CifarDatasets.open(path, Split.TRAIN).size();
    }

    private String startRun(HttpClient http, String apiToken, String optimizer, int stepsPerEpoch) throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode body = json.createObjectNode();
        ObjectNode opt = body.putObject("optimizer").put("type", optimizer.toLowerCase(Locale.ROOT));
        if (lr != null) opt.put("lr", lr);
        body.put("batchSize", batchSize).put("epochs", epochs).put("dataset", data == null ? "synthetic" : data);
        if (shuffleSeed != null) body.put("shuffleSeed", shuffleSeed);
        body.put("snapshotEvery", snapshotEvery != null ? snapshotEvery : Math.max(1, stepsPerEpoch / 4));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TRAINER_PORT + "/api/runs"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + apiToken).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new CommandLine.ParameterException(spec.commandLine(), "the trainer refused the run (" + r.statusCode() + "): " + r.body());
        return json.readTree(r.body()).get("id").asText();
    }

    /** The run's failure reason if the trainer says it FAILED, else null. */
    private static String failureOf(HttpClient http, String id) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TRAINER_PORT + "/api/runs/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode state = new ObjectMapper().readTree(r.body());
            return "FAILED".equals(state.path("state").asText()) ? state.path("reason").asText("unknown reason") : null;
        } catch (IOException | RuntimeException e) {
            return null; // the trainer may be restarting; the loss topic tells the rest
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
