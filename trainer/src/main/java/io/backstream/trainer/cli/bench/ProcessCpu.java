package io.backstream.trainer.cli.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a machine's CPU goes, per process, read from Linux's {@code /proc}: each process's CPU time,
 * and the part of it its HotSpot JIT compiler threads took ({@code C1 CompilerThread…},
 * {@code C2 CompilerThread…}, truncated to {@code C2 CompilerThre} in {@code comm}).
 *
 * <p>Why bench-pipeline needs it:
 * <ul>
 *   <li>A freshly started broker and services keep compiling for a minute or more after their first
 *   traffic. Measured on 2 cores, their compiler threads together took 0.7–0.8 of a core during a
 *   run that followed a one-epoch warm-up; the in-process loop, timed in an already warm JVM, never
 *   pays that. A pipeline that has been up a while has compiled its paths, so the benchmark warms
 *   up until the compilers are quiet.</li>
 *   <li>On a small machine the pipeline's rate is bounded by what the other processes take: with
 *   {@code c} cores and the broker, loader, evaluator and metrics using {@code o} of them, the
 *   trainer has at most {@code c − o}. The benchmark prints each process's share of every run.</li>
 * </ul>
 *
 * <p>A thread that ends takes its CPU time out of the per-thread listing, so a later reading of
 * compiler time can be smaller than an earlier one; {@link #busyCores} counts such a drop as none.
 */
public final class ProcessCpu {
    /** USER_HZ, the unit of {@code /proc/…/stat} times: 100 on every Linux a JVM runs on. */
    private static final double TICKS_PER_SECOND = 100;

    /** CPU seconds (or, from {@link #busyCores}, cores) of a process: all of it, and its JIT compilers' part. */
    public record Usage(double total, double compiler) {}

    private ProcessCpu() {}

    /**
     * CPU seconds so far of each process; a process that is gone (or a system without
     * {@code /proc}) is left out.
     *
     * @param pids process name → pid
     */
    public static Map<String, Usage> read(Map<String, Long> pids) {
        Map<String, Usage> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            Usage u = usage(Path.of("/proc", Long.toString(e.getValue())));
            if (u != null) out.put(e.getKey(), u);
        }
        return out;
    }

    /**
     * The cores' worth of work between two readings {@code seconds} apart: process name → CPU time /
     * wall time (0.25 = a quarter of a core), for the processes in both readings.
     */
    public static Map<String, Usage> busyCores(Map<String, Usage> before, Map<String, Usage> after, double seconds) {
        if (!(seconds > 0)) throw new IllegalArgumentException("seconds must be positive, got " + seconds);
        Map<String, Usage> out = new LinkedHashMap<>();
        for (Map.Entry<String, Usage> e : after.entrySet()) {
            Usage was = before.get(e.getKey());
            if (was == null) continue;
            Usage now = e.getValue();
            out.put(e.getKey(), new Usage(Math.max(0, now.total() - was.total()) / seconds, Math.max(0, now.compiler() - was.compiler()) / seconds));
        }
        return out;
    }

    /** The compilers' part of a {@link #busyCores} map, summed. */
    public static double compilerTotal(Map<String, Usage> busyCores) {
        return busyCores.values().stream().mapToDouble(Usage::compiler).sum();
    }

    /** The processes of a {@link #busyCores} map other than {@code except}, summed. */
    public static double totalExcept(Map<String, Usage> busyCores, String except) {
        return busyCores.entrySet().stream().filter(e -> !e.getKey().equals(except)).mapToDouble(e -> e.getValue().total()).sum();
    }

    private static Usage usage(Path process) {
        long total;
        long compiler = 0;
        try {
            total = cpuTicks(Files.readString(process.resolve("stat")));
        } catch (IOException gone) {
            return null;
        }
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(process.resolve("task"))) {
            for (Path t : threads) {
                try {
                    String comm = Files.readString(t.resolve("comm")).trim();
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) compiler += cpuTicks(Files.readString(t.resolve("stat")));
                } catch (IOException threadEnded) {
                    // the thread exited between the listing and the read
                }
            }
        } catch (IOException processEnded) {
            return null;
        }
        return new Usage(total / TICKS_PER_SECOND, compiler / TICKS_PER_SECOND);
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
