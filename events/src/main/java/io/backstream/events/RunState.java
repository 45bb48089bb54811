package io.backstream.events;

/**
 * Where a run is, on the compacted {@link Topics#RUNS_STATE}: the latest record per runId is the
 * run's current state, so a service that starts late reads the topic from the beginning and knows
 * every run.
 *
 * <pre>{"runId":…,"state":"RUNNING","spec":{…},"epoch":1,"step":120,"lastLoss":2.25,
 *  "imagesPerSecond":810.0,"reason":null,"updatedAt":1700000000000}</pre>
 *
 * @param spec the spec the run was started with (null only if a state is published before it is known)
 * @param epoch the current epoch, 1-based; 0 before the first step
 * @param step the last completed step, 1-based over the run; 0 before the first
 * @param lastLoss the last step's loss; null before the first step; NaN/±∞ if the run diverged
 * @param reason why the run FAILED (required then); may explain other states, null otherwise
 * @param updatedAt when this state was published, epoch milliseconds
 */
public record RunState(String runId, State state, RunSpec spec, int epoch, long step, Double lastLoss,
                       double imagesPerSecond, String reason, long updatedAt) {

    /** PENDING → RUNNING ⇄ PAUSED → STOPPED | COMPLETED | FAILED; the last three are final. */
    public enum State {
        PENDING, RUNNING, PAUSED, STOPPED, COMPLETED, FAILED;

        public boolean isFinal() {
            return this == STOPPED || this == COMPLETED || this == FAILED;
        }
    }

    public RunState {
        Checks.required("runId", runId);
        Checks.required("state", state);
        if (state == State.FAILED && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("reason: required when state is FAILED");
        }
    }

    public static RunState parse(String json) {
        return Json.read(json, RunState.class);
    }

    public String toJson() {
        return Json.write(this);
    }
}
