package io.backstream.trainer.service;

import io.backstream.events.KafkaConnection;
import io.backstream.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * One run's input: the partition of training.batches its key maps to, read from an offset the run
 * chooses (its checkpoint's), never from a consumer group's commit. The run's position lives in its
 * checkpoints and {@code RunProgress}, written in the same transactions as its output.
 */
final class BatchSource implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final TopicPartition partition;

    BatchSource(KafkaConnection kafka, String runId) {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "trainer-" + runId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
        // the loader runs ahead: a fetch usually finds many batches, so ask for a good amount at once
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(64 * 1024));
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        int partitions = consumer.partitionsFor(Topics.TRAINING_BATCHES, Duration.ofSeconds(30)).size();
        // the producer's default partitioner for a keyed record
        int index = Utils.toPositive(Utils.murmur2(runId.getBytes(StandardCharsets.UTF_8))) % partitions;
        this.partition = new TopicPartition(Topics.TRAINING_BATCHES, index);
        consumer.assign(List.of(partition));
    }

    int partition() {
        return partition.partition();
    }

    /** The offset the next batch of this run will have at the earliest: the partition's end now. */
    long endOffset() {
        return consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
    }

    void seek(long offset) {
        consumer.seek(partition, offset);
    }

    /** The next records of the partition (every run's: the caller keeps its own). */
    List<ConsumerRecord<String, byte[]>> poll(Duration timeout) {
        return consumer.poll(timeout).records(partition);
    }

    /** Records of the partition after the consumer's position, as of its last fetch; -1 if not known yet. */
    long lag() {
        return consumer.currentLag(partition).orElse(-1);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
