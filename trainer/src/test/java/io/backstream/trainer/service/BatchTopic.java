package io.backstream.trainer.service;

import io.backstream.events.Topics;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * training.batches as the tests write it, in the data-loader's place: any bytes, each send
 * acknowledged before the next. A {@code @QuarkusTest} opens it in {@code @BeforeAll}, not in a
 * static initializer: JUnit initialises the test class in its own class loader too, where a Kafka
 * client cannot be built.
 */
final class BatchTopic implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;

    BatchTopic() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TopicReader.BOOTSTRAP);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "16777216");
        producer = new KafkaProducer<>(p);
    }

    /** Sends {@code value} keyed {@code runId}; returns where it landed (the partition and offset a dead letter must name). */
    RecordMetadata send(String runId, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(Topics.TRAINING_BATCHES, runId, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
