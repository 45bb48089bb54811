package io.backstream.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./backstream bench --no-pytorch}: one {@code backstream <mode> bs=<batch> images_per_s=<rate>}
 * line per requested config, in order; a malformed config entry is a usage error naming it.
 * (Only the shape of the output is specified here: the figures themselves are the benchmark's business.)
 */
class BenchCommandTest {

    private static double rate(String out, String label) {
        Matcher m = Pattern.compile("(?m)^backstream " + Pattern.quote(label) + " images_per_s=([0-9]+(?:\\.[0-9]+)?)$").matcher(out);
        assertTrue(m.find(), () -> "a line 'backstream " + label + " images_per_s=<number>' in\n" + out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void measuresEachRequestedConfigAndPrintsItsImagesPerSecond() {
        CliRun run = CliRun.backstream("bench", "--no-pytorch", "--configs", "train:2,infer:4", "--windows", "1", "--min-seconds", "0.05");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(rate(run.out(), "train bs=2") > 0, run::toString);
        assertTrue(rate(run.out(), "infer bs=4") > 0, run::toString);
        assertTrue(run.out().indexOf("backstream train bs=2 ") < run.out().indexOf("backstream infer bs=4 "), "in the order asked");
        assertTrue(run.out().contains("# backstream train bs=2 windows="), "the windows of each config are listed\n" + run);
        assertFalse(run.out().contains("pytorch"), "--no-pytorch runs no PyTorch side\n" + run);
        assertFalse(run.out().contains("ratio "), "no ratio without a PyTorch figure\n" + run);
    }

    @ParameterizedTest
    @ValueSource(strings = {"train:0", "foo:8", "infer:5000", "train", "train:x", "train:8:1"})
    void aBadConfigEntryIsAUsageErrorNamingIt(String entry) {
        CliRun run = CliRun.backstream("bench", "--no-pytorch", "--configs", "infer:4," + entry, "--windows", "1", "--min-seconds", "0.05");

        assertNotEquals(0, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--configs: bad entry '" + entry + "'"), run::toString);
        assertTrue(run.err().contains("expected train:<batch> or infer:<batch>"), run::toString);
        assertFalse(run.out().contains("images_per_s="), "nothing is measured before the configs are checked\n" + run);
    }

    @Test
    void windowsAndMinimumSecondsMustBePositive() {
        CliRun zeroWindows = CliRun.backstream("bench", "--no-pytorch", "--configs", "infer:1", "--windows", "0");
        assertNotEquals(0, zeroWindows.exitCode(), zeroWindows::toString);
        assertTrue(zeroWindows.err().contains("--windows >= 1"), zeroWindows::toString);

        CliRun zeroSeconds = CliRun.backstream("bench", "--no-pytorch", "--configs", "infer:1", "--min-seconds", "0");
        assertNotEquals(0, zeroSeconds.exitCode(), zeroSeconds::toString);
        assertTrue(zeroSeconds.err().contains("--min-seconds > 0"), zeroSeconds::toString);
    }
}
