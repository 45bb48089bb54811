package io.backstream.trainer.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The threads the engine trains with: {@code count} Java threads, each running the native kernels
 * on a single OpenMP thread, that take the parts of a batch ({@link TrainingStep}) as they come;
 * and, for a batch small enough to train in one piece, {@code opThreads} OpenMP threads inside
 * each of its operations.
 *
 * <p>Why not OpenMP threads inside each operation for every batch: they meet at a barrier after
 * every operation, so one preempted thread stalls the others, hundreds of times a step. Measured
 * on 2 cores at batch 64: two OpenMP threads trained 2,800–2,950 images/s on a quiet machine and
 * 1,390–1,430 beside a bursty process taking about half a core; two of these threads, each on half
 * the batch, 3,650–4,050 and 2,470–2,620 (one thread alone: ~2,000 either way). A batch of one
 * image has nothing to split: there two OpenMP threads can be faster than one on a quiet machine
 * (up to ~20 %), and stall beside busy processes, hence the separate setting.
 *
 * <p>libnd4j keeps one OpenMP thread count for the whole process, so each step sets it before it
 * trains ({@link #onePiece()}, {@link #onePart()}); two runs of one trainer stepping at the same
 * moment, one batch split and one not, can briefly run with the other's count (slower, never wrong:
 * a part's result does not depend on it).
 */
public final class EngineThreads {
    private static int count = 1;
    private static int opThreads = 1;
    private static ExecutorService pool;

    private EngineThreads() {}

    /** {@code threads} threads for the parts of a batch, and as many OpenMP threads for a batch in one piece. */
    public static void configure(int threads) {
        configure(threads, threads);
    }

    /**
     * Sets the threads: {@code threads} for the parts of a batch, {@code opThreads} OpenMP threads
     * inside each operation of a batch trained in one piece. Call it before training, e.g. from a
     * command's {@code --threads}.
     */
    public static synchronized void configure(int threads, int opThreads) {
        if (threads < 1 || opThreads < 1) {
            throw new IllegalArgumentException("the engine needs at least one thread of each kind, got " + threads + " and " + opThreads);
        }
        EngineThreads.opThreads = opThreads;
        openMpThreads(opThreads);
        if (threads == count && (threads == 1 || pool != null)) return;
        if (pool != null) pool.shutdown();
        count = threads;
        pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, named());
    }

    /**
     * From the environment: {@code OMP_NUM_THREADS} threads (its first number), else the machine's
     * cores; {@code BACKSTREAM_OP_THREADS} OpenMP threads for a batch in one piece, else as many.
     *
     * @throws IllegalArgumentException naming the variable, if one is set to something else than a count
     */
    public static void configureFromEnvironment() {
        int[] t = fromEnvironment(System.getenv(), Runtime.getRuntime().availableProcessors());
        configure(t[0], t[1]);
    }

    /**
     * The threads {@code OMP_NUM_THREADS} names in these variables (its first number), else {@code cores}.
     *
     * @throws IllegalArgumentException if it is set to something else than a count
     */
    public static int ompNumThreads(Map<String, String> env, int cores) {
        String omp = env.get("OMP_NUM_THREADS");
        if (omp == null || omp.isBlank()) return cores;
        // OpenMP's own syntax allows a list for nested levels ("4,2"): the first is the outer level's
        if (!omp.trim().matches("[1-9][0-9]{0,3}(,.*)?")) {
            throw new IllegalArgumentException("OMP_NUM_THREADS must be a thread count such as 2, got '" + omp + "'");
        }
        return Integer.parseInt(omp.trim().split(",")[0]);
    }

    /** {threads, opThreads} from these variables ({@link #configureFromEnvironment()}). */
    static int[] fromEnvironment(Map<String, String> env, int cores) {
        int threads = ompNumThreads(env, cores);
        String op = env.get("BACKSTREAM_OP_THREADS");
        if (op == null || op.isBlank()) return new int[] {threads, threads};
        if (!op.trim().matches("[1-9][0-9]{0,3}")) {
            throw new IllegalArgumentException("BACKSTREAM_OP_THREADS must be a thread count (1..9999), got '" + op + "'");
        }
        return new int[] {threads, Integer.parseInt(op.trim())};
    }

    /** Before a batch trained in one piece, on the thread that trains it: its OpenMP threads. */
    static void onePiece() {
        int n;
        synchronized (EngineThreads.class) {
            n = opThreads;
        }
        openMpThreads(n);
    }

    /** Before a part of a batch, on the engine thread that trains it: one OpenMP thread. */
    static void onePart() {
        openMpThreads(1);
    }

    public static synchronized int count() {
        return count;
    }

    /**
     * Runs the tasks, on the engine's threads when there are several, and returns their results in
     * the tasks' order. A task's exception is rethrown (the first in order) after all have ended.
     */
    static <T> List<T> runAll(List<Callable<T>> tasks) {
        ExecutorService p;
        synchronized (EngineThreads.class) {
            p = pool;
        }
        List<T> out = new ArrayList<>(tasks.size());
        if (p == null || tasks.size() == 1) {
            for (Callable<T> t : tasks) out.add(call(t));
            return out;
        }
        try {
            for (Future<T> f : p.invokeAll(tasks)) out.add(f.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the engine's threads ran a step", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    private static <T> T call(Callable<T> task) {
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory named() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(() -> {
                r.run();
            }, "engine-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void openMpThreads(int n) {
        Nd4j.create(1); // the native backend is loaded before it is configured
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
    }
}
