package io.backstream.trainer.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Supervisor}, as {@link LocalPipeline} supervises each service: a service that dies is
 * restarted as Kubernetes restarts a pod (a new process, same port and log) with one line on the
 * log per restart, rapid crashes back off, and once the supervision is closed nothing is restarted.
 * The service is a real {@link ServiceProcess} running a stand-in ({@link ReadyServer}, a tiny JVM
 * answering {@code /q/health/ready}), so no Kafka is needed.
 */
class SupervisorTest {
    /** For anything that waits on a process: far more than a tiny JVM needs to start. */
    private static final Duration GENEROUS = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final StringWriter log = new StringWriter();
    private ServiceProcess service;
    private Supervisor supervisor;

    @BeforeEach
    void superviseARunningReadyService() throws Exception {
        Path jar = ReadyServer.jar(tmp.resolve("ready-server.jar"));
        service = new ServiceProcess("ready-server", jar, freePort(), tmp.resolve("logs").resolve("ready-server.log"), Map.of(), List.of("-Xmx32m"));
        service.start();
        service.awaitReady(GENEROUS);
        supervisor = Supervisor.watch(service, GENEROUS, new PrintWriter(log, true));
    }

    @AfterEach
    void stopEverything() {
        supervisor.close();
        service.stop();
    }

    @Test
    void aServiceKilledWithSigkillIsRestartedAsANewProcessOnTheSamePortAndLog() throws Exception {
        long killed = service.pid();

        kill9(killed);
        supervisor.awaitRestarted(1, GENEROUS);

        assertNotEquals(killed, service.pid(), "a new process");
        assertTrue(service.isAlive());
        assertEquals(1, supervisor.restarts());
        assertEquals(List.of("ready-server exited (code 137); restarting (restart 1)"), log.toString().lines().toList());
        assertEquals(List.of("ready-server " + killed + " starting on " + service.port(), "ready-server " + service.pid() + " starting on " + service.port()),
                Files.readAllLines(service.log()), "both processes' output, appended to the same log");
    }

    @Test
    void everyDeathIsARestartCountedAndLogged() throws Exception {
        List<Long> pids = new ArrayList<>(List.of(service.pid()));
        for (int restart = 1; restart <= 2; restart++) {
            kill9(service.pid());
            supervisor.awaitRestarted(restart, GENEROUS);
            pids.add(service.pid());
        }

        assertEquals(3, pids.stream().distinct().count(), "three processes: " + pids);
        assertEquals(2, supervisor.restarts());
        assertEquals(List.of("ready-server exited (code 137); restarting (restart 1)", "ready-server exited (code 137); restarting (restart 2)"),
                log.toString().lines().toList());
    }

    @Test
    void awaitingARestartThatDoesNotComeTimesOut() {
        assertThrows(TimeoutException.class, () -> supervisor.awaitRestarted(1, Duration.ofMillis(300)));
        assertEquals(0, supervisor.restarts());
    }

    @Test
    void aServiceStoppedAfterCloseStaysStopped() throws Exception {
        long pid = service.pid();

        supervisor.close();
        service.stop();

        assertStaysStopped(pid);
    }

    @Test
    void aServiceThatDiesAsTheSupervisionClosesIsNotRestarted() throws Exception {
        // Ctrl-C: the terminal's SIGINT reaches the services while the shutdown hook closes the pipeline
        long pid = service.pid();

        ProcessHandle.of(pid).orElseThrow().destroy();
        supervisor.close();

        assertStaysStopped(pid);
    }

    @Test
    void rapidRepeatedCrashesWaitLongerBeforeEachRestartUpTo30Seconds() {
        List<Long> waits = new ArrayList<>();
        Duration wait = null;
        for (int crash = 1; crash <= 7; crash++) {
            wait = Supervisor.nextDelay(wait, Duration.ofSeconds(5)); // each process up for 5 s only
            waits.add(wait.toSeconds());
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L), waits);
    }

    @Test
    void aServiceThatStayedUpForAMinuteIsRestartedAfterTheFirstDelayAgain() {
        assertEquals(Duration.ofSeconds(1), Supervisor.nextDelay(Duration.ofSeconds(30), Duration.ofMinutes(1)));
        assertEquals(Duration.ofSeconds(1), Supervisor.nextDelay(null, Duration.ofHours(1)));
    }

    /** Waits for the process to end, then past the first restart delay; no new process, no restart. */
    private void assertStaysStopped(long pid) throws Exception {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) process.get().onExit().get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        Thread.sleep(Supervisor.FIRST_DELAY.multipliedBy(3).toMillis());
        assertFalse(service.isAlive());
        assertEquals(pid, service.pid(), "no new process");
        assertEquals(0, supervisor.restarts());
        assertEquals("", log.toString());
    }

    private static void kill9(long pid) {
        assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly(), "SIGKILL sent to " + pid);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
