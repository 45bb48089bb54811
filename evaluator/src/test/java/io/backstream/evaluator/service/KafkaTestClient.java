package io.backstream.evaluator.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A plain Kafka client for tests against the shared broker: sends records, tails a topic from "now". */
final class KafkaTestClient implements AutoCloseable {

    static final String BOOTSTRAP = System.getenv().getOrDefault("BACKSTREAM_KAFKA_BOOTSTRAP", "127.0.0.1:9092");

    private final KafkaProducer<String, byte[]> producer;

    KafkaTestClient() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16777216);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(p);
    }

    void send(String topic, String key, byte[] value, Map<String, byte[]> headers) throws Exception {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, value);
        headers.forEach((k, v) -> r.headers().add(k, v));
        producer.send(r).get();
    }

    /** A consumer of every partition of {@code topic}, positioned at its current end. */
    static Tail tail(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "evaluator-test-tail-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");   // only committed records: the trainer writes in transactions
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16777216);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16777216);
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> parts = partitions(c, topic);
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);   // resolve "end" now, before the test produces
        return new Tail(c);
    }

    /** The topic's partitions; a topic that does not exist yet is created by the broker on first ask, so ask again. */
    private static List<TopicPartition> partitions(KafkaConsumer<String, String> c, String topic) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            if (!parts.isEmpty()) return parts;
            if (System.nanoTime() > end) throw new IllegalStateException("topic " + topic + " has no partitions after 30 s");
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Waits until consumer group {@code groupId} is stable with a partition assigned to a member. */
    static void awaitAssigned(String groupId, Duration timeout) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", BOOTSTRAP);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            long end = System.nanoTime() + timeout.toNanos();
            while (true) {
                var group = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
                boolean assigned = group.members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty());
                if (assigned && "STABLE".equals(group.groupState().name())) return;
                if (System.nanoTime() > end) throw new IllegalStateException("group " + groupId + " not assigned: " + group);
                Thread.sleep(200);
            }
        }
    }

    record Tail(KafkaConsumer<String, String> consumer) implements AutoCloseable {
        /** The first {@code n} records matching, waiting at most {@code timeout}; fewer if time runs out. */
        List<ConsumerRecord<String, String>> await(Predicate<ConsumerRecord<String, String>> match, int n, Duration timeout) {
            List<ConsumerRecord<String, String>> found = new ArrayList<>();
            long end = System.nanoTime() + timeout.toNanos();
            while (found.size() < n && System.nanoTime() < end) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (match.test(r) && found.size() < n) found.add(r);
                }
            }
            return found;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    @Override
    public void close() {
        producer.close();
    }

}
