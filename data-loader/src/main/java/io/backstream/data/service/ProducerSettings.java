package io.backstream.data.service;

import io.backstream.events.KafkaConnection;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one configuration of the binary producer (training batches and test-set chunks), shared by
 * the service and {@link PublishBench} so the bench measures what the service does.
 */
public final class ProducerSettings {

    /** The contract's largest request: a 4096-image batch is 12.6 MB. */
    static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    private ProducerSettings() {
    }

    static Properties properties(KafkaConnection kafka, String clientId) {
        Properties p = kafka.properties();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // durability and order: every replica has it, retries never duplicate or reorder (<= 5 in flight)
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_REQUEST_BYTES));
        // a 256-image record (787 KB) fills a 1 MB batch on its own; small batches (e.g. 100 images,
        // 307 KB) travel three to a request. 1 MB also stays under a broker's message.max.bytes
        // (4 MB on the dev broker), so a multi-record batch is never rejected as too large.
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(1024 * 1024));
        // a few ms lets consecutive small batches share a request; big ones go when full anyway
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // room for several runs' in-flight bytes (each run bounds its own, see OrderedSender)
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(96L * 1024 * 1024));
        // pixels barely compress and the 2 shared cores are better spent elsewhere
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        return p;
    }

    static KafkaProducer<String, byte[]> create(KafkaConnection kafka, String clientId) {
        return new KafkaProducer<>(properties(kafka, clientId));
    }
}
