package io.backstream.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.events.EpochSummary;
import io.backstream.events.OptimizerSpec;
import io.backstream.events.RunSpec;
import io.backstream.events.RunState;
import io.backstream.events.StepLoss;
import io.backstream.events.Topics;
import java.awt.image.BufferedImage;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./backstream plot} against the real broker: runs' loss events in, a PNG out. */
class PlotCommandTest {

    static final String BOOTSTRAP = System.getenv().getOrDefault("BACKSTREAM_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    static final String BATCH = UUID.randomUUID().toString().substring(0, 8);
    static final String SGD = "plot-test-" + BATCH + "-sgd";
    static final String MOMENTUM = "plot-test-" + BATCH + "-momentum";

    @TempDir
    Path dir;

    /** Two runs of 3 epochs x 400 steps; the second's spec (momentum 0.9) only on runs.state, as the trainer writes it. */
    @BeforeAll
    static void publish() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String run : new String[] {SGD, MOMENTUM}) {
                double sum = 0;
                for (int s = 1; s <= 1_200; s++) {
                    double loss = 2.3 * Math.exp(-s / (run.equals(SGD) ? 2_000.0 : 500.0));
                    sum += loss;
                    producer.send(new ProducerRecord<>(Topics.TRAINING_LOSS, run,
                            new StepLoss(run, (s - 1) / 400 + 1, s, loss, "sgd", 0.01, 4, 700, System.currentTimeMillis()).toJson()));
                    if (s % 400 == 0) {
                        producer.send(new ProducerRecord<>(Topics.TRAINING_LOSS, run,
                                new EpochSummary(run, s / 400, 400, sum, sum / 400, 700, System.currentTimeMillis()).toJson()));
                        sum = 0;
                    }
                }
            }
            OptimizerSpec momentum = new OptimizerSpec("sgd", 0.01, 0.9, null, null, null, null, null, null, null, null);
            RunSpec spec = new RunSpec(momentum, 4, 3, null, "synthetic", null, null);
            producer.send(new ProducerRecord<>(Topics.RUNS_STATE, MOMENTUM,
                    new RunState(MOMENTUM, RunState.State.COMPLETED, spec, 3, 1_200, 0.2, 700, null, System.currentTimeMillis()).toJson())).get();
        }
    }

    @Test
    @DisplayName("plot RUN RUN --out FILE: both runs' curves in a PNG of the asked size, a line per run naming its optimizer")
    void twoRuns() throws Exception {
        Path png = dir.resolve("sub").resolve("loss.png");
        CliRun run = CliRun.backstream("plot", SGD, MOMENTUM, "--out", png.toString(), "--bootstrap", BOOTSTRAP, "--width", "1000", "--height", "700");
        assertEquals(0, run.exitCode(), run.toString());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1000, image.getWidth());
        assertEquals(700, image.getHeight());
        assertTrue(run.out().contains("sgd lr 0.01 bs 4 (" + SGD + "): 1,200 steps, 3 epoch(s)"), run.out());
        assertTrue(run.out().contains("sgd momentum 0.9 lr 0.01 bs 4 (" + MOMENTUM + "): 1,200 steps, 3 epoch(s)"), "the spec names the momentum: " + run.out());
        assertTrue(run.out().contains("wrote " + png), run.out());
        Files.copy(png, Path.of("target", "plot-two-runs.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);   // to look at
    }

    @Test
    @DisplayName("an unknown run: a message naming it and the topic, exit 1, no file")
    void unknownRun() {
        Path png = dir.resolve("none.png");
        CliRun run = CliRun.backstream("plot", SGD, "run-does-not-exist", "--out", png.toString(), "--bootstrap", BOOTSTRAP);
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("no loss events for run-does-not-exist on training.loss at " + BOOTSTRAP), run.err());
        assertTrue(run.err().contains(SGD), "the runs that are there are listed: " + run.err());
        assertTrue(!Files.exists(png));
    }

    @Test
    @DisplayName("an unreachable broker: a message naming it within the timeout, exit 1")
    void unreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long started = System.nanoTime();
        CliRun run = CliRun.backstream("plot", SGD, "--out", dir.resolve("x.png").toString(), "--bootstrap", "127.0.0.1:" + port, "--timeout", "2");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("cannot reach the Kafka broker at 127.0.0.1:" + port + " within 2 s"), run.err());
        assertTrue(System.nanoTime() - started < 20_000_000_000L, "gave up in time");
    }

    @Test
    @DisplayName("--all plots every run the topic holds; neither runs nor --all, or both, is a usage error")
    void allAndUsage() throws Exception {
        Path png = dir.resolve("all.png");
        CliRun all = CliRun.backstream("plot", "--all", "--out", png.toString(), "--bootstrap", BOOTSTRAP);
        assertEquals(0, all.exitCode(), all.toString());
        assertTrue(all.out().contains(SGD) && all.out().contains(MOMENTUM), all.out());
        assertTrue(Files.size(png) > 0);
        assertEquals(2, CliRun.backstream("plot", "--bootstrap", BOOTSTRAP).exitCode());
        assertEquals(2, CliRun.backstream("plot", SGD, "--all", "--bootstrap", BOOTSTRAP).exitCode());
    }
}
