package io.backstream.trainer.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * One in-process run of {@code ./backstream}: its exit code and everything written to stdout and
 * stderr, whether through picocli's writers or directly to System.out/err (the commands do both).
 */
record CliRun(int exitCode, String out, String err) {

    static CliRun backstream(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            CommandLine cmd = new CommandLine(new Main());
            cmd.setOut(new PrintWriter(o, true));
            cmd.setErr(new PrintWriter(e, true));
            int code = cmd.execute(args);
            cmd.getOut().flush();
            cmd.getErr().flush();
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
