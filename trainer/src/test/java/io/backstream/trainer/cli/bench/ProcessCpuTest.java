package io.backstream.trainer.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.trainer.cli.bench.ProcessCpu.Usage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class ProcessCpuTest {

    @Test
    void cpuTimeIsUserPlusSystemCountedAfterTheCommandNameEvenWhenItHoldsSpacesAndParentheses() {
        String stat = "4242 (C2 CompilerThre) (x) S 1 4242 4242 0 -1 4194624 10 0 0 0 1234 56 0 0 20 0 30 0 100 0 0";
        assertEquals(1234 + 56, ProcessCpu.cpuTicks(stat));
    }

    @Test
    void busyCoresIsCpuTimeOverWallTimeAndAnEndedCompilerThreadsLostTimeCountsAsNone() {
        Map<String, Usage> before = new LinkedHashMap<>();
        before.put("trainer", new Usage(10, 2));
        before.put("broker", new Usage(5, 3));
        before.put("gone", new Usage(1, 0));
        Map<String, Usage> after = new LinkedHashMap<>();
        after.put("trainer", new Usage(14, 3));  // 4 s of CPU in 4 s, one of them compiling
        after.put("broker", new Usage(7, 2));    // a compiler thread ended, taking its time along
        after.put("new", new Usage(3, 1));       // not in the first reading: no interval to speak of

        Map<String, Usage> busy = ProcessCpu.busyCores(before, after, 4.0);

        assertEquals(Map.of("trainer", new Usage(1.0, 0.25), "broker", new Usage(0.5, 0.0)), busy);
        assertEquals(0.25, ProcessCpu.compilerTotal(busy), 1e-12);
        assertEquals(0.5, ProcessCpu.totalExcept(busy, "trainer"), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.busyCores(before, after, 0));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void readsThisJvmAndItsCompilerThreadsAndLeavesOutAProcessThatIsGone() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("self", ProcessHandle.current().pid());
        pids.put("ended", done.pid());

        Map<String, Usage> usage = ProcessCpu.read(pids);

        assertTrue(usage.containsKey("self"), "this JVM is read: " + usage);
        Usage self = usage.get("self");
        assertTrue(self.total() > 0 && self.compiler() >= 0 && self.compiler() <= self.total(), "plausible: " + self);
        assertFalse(usage.containsKey("ended"), "an ended process is left out: " + usage);
    }
}
