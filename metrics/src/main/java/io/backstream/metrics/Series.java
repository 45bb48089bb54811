package io.backstream.metrics;

/** The per-run Prometheus series, each labelled run and optimizer ({@link #RUN_STATE} also state). */
enum Series {
    LOSS("backstream.loss", "the last step's loss", false),
    RUNNING_LOSS("backstream.running.loss", "the last epoch's running loss (sum of its step losses)", false),
    EPOCH("backstream.epoch", "the current epoch, 1-based", false),
    /** Exported as backstream_steps_total: the global step, which only grows. */
    STEPS("backstream.steps", "the last global step, 1-based over the run", true),
    IMAGES_PER_SECOND("backstream.images.per.second", "training throughput around the last step", false),
    ACCURACY("backstream.accuracy", "test accuracy of the last scored snapshot, 0..1", false),
    TEST_LOSS("backstream.test.loss", "mean test cross-entropy of the last scored snapshot", false),
    /**
     * Exported as backstream_dead_letters_total: records refused onto training.deadletter whose key is
     * the run (a test-set chunk's is its dataset), each source record counted once however often it
     * was dead-lettered. Counted from the topic, so a restarted service shows the same count.
     */
    DEAD_LETTERS("backstream.dead.letters", "records refused onto training.deadletter with this run's key, each source record once", true),
    /**
     * Exported as backstream_run_state{state}: one series per state a run can be in, 1 for its current
     * state and 0 for the others, as kube-state-metrics' kube_pod_status_phase. Alerts pick a state by
     * label and join the run's other series on (run, optimizer); the 0s keep each series continuous
     * across transitions, so {@code min_over_time(backstream_run_state{state="RUNNING"}[10m])} is 1
     * only if the run was RUNNING throughout (an absent series while PAUSED would leave only 1s in
     * the window). A single backstream_run_active 1/0 could not tell a run that never started
     * (PENDING) from a paused one; a numeric state code invites arithmetic on an enumeration.
     */
    RUN_STATE("backstream.run.state", "1 for the run's current state (label state), 0 for the others", false);

    final String meterName;
    final String description;
    final boolean counter;

    Series(String meterName, String description, boolean counter) {
        this.meterName = meterName;
        this.description = description;
        this.counter = counter;
    }
}
