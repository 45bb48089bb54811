package io.backstream.trainer.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.backstream.trainer.cli.demo.LocalPipeline.CpuShare;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuShareTest {

    @Test
    void byDefaultTheTrainerSplitsBatchesOverEveryCoreButAnUnsplitBatchGetsOneFewerAndTheOthersRunAtNiceTen() {
        CpuShare two = CpuShare.forCores(2);
        assertEquals("2", two.trainerThreads());
        assertEquals("1", two.trainerOpThreads());
        assertEquals("1", two.supportThreads());
        assertEquals(List.of("nice", "-n", "10"), two.supportLauncher());

        assertEquals("8", CpuShare.forCores(8).trainerThreads());
        assertEquals("7", CpuShare.forCores(8).trainerOpThreads());
        assertEquals("1", CpuShare.forCores(1).trainerOpThreads(), "never fewer than one");
    }

    @Test
    void theOthersCanBeKeptToCpusAndTheirPriorityLeftAlone() {
        CpuShare share = CpuShare.forCores(2).withSupport(0, "1");
        assertEquals(List.of("taskset", "-c", "1"), share.supportLauncher());
        assertEquals(List.of(), CpuShare.forCores(2).withSupport(0, null).supportLauncher());
        assertEquals(List.of("taskset", "-c", "0-1", "nice", "-n", "19"), CpuShare.forCores(2).withSupport(19, "0-1").supportLauncher());
        assertEquals("3", share.withTrainerThreads("3").trainerThreads());
        assertEquals("1", share.withTrainerThreads("3").trainerOpThreads(), "an unsplit batch keeps its threads");
        assertEquals("1", CpuShare.forCores(4).withTrainerThreads("1").trainerOpThreads(), "at most as many as the trainer's");
    }

    @Test
    void apartTheOthersAreKeptToCpuZeroAndTheTrainerHasEveryOtherCore() {
        CpuShare two = CpuShare.apart(2);
        assertEquals("1", two.trainerThreads());
        assertEquals("1", two.trainerOpThreads());
        assertEquals("1", two.supportThreads());
        assertEquals(List.of("taskset", "-c", "0", "nice", "-n", "10"), two.supportLauncher());
        assertEquals("7", CpuShare.apart(8).trainerThreads());
        assertEquals("7", CpuShare.apart(8).trainerOpThreads());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuShare.apart(1));
        assertEquals("keeping the trainer apart needs at least 2 cores, got 1", e.getMessage());
    }

    @Test
    void aNicenessOrCpuListThatTasksetOrNiceWouldRefuseIsRefusedFirst() {
        assertThrows(IllegalArgumentException.class, () -> CpuShare.forCores(2).withSupport(20, null));
        assertThrows(IllegalArgumentException.class, () -> CpuShare.forCores(2).withSupport(-1, null));
        assertThrows(IllegalArgumentException.class, () -> CpuShare.forCores(2).withSupport(0, "1;rm -rf /"));
    }
}
