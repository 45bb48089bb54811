package io.backstream.events;

/**
 * A record some service could not use, on {@link Topics#TRAINING_DEADLETTER}: why, and exactly where
 * it is, so it can be fetched and inspected while the source topic still retains it (the bytes are
 * not copied: a bad batch is up to 12 MB).
 *
 * <pre>{"reason":"CRC mismatch: …","sourceTopic":"training.batches","partition":0,"offset":42,
 *  "key":"run-1","timestamp":1700000000000}</pre>
 *
 * @param reason what was wrong, typically a {@link MalformedRecordException}'s message
 * @param key the rejected record's key as UTF-8 text; null if it had none
 * @param timestamp when it was rejected, epoch milliseconds
 */
public record DeadLetter(String reason, String sourceTopic, int partition, long offset, String key, long timestamp) {

    public DeadLetter {
        Checks.required("reason", reason);
        Checks.required("sourceTopic", sourceTopic);
    }

    public static DeadLetter parse(String json) {
        return Json.read(json, DeadLetter.class);
    }

    public String toJson() {
        return Json.write(this);
    }
}
