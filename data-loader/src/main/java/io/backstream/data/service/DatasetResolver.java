package io.backstream.data.service;

import io.backstream.data.BundledData;
import io.backstream.data.CifarDataset;
import io.backstream.data.CifarDatasets;
import io.backstream.data.DatasetFormatException;
import io.backstream.data.Split;
import io.backstream.events.RunSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Turns a spec's {@code dataset} into images in memory, read and validated whole: "synthetic" is the
 * bundled SYNCIFAR pair under {@code <home>/work/data} (home = system property backstream.home, else
 * the current directory); anything else is a path {@link CifarDatasets#open} reads.
 */
@ApplicationScoped
public class DatasetResolver {

    private static final Logger LOG = Logger.getLogger(DatasetResolver.class);

    /** The training images and, when the dataset has one, its test split (else null). */
    public record Resolved(String id, CifarDataset train, CifarDataset test) {
    }

    /** @throws DatasetFormatException naming the file and byte offset when the data is missing or damaged */
    public Resolved resolve(String dataset) throws IOException {
        String id = dataset == null ? RunSpec.SYNTHETIC : dataset;
        if (id.equals(RunSpec.SYNTHETIC)) {
            BundledData.Files files = BundledData.ensure(home().resolve("work").resolve("data"));
            return new Resolved(id, CifarDatasets.open(files.train(), Split.TRAIN), CifarDatasets.open(files.test(), Split.TEST));
        }
        Path path;
        try {
            path = Path.of(id);
        } catch (InvalidPathException e) {
            throw new DatasetFormatException(id, -1, "not a valid path: " + e.getReason());
        }
        CifarDataset train = CifarDatasets.open(path, Split.TRAIN);
        return new Resolved(id, train, testSplit(path));
    }

    /**
     * A directory or downloaded archive has a test split; one batch file is a split of its own and
     * has none. A container without test_batch also has none (the readers report that as
     * "missing:" with no offset); a damaged test_batch is a failure like any other.
     */
    private static CifarDataset testSplit(Path path) throws IOException {
        if (!Files.isDirectory(path) && !isGzip(path)) return null;
        try {
            return CifarDatasets.open(path, Split.TEST);
        } catch (DatasetFormatException e) {
            if (e.offset() < 0 && e.getMessage().contains(": missing:")) {
                LOG.warnf("%s has no test split, no test set is published: %s", path, e.getMessage());
                return null;
            }
            throw e;
        }
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static Path home() {
        return Path.of(System.getProperty("backstream.home", ".")).toAbsolutePath().normalize();
    }
}
