package io.backstream.data.service;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One publisher's sends, acknowledged in the order they were sent.
 *
 * <p>Why a plain {@link Producer} and not a messaging Emitter: a run needs (1) to block its own
 * thread when it is too far ahead (memory stays bounded by bytes, not by an Emitter buffer of
 * 1024 records × up to 12.6 MB), (2) each record's acknowledgement, checked oldest first, so a
 * failed batch stops the run before anything after it is believed published, and (3) producer
 * settings (16 MB requests, 1 MB batches) that differ from the JSON channels. Sends are
 * asynchronous, so there is no flush per record: up to {@code maxInFlightBytes} are on their way
 * while the next batch is encoded. Order on the partition is the idempotent producer's guarantee;
 * this class adds that we never run past a failure.
 */
final class OrderedSender {

    private record Pending(Future<RecordMetadata> ack, int bytes, String what) {
    }

    private final Producer<String, byte[]> producer;
    private final long maxInFlightBytes;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long inFlightBytes;
    private long acknowledged;

    OrderedSender(Producer<String, byte[]> producer, long maxInFlightBytes) {
        this.producer = producer;
        this.maxInFlightBytes = maxInFlightBytes;
    }

    /** Sends asynchronously; first waits for the oldest sends while this one would exceed the byte bound. */
    void send(String topic, String key, byte[] value, String what) throws InterruptedException {
        while (!pending.isEmpty() && inFlightBytes + value.length > maxInFlightBytes) {
            awaitOldest();
        }
        Future<RecordMetadata> ack;
        try {
            ack = producer.send(new ProducerRecord<>(topic, key, value));
        } catch (RuntimeException e) {   // e.g. buffer full past max.block.ms, record too large
            throw new PublishFailedException(what + " to " + topic + ": " + e.getMessage(), e);
        }
        pending.add(new Pending(ack, value.length, what));
        inFlightBytes += value.length;
    }

    /** Waits for every send so far, oldest first. */
    void awaitAll() throws InterruptedException {
        while (!pending.isEmpty()) {
            awaitOldest();
        }
    }

    /** Records acknowledged so far. */
    long acknowledged() {
        return acknowledged;
    }

    private void awaitOldest() throws InterruptedException {
        Pending oldest = pending.remove();
        inFlightBytes -= oldest.bytes();
        try {
            oldest.ack().get();
            acknowledged++;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new PublishFailedException(oldest.what() + " not acknowledged: " + cause.getMessage(), cause);
        }
    }
}
