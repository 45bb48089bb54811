package io.backstream.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** Against the real broker: ensure() creates missing topics with their settings and puts the settings on existing ones. */
class TopicSetupTest {
    static final String BOOTSTRAP = System.getenv().getOrDefault("BACKSTREAM_KAFKA_BOOTSTRAP", "127.0.0.1:9092");

    @Test
    void createsWhatIsMissingAndFixesWhatAnotherClientCreated() throws Exception {
        String table = "setuptest-table-" + UUID.randomUUID();
        String autoCreated = "setuptest-auto-" + UUID.randomUUID();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        try (Admin admin = Admin.create(p)) {
            // as a broker's auto-creation would leave it: plain delete policy
            admin.createTopics(List.of(new NewTopic(autoCreated, 1, (short) 1))).all().get();
            List<TopicSetup.Definition> wanted = List.of(
                    new TopicSetup.Definition(table, 1, Map.of("cleanup.policy", "compact", "max.message.bytes", TopicSetup.LARGE_RECORDS)),
                    new TopicSetup.Definition(autoCreated, 1, Map.of("cleanup.policy", "compact")));

            TopicSetup.ensure(KafkaConnection.of(BOOTSTRAP), wanted, 30_000);
            TopicSetup.ensure(KafkaConnection.of(BOOTSTRAP), wanted, 30_000); // a second service starting: nothing changes, nothing fails

            Config created = config(admin, table);
            assertEquals("compact", created.get("cleanup.policy").value());
            assertEquals(TopicSetup.LARGE_RECORDS, created.get("max.message.bytes").value());
            assertEquals("compact", config(admin, autoCreated).get("cleanup.policy").value());
            admin.deleteTopics(List.of(table, autoCreated)).all().get();
        }
    }

    @Test
    void everyTopicOfTheContractHasADefinitionAndTheRunTablesAreCompacted() {
        assertEquals(Topics.ALL, TopicSetup.DEFINITIONS.stream().map(TopicSetup.Definition::name).toList());
        for (String table : List.of(Topics.RUNS_STATE, Topics.RUNS_PROGRESS, Topics.RUNS_CHECKPOINTS)) {
            TopicSetup.Definition d = TopicSetup.DEFINITIONS.stream().filter(x -> x.name().equals(table)).findFirst().orElseThrow();
            assertEquals("compact", d.configs().get("cleanup.policy"), table);
        }
    }

    private static Config config(Admin admin, String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(r)).all().get().get(r);
    }
}
