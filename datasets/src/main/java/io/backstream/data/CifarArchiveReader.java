package io.backstream.data;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads a split straight out of {@code cifar-10-binary.tar.gz} or {@code cifar-10-python.tar.gz}
 * in one streaming pass, without extracting. Members are looked up by name because the archives
 * do not store them in order; each wanted member is parsed as it streams by.
 */
final class CifarArchiveReader {

    private CifarArchiveReader() {
    }

    static CifarDataset read(Path archive, Split split) throws IOException {
        long archiveSize = Files.size(archive);
        Map<String, CifarDataset> batches = new HashMap<>();
        Map<String, String> memberPaths = new HashMap<>();
        List<String> binaryNames = null;
        List<String> pythonNames = null;
        List<String> wantedBinary = CifarBatchFiles.names(split, true);
        List<String> wantedPython = CifarBatchFiles.names(split, false);
        String member = null;
        try (CountingInputStream counted = new CountingInputStream(
                new BufferedInputStream(Files.newInputStream(archive), 1 << 16))) {
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(counted))) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    if (!entry.isFile()) {
                        continue;
                    }
                    member = entry.getName();
                    String base = member.substring(member.lastIndexOf('/') + 1);
                    String source = archive + " (member " + member + ")";
                    if (wantedBinary.contains(base)) {
                        batches.put(base, CifarBinaryReader.read(tar, entry.getSize(), source, CifarFormat.CLASS_NAMES));
                    } else if (wantedPython.contains(base)) {
                        batches.put(base,
                                CifarPickleReader.readDataBatch(tar, entry.getSize(), source, CifarFormat.CLASS_NAMES));
                    } else if (base.equals(CifarBatchFiles.BINARY_META)) {
                        binaryNames = CifarBinaryReader.readClassNames(tar, source);
                    } else if (base.equals(CifarBatchFiles.PYTHON_META)) {
                        pythonNames = CifarPickleReader.readClassNames(tar, entry.getSize(), source);
                    } else {
                        member = null;
                        continue;
                    }
                    memberPaths.put(base, member);
                    member = null;
                }
            } catch (DatasetFormatException e) {
                throw e;
            } catch (IOException e) {
                // gzip or tar level damage: name the member being read, if any, and how far we got.
                String source = member == null ? archive.toString() : archive + " (member " + member + ")";
                throw new DatasetFormatException(source, counted.count(),
                        "the archive is corrupt or truncated (" + describe(e) + "); failed after reading "
                                + counted.count() + " of its " + archiveSize + " compressed bytes", e);
            }
        }
        return assemble(archive, split, batches, memberPaths, binaryNames, pythonNames);
    }

    private static CifarDataset assemble(Path archive, Split split, Map<String, CifarDataset> batches,
            Map<String, String> memberPaths, List<String> binaryNames, List<String> pythonNames) throws IOException {
        boolean binary = binaryNames != null || batches.keySet().stream().anyMatch(name -> name.endsWith(".bin"));
        boolean python = pythonNames != null || batches.keySet().stream().anyMatch(name -> !name.endsWith(".bin"));
        if (!binary && !python) {
            throw new DatasetFormatException(archive.toString(), -1, "the archive holds no CIFAR-10 files (expected "
                    + CifarLayoutWriter.BINARY_FOLDER + "/*.bin or " + CifarLayoutWriter.PYTHON_FOLDER
                    + "/data_batch_1..5, test_batch, batches.meta)");
        }
        String folder = binary ? CifarLayoutWriter.BINARY_FOLDER : CifarLayoutWriter.PYTHON_FOLDER;
        List<CifarDataset> parts = new ArrayList<>();
        List<String> read = new ArrayList<>();
        for (String name : CifarBatchFiles.names(split, binary)) {
            CifarDataset part = batches.get(name);
            if (part == null) {
                throw new DatasetFormatException(archive + " (member " + folder + "/" + name + ")", -1,
                        "missing: the archive has no such member, so the " + split.name().toLowerCase()
                                + " split is incomplete");
            }
            parts.add(part);
            read.add(memberPaths.get(name));
        }
        List<String> names = binary ? binaryNames : pythonNames;
        return CifarDataset.concat(parts, names != null ? names : CifarFormat.CLASS_NAMES,
                archive + " (members " + String.join(", ", read) + ")");
    }

    private static String describe(IOException e) {
        if (e.getMessage() != null) {
            return e.getMessage();
        }
        return e instanceof java.io.EOFException ? "the compressed data ends early" : e.getClass().getSimpleName();
    }

    /** Counts the compressed bytes the decompressor has consumed, to place archive damage. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
