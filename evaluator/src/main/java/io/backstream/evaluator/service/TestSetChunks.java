package io.backstream.evaluator.service;

import io.backstream.events.Batch;
import io.backstream.events.BatchCodec;
import io.backstream.events.MalformedRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads a {@code dataset.testset} record: a {@link BatchCodec} chunk with epoch 0, keyed by its dataset id. */
public final class TestSetChunks {

    /** @throws MalformedRecordException if it does not decode, is not a test chunk, or its key names another dataset */
    public static Batch read(ConsumerRecord<String, byte[]> record) {
        Batch chunk = BatchCodec.decode(record.value());
        if (chunk.epoch() != 0) {
            throw new MalformedRecordException("epoch " + chunk.epoch() + ": a test-set chunk has epoch 0");
        }
        if (record.key() != null && !record.key().equals(chunk.runId())) {
            throw new MalformedRecordException("key " + record.key() + " differs from the chunk's dataset id " + chunk.runId());
        }
        return chunk;
    }

    private TestSetChunks() {}
}
