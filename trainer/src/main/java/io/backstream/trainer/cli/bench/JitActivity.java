package io.backstream.trainer.cli.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How busy the JIT compilers of some JVMs are, read from Linux's {@code /proc}: the CPU time of each
 * process's HotSpot compiler threads ({@code C1 CompilerThread…}, {@code C2 CompilerThread…}, shown
 * truncated as {@code C2 CompilerThre} in {@code comm}).
 *
 * <p>Why bench-pipeline needs it: a freshly started broker and services keep compiling for a minute
 * or more after their first traffic. Measured on 2 cores, the compiler threads of the broker and
 * the four services together took 70–80 % of a core during a run that followed a one-epoch warm-up,
 * which the in-process loop, timed in an already warm JVM, never pays. A pipeline that has been up
 * a while has compiled its paths; the benchmark warms up until the compilers are quiet.
 *
 * <p>A compiler thread that HotSpot retires takes its CPU time with it, so a later reading can be
 * smaller than an earlier one; {@link #busyCores} counts such a drop as no activity.
 */
public final class JitActivity {
    /** USER_HZ, the unit of {@code /proc/…/stat} times: 100 on every Linux a JVM runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private JitActivity() {}

    /**
     * Compiler-thread CPU seconds so far of each process; a process that is gone (or a system
     * without {@code /proc}) is left out.
     *
     * @param pids process name → pid
     */
    public static Map<String, Double> cpuSeconds(Map<String, Long> pids) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            Double s = compilerSeconds(Path.of("/proc", Long.toString(e.getValue()), "task"));
            if (s != null) out.put(e.getKey(), s);
        }
        return out;
    }

    /**
     * The cores' worth of compiling between two readings {@code seconds} apart: process name →
     * compiler CPU time / wall time (0.25 = a quarter of a core), for the processes in both.
     */
    public static Map<String, Double> busyCores(Map<String, Double> before, Map<String, Double> after, double seconds) {
        if (!(seconds > 0)) throw new IllegalArgumentException("seconds must be positive, got " + seconds);
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : after.entrySet()) {
            Double was = before.get(e.getKey());
            if (was != null) out.put(e.getKey(), Math.max(0, e.getValue() - was) / seconds);
        }
        return out;
    }

    /** The sum of a {@link #busyCores} map. */
    public static double total(Map<String, Double> busyCores) {
        return busyCores.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static Double compilerSeconds(Path tasks) {
        if (!Files.isDirectory(tasks)) return null;
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path t : threads) {
                try {
                    String comm = Files.readString(t.resolve("comm")).trim();
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) ticks += cpuTicks(Files.readString(t.resolve("stat")));
                } catch (IOException threadEnded) {
                    // the thread exited between the listing and the read
                }
            }
        } catch (IOException processEnded) {
            return null;
        }
        return ticks / TICKS_PER_SECOND;
    }

    /**
     * utime + stime of a {@code stat} line: fields 14 and 15, counted after the command name,
     * which is in parentheses and may itself hold spaces and parentheses.
     */
    static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state): utime is field 14, stime field 15
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
