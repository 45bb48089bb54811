package io.backstream.trainer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.backstream.events.KafkaConnection;
import io.backstream.events.RunSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the trainer deletes from its batch topic, on the real broker: a topic of its own with 10 records. */
class BatchPurgeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final String topic = "purgetest-" + UUID.randomUUID();
    private final TopicPartition partition = new TopicPartition(topic, 0);
    private final KafkaConnection kafka = KafkaConnection.of(TopicReader.BOOTSTRAP);
    private Admin admin;

    @BeforeEach
    void tenRecords() throws Exception {
        admin = Admin.create(kafka.properties());
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        Properties p = kafka.properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 10; i++) producer.send(new ProducerRecord<>(topic, 0, "run-x", new byte[] {(byte) i})).get();
        }
    }

    @AfterEach
    void deleteTopic() throws Exception {
        admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        admin.close();
    }

    private Map<TopicPartition, Long> purge(Duration keptFor, Run... runs) throws Exception {
        try (BatchPurge purge = new BatchPurge(kafka, topic, keptFor, TIMEOUT)) {
            return purge.purge(List.of(runs));
        }
    }

    private long firstOffset() throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.earliest())).all().get(30, TimeUnit.SECONDS).get(partition).offset();
    }

    private static Run run(String id) {
        return new Run(id, RunSettings.of(RunSpec.parse("{}")), null);
    }

    private static Run replayingFrom(long offset) {
        Run run = run("run-replaying");
        run.replayFrom(0, offset);
        return run;
    }

    @Test
    void whatARunStillGoingMayReadAgainStays() throws Exception {
        assertEquals(Map.of(partition, 4L), purge(Duration.ZERO, replayingFrom(4), replayingFrom(7)));
        assertEquals(4, firstOffset());
        assertEquals(Map.of(), purge(Duration.ZERO, replayingFrom(4)), "nothing more to delete");
    }

    @Test
    void onceEveryRunHasEndedAllOfItGoes() throws Exception {
        Run ended = replayingFrom(2);
        ended.stop();
        assertEquals(Map.of(partition, 10L), purge(Duration.ZERO, ended));
        assertEquals(10, firstOffset());
    }

    @Test
    void aRunThatHasNotCommittedYetHoldsEverythingBack() throws Exception {
        assertEquals(Map.of(), purge(Duration.ZERO, replayingFrom(8), run("run-new")));
        assertEquals(0, firstOffset());
    }

    @Test
    void recordsYoungerThanKeptForStayWhoeverNeedsThem() throws Exception {
        assertEquals(Map.of(), purge(Duration.ofHours(1)));
        assertEquals(0, firstOffset());
    }

    @Test
    void aNegativeKeepingTimeIsRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new BatchPurge(kafka, topic, Duration.ofSeconds(-1), TIMEOUT));
        assertEquals("keptFor must not be negative, got PT-1S", e.getMessage());
    }
}
