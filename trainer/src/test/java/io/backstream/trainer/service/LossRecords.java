package io.backstream.trainer.service;

import io.backstream.events.LossTopicEvent;
import io.backstream.events.StepLoss;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** training.loss records, as a {@link TopicReader} returns them, read back as events. */
final class LossRecords {
    private LossRecords() {}

    static List<LossTopicEvent> events(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> LossTopicEvent.parse(new String(r.value(), StandardCharsets.UTF_8))).toList();
    }

    /** The step events among them, in order (epoch summaries left out). */
    static List<StepLoss> steps(List<ConsumerRecord<String, byte[]>> records) {
        return events(records).stream().filter(e -> e instanceof StepLoss).map(e -> (StepLoss) e).toList();
    }

    /** The steps' losses, in order. */
    static List<Double> losses(List<ConsumerRecord<String, byte[]>> records) {
        return steps(records).stream().map(StepLoss::loss).toList();
    }
}
