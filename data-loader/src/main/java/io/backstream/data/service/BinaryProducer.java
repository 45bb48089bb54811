package io.backstream.data.service;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import io.backstream.events.KafkaConnection;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * The loader's one producer of binary records (training batches, test-set chunks), shared by all
 * runs: it is thread-safe, and one producer batches requests better than one per run. Settings
 * are {@link ProducerSettings}'.
 */
@ApplicationScoped
public class BinaryProducer {

    /** Every client setting of the deployment (bootstrap, security), as the SmallRye channels get them. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaSettings;

    private KafkaProducer<String, byte[]> producer;

    @PostConstruct
    void open() {
        producer = ProducerSettings.create(new KafkaConnection(kafkaSettings), "backstream-data-loader");
    }

    public Producer<String, byte[]> producer() {
        return producer;
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
