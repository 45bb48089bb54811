package io.backstream.evaluator.service;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Where a record was read: what a {@link io.backstream.events.DeadLetter} points back to. */
public record Source(String topic, int partition, long offset, String key) {

    public static Source of(ConsumerRecord<String, ?> record) {
        return new Source(record.topic(), record.partition(), record.offset(), record.key());
    }
}
