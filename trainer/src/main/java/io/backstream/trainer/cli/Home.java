package io.backstream.trainer.cli;

import java.nio.file.Path;

/** Where the project lives: the launcher passes {@code -Dbackstream.home}; defaults are relative to it. */
final class Home {
    private Home() {}

    static Path dir() {
        return Path.of(System.getProperty("backstream.home", ".")).toAbsolutePath().normalize();
    }

    /** {@code work/data}: the bundled SYNCIFAR files are generated here on first use. */
    static Path dataDir() {
        return dir().resolve("work").resolve("data");
    }
}
