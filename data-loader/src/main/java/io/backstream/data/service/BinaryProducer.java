package io.backstream.data.service;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The loader's one producer of binary records (training batches, test-set chunks), shared by all
 * runs: it is thread-safe, and one producer batches requests better than one per run. Settings
 * are {@link ProducerSettings}'.
 */
@ApplicationScoped
public class BinaryProducer {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private KafkaProducer<String, byte[]> producer;

    @PostConstruct
    void open() {
        producer = ProducerSettings.create(bootstrap, "backstream-data-loader");
    }

    public Producer<String, byte[]> producer() {
        return producer;
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
