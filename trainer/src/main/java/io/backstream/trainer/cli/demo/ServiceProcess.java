package io.backstream.trainer.cli.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Backstream service run as a child JVM ({@code quarkus-run.jar}), with its log in a file.
 * {@link #start()} may be called again after the process has exited (as {@link Supervisor} does):
 * the same command line, port and log, appended to.
 */
public final class ServiceProcess {
    private final String name;
    private final Path jar;
    private final int port;
    private final Path log;
    private final Map<String, String> env;
    private final List<String> jvmArgs;
    private final List<String> launcher;
    private volatile Process process;

    public ServiceProcess(String name, Path jar, int port, Path log, Map<String, String> env, List<String> jvmArgs) {
        this(name, jar, port, log, env, jvmArgs, List.of());
    }

    /**
     * @param launcher commands that run java for it, e.g. {@code nice -n 10} or {@code taskset -c 1}; each
     *     execs the next, so the process keeps one pid
     */
    public ServiceProcess(String name, Path jar, int port, Path log, Map<String, String> env, List<String> jvmArgs, List<String> launcher) {
        this.launcher = List.copyOf(launcher);
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.log = log;
        this.env = env;
        this.jvmArgs = jvmArgs;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** Starts the process; its output is appended to {@link #log()}. */
    public void start() throws IOException {
        if (!Files.isRegularFile(jar)) throw new IOException(name + ": " + jar + " is missing (build with mvn package)");
        requireFreePort();
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>();
        cmd.addAll(launcher);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        process = pb.start();
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The operating-system id of the current process (the latest started). */
    public long pid() {
        return started().pid();
    }

    /** Waits until the current process exits; returns its exit code (128 + signal when killed by one). */
    public int waitFor() throws InterruptedException {
        return started().waitFor();
    }

    private Process started() {
        Process p = process;
        if (p == null) throw new IllegalStateException(name + " has not been started");
        return p;
    }

    /**
     * Another process on the port would answer the readiness check for this one, and every request
     * after it: refuse to start instead (e.g. a second demo, or tests using the same ports).
     */
    private void requireFreePort() throws IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress("0.0.0.0", port));
        } catch (IOException e) {
            throw new IOException(name + ": port " + port + " is already in use by another process (another pipeline?); "
                    + "stop it or choose other ports", e);
        }
    }

    /** Waits until {@code /q/health/ready} answers 200, the process dies, or the timeout passes. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        Process p = started();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IOException(name + " exited with code " + p.exitValue() + " during start-up; see " + log);
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException(name + " not ready after " + timeout.toSeconds() + " s; see " + log);
    }

    /** SIGTERM, then SIGKILL after a grace period. */
    public void stop() {
        Process p = process;
        if (p == null) return;
        p.destroy();
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
