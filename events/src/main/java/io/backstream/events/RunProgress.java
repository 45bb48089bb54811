package io.backstream.events;

/**
 * A run's committed position, on the compacted {@link Topics#RUNS_PROGRESS}. The trainer publishes
 * one in each transaction it commits, next to that transaction's loss events, so the latest record
 * per run says exactly how far the committed log goes.
 *
 * <pre>{"runId":…,"step":120,"epoch":1,"index":119,"batches":2000,"checkpointStep":100,"timestamp":1700000000000}</pre>
 *
 * @param step the last step trained and committed, 1-based over the run
 * @param epoch the epoch of that step's batch, 1-based
 * @param index that batch's index within its epoch, 0-based
 * @param batches the number of batches in that epoch
 * @param checkpointStep the step of the latest checkpoint on {@link Topics#RUNS_CHECKPOINTS} (≤ step)
 * @param timestamp when the transaction was committed, epoch milliseconds
 */
public record RunProgress(String runId, long step, int epoch, int index, int batches, long checkpointStep, long timestamp) {

    public RunProgress {
        Checks.required("runId", runId);
        if (step < 0 || epoch < 0 || index < 0 || batches < 0 || checkpointStep < 0 || checkpointStep > step) {
            throw new IllegalArgumentException("step, epoch, index, batches and checkpointStep must be >= 0, checkpointStep <= step");
        }
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
