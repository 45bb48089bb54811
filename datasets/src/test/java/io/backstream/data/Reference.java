package io.backstream.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared reference files, read in place (never copied into the repository). */
final class Reference {

    private Reference() {
    }

    /** surefire sets backstream.reference; from an IDE the module directory is the working directory. */
    static Path dir() {
        String configured = System.getProperty("backstream.reference");
        Path dir = configured != null ? Path.of(configured) : Path.of("../../shared/reference");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("reference directory not found: " + dir.toAbsolutePath()
                    + " (set -Dbackstream.reference=...)");
        }
        return dir;
    }

    static Path file(String relative) {
        return dir().resolve(relative);
    }
}
