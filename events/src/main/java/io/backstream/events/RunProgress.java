package io.backstream.events;

/**
 * A run's committed position, on the compacted {@link Topics#RUNS_PROGRESS}. The trainer publishes
 * one in each transaction it commits, next to that transaction's loss events, so the latest record
 * per run says exactly how far the committed log goes.
 *
 * <pre>{"runId":…,"step":120,"epoch":1,"index":119,"batches":2000,"checkpointStep":100,"timestamp":1700000000000,
 *  "nextOffset":4711,"deadLetters":1}</pre>
 *
 * @param step the last step trained and committed, 1-based over the run
 * @param epoch the epoch of that step's batch, 1-based
 * @param index that batch's index within its epoch, 0-based
 * @param batches the number of batches in that epoch
 * @param checkpointStep the step of the latest checkpoint on {@link Topics#RUNS_CHECKPOINTS} (≤ step)
 * @param timestamp when the transaction was committed, epoch milliseconds
 * @param nextOffset the offset in {@link Topics#TRAINING_BATCHES} after the last record the run has
 *     dealt with (trained, skipped as a duplicate or dead-lettered), so a restarted trainer does not
 *     deal with one twice; null in records written before this field existed
 * @param deadLetters how many of the run's batch records were refused onto
 *     {@link Topics#TRAINING_DEADLETTER} so far; null (none known) in records written before this field existed
 */
public record RunProgress(String runId, long step, int epoch, int index, int batches, long checkpointStep, long timestamp,
                          Long nextOffset, Long deadLetters) {

    public RunProgress {
        Checks.required("runId", runId);
        if (step < 0 || epoch < 0 || index < 0 || batches < 0 || checkpointStep < 0 || checkpointStep > step) {
            throw new IllegalArgumentException("step, epoch, index, batches and checkpointStep must be >= 0, checkpointStep <= step");
        }
        if (nextOffset != null && nextOffset < 0) throw new IllegalArgumentException("nextOffset: must be >= 0, got " + nextOffset);
        if (deadLetters != null && deadLetters < 0) throw new IllegalArgumentException("deadLetters: must be >= 0, got " + deadLetters);
    }

    /** The dead-letter count, 0 for a record that predates it. */
    public long deadLetterCount() {
        return deadLetters == null ? 0 : deadLetters;
    }

    /** The batch after this one: (epoch, index + 1), or the next epoch's first. */
    public int nextEpoch() {
        return index + 1 >= batches ? epoch + 1 : epoch;
    }

    public int nextIndex() {
        return index + 1 >= batches ? 0 : index + 1;
    }

    public static RunProgress parse(String json) {
        return Json.read(json, RunProgress.class);
    }

    public String toJson() {
        return Json.write(this);
    }
}
