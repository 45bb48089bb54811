package io.backstream.trainer.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.backstream.trainer.cli.demo.LocalPipeline.CpuShare;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuShareTest {

    @Test
    void byDefaultTheTrainerGetsOneThreadFewerThanTheCoresAndTheOthersRunAtNiceTen() {
        CpuShare two = CpuShare.forCores(2);
        assertEquals("1", two.trainerThreads());
        assertEquals("1", two.supportThreads());
        assertEquals(List.of("nice", "-n", "10"), two.supportLauncher());

        assertEquals("7", CpuShare.forCores(8).trainerThreads());
        assertEquals("1", CpuShare.forCores(1).trainerThreads(), "never fewer than one");
    }

    @Test
    void theOthersCanBeKeptToCpusAndTheirPriorityLeftAlone() {
        CpuShare share = CpuShare.forCores(2).withSupport(0, "1");
        assertEquals(List.of("taskset", "-c", "1"), share.supportLauncher());
        assertEquals(List.of(), CpuShare.forCores(2).withSupport(0, null).supportLauncher());
        assertEquals(List.of("taskset", "-c", "0-1", "nice", "-n", "19"), CpuShare.forCores(2).withSupport(19, "0-1").supportLauncher());
        assertEquals("3", share.withTrainerThreads("3").trainerThreads());
    }

    @Test
    void aNicenessOrCpuListThatTasksetOrNiceWouldRefuseIsRefusedFirst() {
        assertThrows(IllegalArgumentException.class, () -> CpuShare.forCores(2).withSupport(20, null));
        assertThrows(IllegalArgumentException.class, () -> CpuShare.forCores(2).withSupport(-1, null));
        assertThrows(IllegalArgumentException.class, () -> CpuShare.forCores(2).withSupport(0, "1;rm -rf /"));
    }
}
