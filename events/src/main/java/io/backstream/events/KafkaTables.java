package io.backstream.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a compacted topic as a table: every partition from its beginning to its end as of now,
 * committed records only, the latest value per key winning. How a restarted service learns the
 * runs ({@code runs.state}), their committed positions ({@code runs.progress}) and checkpoints.
 * A missing topic is an empty table (it is not auto-created with default settings). {@link #scan} hands
 * over every record instead, for a reader that wants the whole history (e.g. {@code ./backstream plot}).
 */
public final class KafkaTables {
    private KafkaTables() {}

    /**
     * The latest committed value of every key accepted by {@code keys} on {@code topic}; a record with a
     * null value (a tombstone) removes its key.
     *
     * @throws IllegalStateException if the end is not reached within {@code timeout}
     */
    public static Map<String, byte[]> read(KafkaConnection kafka, String topic, Predicate<String> keys, Duration timeout) {
        return latest(kafka, topic, keys, ConsumerRecord::value, timeout);
    }

    /**
     * As {@link #read}, but keeping {@code summary} of each key's latest record instead of its value:
     * for a table of big values (checkpoints, megabytes each) whose reader needs only where each
     * latest one is ({@link Location}) and a few of its fields, so memory does not grow with the table.
     */
    public static <T> Map<String, T> latest(KafkaConnection kafka, String topic, Predicate<String> keys,
            Function<ConsumerRecord<String, byte[]>, T> summary, Duration timeout) {
        Map<String, T> table = new HashMap<>();
        scan(kafka, topic, timeout, r -> {
            if (r.key() == null || !keys.test(r.key())) return;
            if (r.value() == null) table.remove(r.key());
            else table.put(r.key(), summary.apply(r));
        });
        return table;
    }

    /** Where a record is: compaction keeps a key's latest record where it was, so this finds it again. */
    public record Location(String topic, int partition, long offset) {
        public static Location of(ConsumerRecord<?, ?> r) {
            return new Location(r.topic(), r.partition(), r.offset());
        }

        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /**
     * The value of the committed record at {@code at}, or null if there is none there any more (a
     * later record of its key let compaction remove it, or retention did).
     *
     * @throws IllegalStateException if it cannot be read within {@code timeout}
     */
    public static byte[] fetch(KafkaConnection kafka, Location at, Duration timeout) {
        Properties p = readerProperties(kafka);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        long deadline = System.nanoTime() + timeout.toNanos();
        TopicPartition tp = new TopicPartition(at.topic(), at.partition());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, at.offset());
            long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
            while (consumer.position(tp, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + at + " on " + kafka.bootstrap() + " took longer than " + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    return r.offset() == at.offset() ? r.value() : null; // past it: the record is gone
                }
            }
            return null;
        }
    }

    /**
     * Hands every committed record of {@code topic} to {@code each}, from the beginning of each partition
     * to its end as of now, in offset order within a partition. A missing topic has none.
     *
     * @throws IllegalStateException if the end is not reached within {@code timeout}
     * @throws org.apache.kafka.common.errors.TimeoutException if the cluster does not answer within {@code timeout}
     */
    public static void scan(KafkaConnection kafka, String topic, Duration timeout, Consumer<ConsumerRecord<String, byte[]>> each) {
        Properties p = readerProperties(kafka);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<org.apache.kafka.common.PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) return;
            List<TopicPartition> partitions = infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // with read_committed the end offsets are the last stable offsets: nothing open past them is read
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " on " + kafka.bootstrap() + " did not reach its end within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) each.accept(r);
            }
        }
    }

    /** A reader of committed records only, assigned rather than in a group, that creates nothing and fetches the largest records whole. */
    private static Properties readerProperties(KafkaConnection kafka) {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
        return p;
    }
}
