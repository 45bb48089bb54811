package io.backstream.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code generate-data}: writes SYNCIFAR v1 data. Without --seed/--count/--out it writes the
 * default pair (syn_train.bin seed 1 x 2,000, syn_test.bin seed 2 x 500) into --dir.
 */
@Command(name = "generate-data", mixinStandardHelpOptions = true,
        description = {"Writes SYNCIFAR v1 synthetic CIFAR-10 data (deterministic: same seed, same bytes).",
            "With no --seed/--count/--out: the default pair syn_train.bin (seed 1, 2,000 records) and "
                    + "syn_test.bin (seed 2, 500 records) in --dir."})
public final class GenerateDataCommand implements Callable<Integer> {

    /** Output layouts: CIFAR-10 binary records, or one python-version (pickled) data batch. */
    public enum Format {
        BINARY,
        PYTHON
    }

    /** Accepts binary/python in any case, as users type them. */
    static final class FormatConverter implements ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            try {
                return Format.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a format; use binary or python");
            }
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--seed", paramLabel = "S", description = "generator seed of the file (with --count and --out)")
    Long seed;

    @Option(names = "--count", paramLabel = "N", description = "number of records (with --seed and --out)")
    Integer count;

    @Option(names = "--out", paramLabel = "FILE", description = "file to write (with --seed and --count)")
    Path out;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${sys:backstream.home:-.}/work/data",
            description = "directory for the default pair (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "binary", converter = FormatConverter.class,
            description = "binary (3073-byte records) or python (a pickled data batch) (default: ${DEFAULT-VALUE})")
    Format format;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        int given = (seed != null ? 1 : 0) + (count != null ? 1 : 0) + (out != null ? 1 : 0);
        if (given == 0) {
            writeDefaultPair(stdout);
            return 0;
        }
        if (given != 3) {
            throw new ParameterException(spec.commandLine(),
                    "--seed, --count and --out go together (or give none of them for the default pair)");
        }
        if (count < 0 || count > Integer.MAX_VALUE / CifarFormat.IMAGE_BYTES) {
            throw new ParameterException(spec.commandLine(), "--count must be 0.." + Integer.MAX_VALUE
                    / CifarFormat.IMAGE_BYTES + ", got " + count);
        }
        write(out, seed, count);
        stdout.println("wrote " + out + " (" + count + " SYNCIFAR records, seed " + seed + ", " + describe() + ")");
        return 0;
    }

    private void writeDefaultPair(PrintWriter stdout) throws IOException {
        if (format == Format.BINARY) {
            // Same path as the trainer's first start: generate if absent, always verify the sha256.
            BundledData.Files files = BundledData.ensure(dir);
            stdout.println("wrote " + files.train() + " and " + files.test() + " (sha256 verified)");
            return;
        }
        Files.createDirectories(dir);
        for (BundledData.DefaultFile file : new BundledData.DefaultFile[] {BundledData.TRAIN, BundledData.TEST}) {
            Path target = dir.resolve(file.name().replace(".bin", ".pkl"));
            write(target, file.seed(), file.records());
            stdout.println("wrote " + target + " (" + file.records() + " records, seed " + file.seed() + ", "
                    + describe() + ")");
        }
    }

    private void write(Path target, long fileSeed, int records) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        if (format == Format.BINARY) {
            try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16)) {
                Syncifar.write(fileSeed, records, stream);
            }
        } else {
            CifarPythonWriter.writeDataBatch(target, "syncifar v1 seed " + fileSeed, Syncifar.generate(fileSeed, records));
        }
    }

    private String describe() {
        return format == Format.BINARY ? "CIFAR-10 binary format" : "CIFAR-10 python format";
    }
}
