package io.backstream.trainer.cli.demo;

import io.backstream.events.EpochSummary;
import io.backstream.events.EvaluationResult;
import io.backstream.events.LossTopicEvent;
import io.backstream.events.MalformedRecordException;
import io.backstream.events.StepLoss;
import io.backstream.events.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code training.loss} and {@code evaluation.results} as any outside client would and shows
 * the demo's runs as the tutorial did: a progress line while an epoch runs, then each epoch's
 * running loss, plus each snapshot's test accuracy.
 */
public final class RunFollower {
    /** What the follower knows of one run. */
    static final class Followed {
        final String id;
        final String label;
        final int epochs;
        final int stepsPerEpoch;
        int epoch;
        long step;
        double loss = Double.NaN;
        double imagesPerSecond;
        int epochsDone;
        long lastEvaluatedStep;
        String failure;

        Followed(String id, String label, int epochs, int stepsPerEpoch) {
            this.id = id;
            this.label = label;
            this.epochs = epochs;
            this.stepsPerEpoch = stepsPerEpoch;
        }

        boolean done() {
            return failure != null || (epochsDone >= epochs && lastEvaluatedStep >= step);
        }
    }

    private final String bootstrap;
    private final PrintWriter out;
    private final boolean progressBar;
    private final Map<String, Followed> runs = new LinkedHashMap<>();
    private long lastDraw;

    public RunFollower(String bootstrap, PrintWriter out, boolean progressBar) {
        this.bootstrap = bootstrap;
        this.out = out;
        this.progressBar = progressBar;
    }

    public void follow(String runId, String label, int epochs, int stepsPerEpoch) {
        runs.put(runId, new Followed(runId, label, epochs, stepsPerEpoch));
    }

    /**
     * Follows until every run finished its epochs and its last snapshot was scored, a run
     * failed ({@code stateOf} returns a failure reason), or {@code idleTimeout} passes without news.
     *
     * @return true if every run completed
     */
    public boolean run(Function<String, String> failureOf, Duration idleTimeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "backstream-demo-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.TRAINING_LOSS, Topics.EVALUATION_RESULTS));
            long lastNews = System.nanoTime();
            long lastStateCheck = 0;
            while (!runs.values().stream().allMatch(Followed::done)) {
                boolean news = false;
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    Followed f = r.key() == null ? null : runs.get(r.key());
                    if (f == null) continue; // another run's events
                    news = true;
                    try {
                        if (r.topic().equals(Topics.TRAINING_LOSS)) onLoss(f, LossTopicEvent.parse(r.value()));
                        else onEvaluation(f, EvaluationResult.parse(r.value()));
                    } catch (MalformedRecordException e) {
                        clearLine();
                        out.println("[" + f.label + "] skipped a malformed event: " + e.getMessage());
                    }
                }
                long now = System.nanoTime();
                if (news) lastNews = now;
                if (now - lastStateCheck > 2_000_000_000L) {
                    lastStateCheck = now;
                    for (Followed f : runs.values()) {
                        if (f.failure == null && (f.failure = failureOf.apply(f.id)) != null) {
                            clearLine();
                            out.println("[" + f.label + "] FAILED: " + f.failure);
                        }
                    }
                }
                if (now - lastNews > idleTimeout.toNanos()) {
                    clearLine();
                    out.println("no news from the pipeline for " + idleTimeout.toSeconds() + " s; giving up (see work/logs/)");
                    return false;
                }
                draw(false);
            }
            clearLine();
            return runs.values().stream().allMatch(f -> f.failure == null);
        }
    }

    private void onLoss(Followed f, LossTopicEvent event) {
        if (event instanceof StepLoss s) {
            f.epoch = s.epoch();
            f.step = s.step();
            f.loss = Double.isNaN(f.loss) ? s.loss() : 0.98 * f.loss + 0.02 * s.loss();
            f.imagesPerSecond = 0.9 * f.imagesPerSecond + 0.1 * s.imagesPerSecond();
        } else if (event instanceof EpochSummary e) {
            f.epochsDone = Math.max(f.epochsDone, e.epoch());
            clearLine();
            out.printf(Locale.ROOT, "[%s] [epoch %d] running loss: %.4f  (mean %.4f over %,d steps, %.0f images/s)%n",
                    f.label, e.epoch(), e.runningLoss(), e.meanLoss(), e.steps(), e.imagesPerSecond());
        }
    }

    private void onEvaluation(Followed f, EvaluationResult r) {
        f.lastEvaluatedStep = Math.max(f.lastEvaluatedStep, r.step());
        clearLine();
        out.printf(Locale.ROOT, "[%s]           step %,d: test accuracy %.2f%%, test loss %.4f (%,d images)%n",
                f.label, r.step(), 100 * r.accuracy(), r.testLoss(), r.count());
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!progressBar || (!force && now - lastDraw < 150_000_000L)) return;
        lastDraw = now;
        StringBuilder line = new StringBuilder("\r");
        for (Followed f : runs.values()) {
            if (f.step == 0) continue;
            int inEpoch = f.stepsPerEpoch <= 0 ? 0 : (int) (f.step - (long) (f.epoch - 1) * f.stepsPerEpoch);
            int width = 20;
            int filled = f.stepsPerEpoch <= 0 ? 0 : Math.min(width, (int) ((long) width * inEpoch / f.stepsPerEpoch));
            line.append(String.format(Locale.ROOT, "%s %d/%d [%s%s] %d/%d loss %.3f %.0f img/s   ", f.label, f.epoch, f.epochs,
                    "=".repeat(filled), " ".repeat(width - filled), inEpoch, f.stepsPerEpoch, f.loss, f.imagesPerSecond));
        }
        out.print(line);
        out.flush();
    }

    private void clearLine() {
        if (progressBar) {
            out.print("\r" + " ".repeat(120) + "\r");
            out.flush();
        }
    }
}
