package io.backstream.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Node script in {@code e2e/src/test/browser/} that drives headless Chromium through playwright-core
 * (the system's {@code /usr/bin/chromium}: Playwright's own browser download is not reachable here).
 * Its npm packages are installed from its package-lock.json on first use; the script reports on a
 * line {@code RESULT {json}}, which is what {@link #run} returns.
 */
final class BrowserCheck {
    static final Path DIR = Pipeline.HOME.resolve("e2e").resolve("src").resolve("test").resolve("browser");
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    private BrowserCheck() {}

    /** Runs {@code script} with {@code env}; its output goes to {@code log}. */
    static JsonNode run(String script, Map<String, String> env, Path log, Duration timeout) throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new AssertionError("no Chromium at " + CHROMIUM + ": apt-get install chromium (./backstream test installs it)");
        }
        Files.createDirectories(log.getParent());
        requireNode20();
        exec(List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"), Map.of(), log, Duration.ofMinutes(5));
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("CHROMIUM", CHROMIUM.toString());
        exec(List.of("node", script), all, log, timeout);
        String result = Files.readAllLines(log).stream().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError(script + " reported no RESULT line (see " + log + ")"));
        return new ObjectMapper().readTree(result.substring("RESULT ".length()));
    }

    /** playwright-core wants Node.js 20 or later (Debian 12's own nodejs is 18). */
    private static void requireNode20() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        String version = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^v(\\d+)\\.").matcher(version);
        if (!m.find() || Integer.parseInt(m.group(1)) < 20) {
            throw new AssertionError("the browser test needs Node.js 20 or later (playwright-core), found " + version);
        }
    }

    private static void exec(List<String> command, Map<String, String> env, Path log, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s (see " + log + ")");
        }
        if (p.exitValue() != 0) throw new AssertionError(String.join(" ", command) + " failed with exit " + p.exitValue() + " (see " + log + ")");
    }
}
