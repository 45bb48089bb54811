package io.backstream.data.service;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic of the shared broker from its end at creation (no consumer group: assigned
 * partitions, nothing committed), keeping every record so a test can ask for one key's values.
 */
final class TopicWatcher<V> implements AutoCloseable {

    static final String BOOTSTRAP = System.getenv().getOrDefault("BACKSTREAM_KAFKA_BOOTSTRAP", "127.0.0.1:9092");

    private final String topic;
    private final KafkaConsumer<String, V> consumer;
    private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();

    static TopicWatcher<byte[]> binary(String topic) {
        return new TopicWatcher<>(topic, new ByteArrayDeserializer());
    }

    static TopicWatcher<String> text(String topic) {
        return new TopicWatcher<>(topic, new StringDeserializer());
    }

    private TopicWatcher(String topic, Deserializer<V> values) {
        this.topic = topic;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");   // only committed records: the trainer writes in transactions
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "16777216");
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "16777216");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), values);
        List<TopicPartition> partitions = partitions();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);   // seekToEnd is lazy: fix "the end" now, before the test sends
    }

    private List<TopicPartition> partitions() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));   // auto-creates it
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            }
        }
        throw new IllegalStateException("no partitions for " + topic);
    }

    /**
     * Moves back to the first record written at or after {@code timestampMs}, for records that were
     * written before the test could open a watcher (a partition with none stays at its end).
     */
    TopicWatcher<V> since(long timestampMs) {
        Map<TopicPartition, Long> query = new HashMap<>();
        consumer.assignment().forEach(partition -> query.put(partition, timestampMs));
        consumer.offsetsForTimes(query).forEach((partition, found) -> {
            if (found != null) consumer.seek(partition, found.offset());
        });
        return this;
    }

    /** The values with this key seen so far, in offset order per partition. */
    List<V> values(String key) {
        return seen.stream().filter(r -> key.equals(r.key())).map(ConsumerRecord::value).toList();
    }

    List<ConsumerRecord<String, V>> records(String key) {
        return seen.stream().filter(r -> key.equals(r.key())).toList();
    }

    /** Polls until at least {@code n} values with this key have arrived. */
    List<V> await(String key, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (values(key).size() < n) {
            if (System.nanoTime() > deadline) {
                fail("expected " + n + " records with key " + key + " on " + topic + " within " + timeout + ", got "
                        + values(key).size());
            }
            poll(Duration.ofMillis(200));
        }
        return values(key);
    }

    /** Polls for {@code quiet} and returns everything with this key, to show nothing more came. */
    List<V> settle(String key, Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            poll(Duration.ofMillis(100));
        }
        return values(key);
    }

    private void poll(Duration timeout) {
        consumer.poll(timeout).forEach(seen::add);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
