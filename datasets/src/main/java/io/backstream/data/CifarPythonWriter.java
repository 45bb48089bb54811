package io.backstream.data;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the CIFAR-10 python version byte for byte as Python 2.6's cPickle (protocol 2) wrote
 * the genuine files: the same opcodes, memo numbering and batching (see the reference
 * cifar-format README), so that tools checking the real format accept ours.
 */
public final class CifarPythonWriter {

    /** cPickle writes list items and dict entries in batches of at most this many. */
    private static final int BATCH = 1000;

    private CifarPythonWriter() {
    }

    /** {@code batches.meta}: {'num_cases_per_batch': n, 'label_names': [...], 'num_vis': 3072}. */
    public static void writeMeta(OutputStream out, List<String> labelNames, int numCasesPerBatch) throws IOException {
        Py2PickleWriter p = new Py2PickleWriter(out);
        p.proto();
        p.emptyDict();
        p.put();
        p.mark();
        p.memoizedString("num_cases_per_batch");
        p.integer(numCasesPerBatch);
        p.memoizedString("label_names");
        List<byte[]> names = new ArrayList<>();
        for (String name : labelNames) {
            names.add(name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        stringList(p, names);
        p.memoizedString("num_vis");
        p.integer(CifarFormat.IMAGE_BYTES);
        p.setItems();
        p.stop();
    }

    /** The meta file as bytes, e.g. for an archive member. */
    public static byte[] meta(List<String> labelNames, int numCasesPerBatch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeMeta(bytes, labelNames, numCasesPerBatch);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A data batch: {'batch_label': ..., 'labels': [...], 'data': uint8 (N, 3072) ndarray,
     * 'filenames': [...]}, in that stream order.
     *
     * @param filenames one per image (the real files hold the original image names)
     */
    public static void writeDataBatch(OutputStream out, String batchLabel, CifarDataset images, List<String> filenames)
            throws IOException {
        if (filenames.size() != images.size()) {
            throw new IllegalArgumentException(filenames.size() + " filenames for " + images.size() + " images");
        }
        int rows = images.size();
        Py2PickleWriter p = new Py2PickleWriter(out);
        p.proto();
        p.emptyDict();
        p.put();
        p.mark();
        p.memoizedString("batch_label");
        // Python 2.6 memoized the value too (iteritems() held a reference); see the format README.
        p.memoizedString(batchLabel);

        p.memoizedString("labels");
        p.emptyList();
        p.put();
        for (int first = 0; first < rows; first += BATCH) {
            int n = Math.min(BATCH, rows - first);
            if (n > 1) {
                p.mark();
            }
            for (int i = first; i < first + n; i++) {
                p.integer(images.label(i));
            }
            if (n > 1) {
                p.appends();
            } else {
                p.append();
            }
        }

        p.memoizedString("data");
        writeUint8Matrix(p, out, images);

        p.memoizedString("filenames");
        List<byte[]> names = new ArrayList<>();
        for (String name : filenames) {
            names.add(name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        stringList(p, names);
        p.setItems();
        p.stop();
    }

    /** Writes a data batch file, with generated filenames {@code image_000000.png}, ... */
    public static void writeDataBatch(Path file, String batchLabel, CifarDataset images) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            writeDataBatch(out, batchLabel, images, defaultFilenames(images.size()));
        }
    }

    /** Placeholder image names for data that has none (SYNCIFAR): {@code image_000000.png}, ... */
    public static List<String> defaultFilenames(int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(String.format("image_%06d.png", i));
        }
        return names;
    }

    /** numpy's ndarray.__reduce__ as pickled by cPickle; numpy's temporaries get no BINPUT. */
    private static void writeUint8Matrix(Py2PickleWriter p, OutputStream out, CifarDataset images) throws IOException {
        p.global("numpy.core.multiarray", "_reconstruct");
        p.put();
        p.global("numpy", "ndarray");
        p.put();
        p.integer(0);
        p.smallTuple(1);
        p.string(new byte[] {'b'});
        p.smallTuple(3);
        p.reduce();
        p.put();

        p.mark();
        p.integer(1);
        p.integer(images.size());
        p.integer(CifarFormat.IMAGE_BYTES);
        p.smallTuple(2);
        p.global("numpy", "dtype");
        p.put();
        p.string(new byte[] {'u', '1'});
        p.integer(0);
        p.integer(1);
        p.smallTuple(3);
        p.reduce();
        p.put();
        p.mark();
        p.integer(3);
        p.string(new byte[] {'|'});
        p.none();
        p.none();
        p.none();
        p.integer(-1);
        p.integer(-1);
        p.integer(0);
        p.tuple();
        p.build();
        p.newFalse();
        writePixelString(out, images);
        p.tuple();
        p.build();
    }

    /** The pixels as one BINSTRING, streamed image by image instead of building one big array. */
    private static void writePixelString(OutputStream out, CifarDataset images) throws IOException {
        long length = (long) images.size() * CifarFormat.IMAGE_BYTES;
        if (length < 256) {
            out.write('U');
            out.write((int) length);
        } else {
            out.write('T');
            out.write((int) length);
            out.write((int) (length >>> 8));
            out.write((int) (length >>> 16));
            out.write((int) (length >>> 24));
        }
        byte[] image = new byte[CifarFormat.IMAGE_BYTES];
        for (int i = 0; i < images.size(); i++) {
            images.copyImage(i, image, 0);
            out.write(image);
        }
    }

    /** EMPTY_LIST + BINPUT, then the memoized strings in batches of 1,000. */
    private static void stringList(Py2PickleWriter p, List<byte[]> items) throws IOException {
        p.emptyList();
        p.put();
        for (int first = 0; first < items.size(); first += BATCH) {
            int n = Math.min(BATCH, items.size() - first);
            if (n > 1) {
                p.mark();
            }
            for (int i = first; i < first + n; i++) {
                p.memoizedString(items.get(i));
            }
            if (n > 1) {
                p.appends();
            } else {
                p.append();
            }
        }
    }
}
