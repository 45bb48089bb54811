package io.backstream.trainer.cli.bench;

import io.backstream.events.EpochSummary;
import io.backstream.events.LossTopicEvent;
import io.backstream.events.MalformedRecordException;
import io.backstream.events.StepLoss;
import io.backstream.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * An outside client of {@code training.loss}: a plain {@link KafkaConsumer} (read_committed, a fresh
 * group from the end of the topic) polling with a short timeout on its own thread, noting for each
 * step event of the run it follows when it arrived (wall clock, the clock the trainer stamps with).
 */
public final class LossCollector implements AutoCloseable {
    /** One step event as received. */
    public record Received(StepLoss step, long receivedMillis) {}

    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private String runId;
    private final List<Received> steps = new ArrayList<>();
    private final List<Double> epochRates = new ArrayList<>();
    private long lastNews = System.nanoTime();

    public LossCollector(String bootstrap, Duration pollTimeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "backstream-bench-pipeline-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(Topics.TRAINING_LOSS));
        // join the group and fix the start positions before any run starts, so no event is missed
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (consumer.assignment().isEmpty()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("no partition of " + Topics.TRAINING_LOSS + " assigned after 60 s");
            consumer.poll(Duration.ofMillis(100));
        }
        for (TopicPartition tp : consumer.assignment()) consumer.position(tp);
        thread = new Thread(() -> loop(pollTimeout), "bench-loss-collector");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(Duration pollTimeout) {
        try {
            while (running) {
                var records = consumer.poll(pollTimeout);
                long now = System.currentTimeMillis();
                if (records.isEmpty()) continue;
                synchronized (this) {
                    for (ConsumerRecord<String, String> r : records) {
                        if (runId == null || !runId.equals(r.key())) continue;
                        LossTopicEvent event;
                        try {
                            event = LossTopicEvent.parse(r.value());
                        } catch (MalformedRecordException e) {
                            continue;
                        }
                        lastNews = System.nanoTime();
                        if (event instanceof StepLoss s) steps.add(new Received(s, now));
                        else if (event instanceof EpochSummary e) epochRates.add(e.imagesPerSecond());
                    }
                    notifyAll();
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } catch (Throwable t) {
            failure = t;
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Follows this run from now on (forgets the previous one's events). */
    public synchronized void follow(String id) {
        runId = id;
        steps.clear();
        epochRates.clear();
        lastNews = System.nanoTime();
    }

    /**
     * Waits until the followed run published {@code epochs} epoch summaries.
     *
     * @return false if {@code idle} passed without any event of the run
     */
    public synchronized boolean awaitEpochs(int epochs, Duration idle) throws InterruptedException {
        while (epochRates.size() < epochs) {
            if (failure != null) throw new IllegalStateException("the loss consumer failed: " + failure, failure);
            if (System.nanoTime() - lastNews > idle.toNanos()) return false;
            wait(500);
        }
        return true;
    }

    /** The followed run's step events so far, in arrival order. */
    public synchronized List<Received> steps() {
        return List.copyOf(steps);
    }

    /** The images/s of each epoch summary of the followed run so far. */
    public synchronized List<Double> epochRates() {
        return List.copyOf(epochRates);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
    }
}
