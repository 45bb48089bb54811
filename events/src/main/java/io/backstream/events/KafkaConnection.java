package io.backstream.events;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * How to reach the cluster: {@code bootstrap.servers} plus whatever else the deployment configures
 * for every client — security above all ({@code security.protocol}, {@code sasl.mechanism},
 * {@code sasl.jaas.config}, {@code ssl.*}, as a Strimzi {@code KafkaUser} provides). The clients a
 * service builds by hand start from {@link #properties()}, so SASL/SCRAM or mTLS is configuration
 * only, exactly as for its SmallRye channels (in Quarkus, the {@code default-kafka-broker} map:
 * every {@code kafka.*} property and {@code KAFKA_*} environment variable).
 */
public record KafkaConnection(Map<String, Object> settings) {

    public KafkaConnection {
        if (settings == null || settings.get("bootstrap.servers") == null) {
            throw new IllegalArgumentException("kafka settings need bootstrap.servers (kafka.bootstrap.servers / KAFKA_BOOTSTRAP_SERVERS)");
        }
        settings = Map.copyOf(settings);
    }

    /** Just a bootstrap address: a plaintext local broker. */
    public static KafkaConnection of(String bootstrap) {
        return new KafkaConnection(Map.of("bootstrap.servers", bootstrap));
    }

    public String bootstrap() {
        return String.valueOf(settings.get("bootstrap.servers"));
    }

    /** A fresh copy of the settings, for one client to add its own to. */
    public Properties properties() {
        Properties p = new Properties();
        p.putAll(new HashMap<>(settings));
        return p;
    }
}
