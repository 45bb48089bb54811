package io.backstream.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledDataTest {

    @TempDir
    Path dir;

    @Test
    void ensureGeneratesTheDefaultPairInAFreshDirectory() throws IOException {
        BundledData.Files files = BundledData.ensure(dir.resolve("work/data"));
        assertEquals(dir.resolve("work/data/syn_train.bin"), files.train());
        assertEquals(6_146_000, Files.size(files.train()));
        assertEquals(BundledData.TEST.sha256(), BundledData.sha256(files.test()));
        try (var listing = Files.list(dir.resolve("work/data"))) {
            assertEquals(2, listing.count(), "no temporary files left behind");
        }
    }

    @Test
    void ensureLeavesGoodFilesAlone() throws IOException {
        BundledData.Files files = BundledData.ensure(dir);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(files.train(), old);
        BundledData.ensure(dir);
        assertEquals(old, Files.getLastModifiedTime(files.train()));
    }

    @Test
    void ensureRegeneratesADamagedFile() throws IOException {
        BundledData.Files files = BundledData.ensure(dir);
        byte[] bytes = Files.readAllBytes(files.test());
        bytes[12345] ^= 1;
        Files.write(files.test(), bytes);
        BundledData.ensure(dir);
        assertEquals(BundledData.TEST.sha256(), BundledData.sha256(files.test()));
    }
}
