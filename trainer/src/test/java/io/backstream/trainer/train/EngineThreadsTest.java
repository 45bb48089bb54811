package io.backstream.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class EngineThreadsTest {

    @AfterAll
    static void oneThreadAgain() {
        EngineThreads.configure(1);
    }

    @Test
    void threadsComeFromOmpNumThreadsOrTheCoresAndAnUnsplitBatchsFromBackstreamOpThreadsOrAsMany() {
        assertArrayEquals(new int[] {8, 8}, EngineThreads.fromEnvironment(Map.of(), 8));
        assertArrayEquals(new int[] {2, 2}, EngineThreads.fromEnvironment(Map.of("OMP_NUM_THREADS", "2"), 8));
        assertArrayEquals(new int[] {4, 4}, EngineThreads.fromEnvironment(Map.of("OMP_NUM_THREADS", "4,2"), 8), "OpenMP's nested list: the outer level");
        assertArrayEquals(new int[] {2, 1}, EngineThreads.fromEnvironment(Map.of("OMP_NUM_THREADS", "2", "BACKSTREAM_OP_THREADS", "1"), 8));
    }

    @Test
    void aVariableSetToSomethingElseThanACountIsRefusedByName() {
        IllegalArgumentException omp = assertThrows(IllegalArgumentException.class,
                () -> EngineThreads.fromEnvironment(Map.of("OMP_NUM_THREADS", "two"), 8));
        assertTrue(omp.getMessage().contains("OMP_NUM_THREADS") && omp.getMessage().contains("'two'"), omp.getMessage());
        IllegalArgumentException op = assertThrows(IllegalArgumentException.class,
                () -> EngineThreads.fromEnvironment(Map.of("BACKSTREAM_OP_THREADS", "0"), 8));
        assertTrue(op.getMessage().contains("BACKSTREAM_OP_THREADS") && op.getMessage().contains("'0'"), op.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EngineThreads.configure(0));
    }

    @Test
    void tasksRunOnTheEngineThreadsAndComeBackInTheirOrderWithTheFirstFailureRethrownAfterAll() {
        EngineThreads.configure(2);
        List<Callable<String>> tasks = List.of(() -> Thread.currentThread().getName(), () -> "second", () -> "third");
        List<String> out = EngineThreads.runAll(tasks);
        assertTrue(out.get(0).startsWith("engine-"), "ran on " + out.get(0));
        assertArrayEquals(new String[] {"second", "third"}, out.subList(1, 3).toArray());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EngineThreads.runAll(List.<Callable<String>>of(
                () -> "fine", () -> { throw new IllegalStateException("part 1 failed"); }, () -> { throw new IllegalStateException("part 2 failed"); })));
        assertTrue(e.getMessage().equals("part 1 failed"), e.getMessage());
    }
}
