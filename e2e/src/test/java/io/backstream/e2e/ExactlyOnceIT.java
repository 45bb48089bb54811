package io.backstream.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.backstream.events.EpochSummary;
import io.backstream.events.LossTopicEvent;
import io.backstream.trainer.cli.demo.Supervisor;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kill the trainer at any moment and the run finishes as if nothing happened, bit for bit — in
 * the spirit of Kafka's own transaction system tests. The same spec runs twice: once cleanly, once
 * while the trainer is killed with SIGKILL three times at random points, the data-loader, the
 * evaluator and the metrics service once each (the local supervisor restarts them, as Kubernetes
 * would), and the broker is stopped and started once. The second run's
 * final weights equal the first's byte for byte, and its committed loss log (read_committed) holds
 * every step exactly once with the clean run's loss — so no batch was trained twice or skipped.
 */
class ExactlyOnceIT {
    static final String SPEC = "{\"optimizer\":{\"type\":\"sgd\",\"lr\":0.001,\"momentum\":0.9},\"batchSize\":4,"
            + "\"epochs\":3,\"shuffleSeed\":7,\"dataset\":\"synthetic\",\"snapshotEvery\":1000000}";
    static final int STEPS = 3 * (2000 / 4);
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(8);
    @RegisterExtension
    static final Pipeline pipeline = new Pipeline();

    @Test
    void aRunKilledThreeTimesWithABrokerRestartEndsBitIdenticalWithEveryStepOnce() throws Exception {
        String clean = pipeline.startRun(SPEC);
        pipeline.awaitState(clean, RUN_TIMEOUT, "COMPLETED");
        byte[] cleanModel = pipeline.model(clean);

        String faulty = pipeline.startRun(SPEC);
        Random random = new Random();
        for (int kill = 1; kill <= 3; kill++) {
            // a random step in the kill's own quarter of the run, so all three land mid-training
            long at = (long) ((kill - 1 + random.nextDouble()) * STEPS / 4);
            pipeline.awaitStep(faulty, at, RUN_TIMEOUT);
            kill("trainer", kill, at);
            if (kill == 1) kill("data-loader", 1, at);
            if (kill == 2) {
                kill("evaluator", 1, at);
                kill("metrics", 1, at);
            }
        }
        pipeline.awaitStep(faulty, (long) (3.3 * STEPS / 4), RUN_TIMEOUT);
        System.out.println("restarting the broker");
        pipeline.restartBroker(Duration.ofSeconds(3));
        pipeline.awaitState(faulty, RUN_TIMEOUT, "COMPLETED");

        assertArrayEquals(cleanModel, pipeline.model(faulty), "final weights differ from the clean run's");
        List<LossTopicEvent> cleanLog = LossLog.read(pipeline.bootstrap(), clean, STEPS, 3);
        List<LossTopicEvent> faultyLog = LossLog.read(pipeline.bootstrap(), faulty, STEPS, 3);
        assertEquals(LossLog.steps(cleanLog), LossLog.steps(faultyLog), "step losses differ from the clean run's");
        for (int i = 0; i < STEPS; i++) {
            assertEquals(i + 1, LossLog.steps(faultyLog).get(i).step(), "the committed log's steps are not 1.." + STEPS + " once each");
        }
        assertEquals(LossLog.epochs(cleanLog).stream().map(EpochSummary::runningLoss).toList(),
                LossLog.epochs(faultyLog).stream().map(EpochSummary::runningLoss).toList(), "epoch summaries differ");
        assertEquals(3, LossLog.epochs(faultyLog).size());
    }

    /** SIGKILL to a service; the supervisor restarts it (its {@code restart}-th time), as Kubernetes would. */
    private static void kill(String service, int restart, long step) throws Exception {
        Supervisor supervisor = pipeline.supervisor(service);
        long pid = supervisor.service().pid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        System.out.printf("SIGKILL to the %s (pid %d) at about step %d%n", service, pid, step);
        supervisor.awaitRestarted(restart, Duration.ofMinutes(3));
        assertNotEquals(pid, supervisor.service().pid());
    }
}
