package io.backstream.trainer.service;

import io.backstream.events.KafkaConnection;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Deletes the batches no run of this trainer can read again, as Kafka Streams purges its
 * repartition topics: training.batches would otherwise keep every image of every run for the
 * topic's retention (a week: 150 MB per CIFAR-10 epoch).
 *
 * <p>A run reads its batches once, and again only from its committed checkpoint's offset (after a
 * restart or an aborted commit: {@link Run#replayFrom()}). So in each partition everything before the
 * lowest such offset of the runs that have not ended — paused ones included — is dead weight, and
 * once every run on a partition has ended, all of it is. Two bounds keep it safe beside writers and
 * readers this trainer does not know (another trainer instance on the same topic, a test): records
 * younger than {@code keptFor} stay, and nothing at or past the last stable offset goes (a
 * transaction still open). A run that has not committed yet holds every partition back.
 */
final class BatchPurge implements AutoCloseable {
    private final Admin admin;
    private final String topic;
    private final Duration keptFor;
    private final Duration timeout;

    BatchPurge(KafkaConnection kafka, String topic, Duration keptFor, Duration timeout) {
        if (keptFor.isNegative()) throw new IllegalArgumentException("keptFor must not be negative, got " + keptFor);
        this.admin = Admin.create(kafka.properties());
        this.topic = topic;
        this.keptFor = keptFor;
        this.timeout = timeout;
    }

    /**
     * Deletes what {@code runs} (every run of this trainer) cannot need any more.
     *
     * @return the partitions purged, each with its new first offset (empty if nothing went)
     */
    Map<TopicPartition, Long> purge(Collection<Run> runs) throws InterruptedException, ExecutionException, TimeoutException {
        // the offsets first, then the runs: a run created meanwhile reads from an end at least as late as these
        List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, Long> first = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> stable = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> young = offsets(partitions, OffsetSpec.forTimestamp(System.currentTimeMillis() - keptFor.toMillis()));

        Map<TopicPartition, Long> upTo = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long y = young.get(tp);
            upTo.put(tp, y < 0 ? stable.get(tp) : Math.min(y, stable.get(tp))); // no record that young: up to the end
        }
        for (Run run : runs) {
            if (run.isFinal()) continue;
            Run.Replay replay = run.replayFrom();
            if (replay == null) return Map.of(); // where it will read from is not known yet: next time
            upTo.computeIfPresent(new TopicPartition(topic, replay.partition()), (tp, o) -> Math.min(o, replay.offset()));
        }

        Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
        Map<TopicPartition, Long> purged = new HashMap<>();
        upTo.forEach((tp, offset) -> {
            if (offset > first.get(tp)) {
                delete.put(tp, RecordsToDelete.beforeOffset(offset));
                purged.put(tp, offset);
            }
        });
        if (!delete.isEmpty()) admin.deleteRecords(delete).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return purged;
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        for (TopicPartition tp : partitions) query.put(tp, spec);
        Map<TopicPartition, ListOffsetsResultInfo> found = admin.listOffsets(query, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        found.forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
