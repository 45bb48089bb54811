package io.backstream.trainer.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Restarts one {@link ServiceProcess} whenever it exits, as Kubernetes restarts a pod's container:
 * the same command line, port and log file (appended to), then waits for it to be ready as at first
 * start. One line on the log per restart: {@code trainer exited (code 137); restarting (restart 1)}.
 *
 * <p>Each restart waits first: 1 s, doubling up to 30 s while the service keeps crashing, back to
 * 1 s once it has stayed up for a minute; a service that cannot start does not spin. A process that
 * is up but not ready in time is stopped, and so restarted. {@link #close()} ends the supervision
 * (not the service): nothing is restarted after it, not even a process that died within its wait
 * just before, as on Ctrl-C, whose SIGINT reaches the services while the shutdown hook closes.
 */
public final class Supervisor implements AutoCloseable {
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final Duration STABLE = Duration.ofMinutes(1);

    private final ServiceProcess service;
    private final Duration readyTimeout;
    private final PrintWriter log;
    private final Thread thread;
    private boolean closed;
    private boolean ready = true;
    private int restarts;

    private Supervisor(ServiceProcess service, Duration readyTimeout, PrintWriter log) {
        this.service = service;
        this.readyTimeout = readyTimeout;
        this.log = log;
        this.thread = new Thread(this::run, "supervise-" + service.name());
        thread.setDaemon(true);
    }

    /**
     * Starts supervising {@code service}, which is running and ready.
     *
     * @param readyTimeout how long a restarted process has to become ready
     * @param log where the restart lines go
     */
    public static Supervisor watch(ServiceProcess service, Duration readyTimeout, PrintWriter log) {
        Supervisor s = new Supervisor(service, readyTimeout, log);
        s.thread.start();
        return s;
    }

    public ServiceProcess service() {
        return service;
    }

    /** How many times the service has been restarted so far. */
    public synchronized int restarts() {
        return restarts;
    }

    /**
     * Waits until the service has been restarted at least {@code restarts} times and is ready
     * again ({@code /q/health/ready} answered 200 after the last restart).
     */
    public synchronized void awaitRestarted(int restarts, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (this.restarts < restarts || !ready) {
            long left = deadline - System.nanoTime();
            if (closed || left <= 0) {
                throw new TimeoutException(service.name() + " not restarted " + restarts + " time(s) and ready"
                        + (closed ? " before its supervision ended" : " within " + timeout.toSeconds() + " s")
                        + " (restarts: " + this.restarts + ", ready: " + ready + "); see " + service.log());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** The wait before the next restart, after waiting {@code previous} (null: none yet) and a process that was up for {@code upFor}. */
    static Duration nextDelay(Duration previous, Duration upFor) {
        if (previous == null || upFor.compareTo(STABLE) >= 0) return FIRST_DELAY;
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(MAX_DELAY) < 0 ? doubled : MAX_DELAY;
    }

    private void run() {
        Duration delay = null;
        long upSince = System.nanoTime();
        try {
            while (true) {
                int code = service.waitFor();
                markReady(false);
                delay = nextDelay(delay, Duration.ofNanos(System.nanoTime() - upSince));
                Thread.sleep(delay.toMillis());
                try {
                    if (!restart(code)) return;
                    upSince = System.nanoTime();
                    service.awaitReady(readyTimeout);
                    markReady(true);
                } catch (IOException e) {
                    log.printf("%s: restart %d failed: %s%n", service.name(), restarts(), e.getMessage());
                    service.stop();
                }
            }
        } catch (InterruptedException closing) {
            // close() ends the supervision
        }
    }

    /** Starts the service again unless closed; under the lock, so that close() and a restart never interleave. */
    private synchronized boolean restart(int code) throws IOException {
        if (closed) return false;
        restarts++;
        log.printf("%s exited (code %d); restarting (restart %d)%n", service.name(), code, restarts);
        service.start();
        return true;
    }

    private synchronized void markReady(boolean ready) {
        this.ready = ready;
        notifyAll();
    }

    /** Ends the supervision; the service keeps running, stop it with {@link ServiceProcess#stop()}. Safe to call twice. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
