package io.backstream.trainer.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class JitActivityTest {

    @Test
    void cpuTimeIsUserPlusSystemCountedAfterTheCommandNameEvenWhenItHoldsSpacesAndParentheses() {
        String stat = "4242 (C2 CompilerThre) (x) S 1 4242 4242 0 -1 4194624 10 0 0 0 1234 56 0 0 20 0 30 0 100 0 0";
        assertEquals(1234 + 56, JitActivity.cpuTicks(stat));
    }

    @Test
    void busyCoresIsCompilerTimeOverWallTimeAndARetiredThreadsLostTimeIsNoActivity() {
        Map<String, Double> before = new LinkedHashMap<>();
        before.put("trainer", 10.0);
        before.put("broker", 5.0);
        before.put("gone", 1.0);
        Map<String, Double> after = new LinkedHashMap<>();
        after.put("trainer", 11.0);  // one second of compiling in four: a quarter of a core
        after.put("broker", 4.0);    // a compiler thread retired with its time
        after.put("new", 3.0);       // not in the first reading: no interval to speak of

        Map<String, Double> busy = JitActivity.busyCores(before, after, 4.0);

        assertEquals(Map.of("trainer", 0.25, "broker", 0.0), busy);
        assertEquals(0.25, JitActivity.total(busy), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> JitActivity.busyCores(before, after, 0));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void readsThisJvmsCompilerThreadsAndLeavesOutAProcessThatIsGone() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("self", ProcessHandle.current().pid());
        pids.put("ended", done.pid());

        Map<String, Double> seconds = JitActivity.cpuSeconds(pids);

        assertTrue(seconds.containsKey("self"), "this JVM is read: " + seconds);
        assertTrue(seconds.get("self") >= 0);
        assertFalse(seconds.containsKey("ended"), "an ended process is left out: " + seconds);
    }
}
