package io.backstream.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the CIFAR-10 python version (Python 2 cPickle protocol 2) with {@link SafeUnpickler}
 * and checks that the result is what CIFAR-10 promises: a uint8 (N, 3072) C-order array and N
 * labels 0..9. Anything else is a {@link DatasetFormatException} pointing at the offending byte.
 */
final class CifarPickleReader {

    private CifarPickleReader() {
    }

    /**
     * Reads one data batch ({@code data_batch_1} ... {@code test_batch}) from a stream of
     * {@code length} bytes (-1 if unknown); the stream is not closed.
     */
    static CifarDataset readDataBatch(InputStream in, long length, String source, List<String> classNames)
            throws IOException {
        SafeUnpickler.PyDict batch = loadDict(in, length, source);
        SafeUnpickler.NdArray data = entry(batch, "data", SafeUnpickler.NdArray.class, source);
        long dataOffset = batch.offsetOf("data");
        if (data.shape == null) {
            throw new DatasetFormatException(source, dataOffset, "the 'data' array was never filled by BUILD");
        }
        if (!"u1".equals(data.dtype.descr)) {
            throw new DatasetFormatException(source, dataOffset,
                    "the 'data' array has dtype '" + data.dtype.descr + "', expected 'u1' (uint8)");
        }
        if (data.shape.size() != 2 || data.shape.get(1) != CifarFormat.IMAGE_BYTES) {
            throw new DatasetFormatException(source, dataOffset,
                    "the 'data' array has shape " + data.shape + ", expected (N, " + CifarFormat.IMAGE_BYTES + ")");
        }
        if (data.fortranOrder) {
            throw new DatasetFormatException(source, dataOffset, "the 'data' array is in Fortran order, expected C order");
        }
        int rows = data.shape.get(0);
        if ((long) rows * CifarFormat.IMAGE_BYTES != data.data.length) {
            throw new DatasetFormatException(source, dataOffset, "the 'data' array has shape " + data.shape + " but "
                    + data.data.length + " bytes, expected " + (long) rows * CifarFormat.IMAGE_BYTES);
        }

        SafeUnpickler.PyList labelList = entry(batch, "labels", SafeUnpickler.PyList.class, source);
        if (labelList.items.size() != rows) {
            throw new DatasetFormatException(source, batch.offsetOf("labels"),
                    "'labels' has " + labelList.items.size() + " entries but 'data' has " + rows + " rows");
        }
        byte[] labels = new byte[rows];
        for (int i = 0; i < rows; i++) {
            Object label = labelList.items.get(i);
            if (!(label instanceof Integer value) || value < 0 || value >= CifarFormat.NUM_CLASSES) {
                throw new DatasetFormatException(source, labelList.offsetOf(i),
                        "label " + i + " is " + (label instanceof Integer ? label : SafeUnpickler.typeName(label))
                                + ", expected an int 0..9");
            }
            labels[i] = (byte) (int) value;
        }

        Object filenames = batch.entries.get("filenames");
        if (filenames instanceof SafeUnpickler.PyList names && names.items.size() != rows) {
            throw new DatasetFormatException(source, batch.offsetOf("filenames"),
                    "'filenames' has " + names.items.size() + " entries but 'data' has " + rows + " rows");
        }
        return new CifarDataset(data.data, labels, classNames, source);
    }

    /** Reads the class names from {@code batches.meta} ('label_names'). */
    static List<String> readClassNames(InputStream in, long length, String source) throws IOException {
        SafeUnpickler.PyDict meta = loadDict(in, length, source);
        SafeUnpickler.PyList names = entry(meta, "label_names", SafeUnpickler.PyList.class, source);
        if (names.items.size() != CifarFormat.NUM_CLASSES) {
            throw new DatasetFormatException(source, meta.offsetOf("label_names"),
                    "'label_names' has " + names.items.size() + " entries, expected " + CifarFormat.NUM_CLASSES);
        }
        List<String> classNames = new ArrayList<>();
        for (int i = 0; i < names.items.size(); i++) {
            if (!(names.items.get(i) instanceof byte[] name)) {
                throw new DatasetFormatException(source, names.offsetOf(i),
                        "label name " + i + " is a " + SafeUnpickler.typeName(names.items.get(i)) + ", expected a str");
            }
            classNames.add(new String(name, StandardCharsets.ISO_8859_1));
        }
        return classNames;
    }

    private static SafeUnpickler.PyDict loadDict(InputStream in, long length, String source) throws IOException {
        SafeUnpickler.Loaded root = new SafeUnpickler(new PositionedInput(in, source, length)).load();
        if (!(root.value() instanceof SafeUnpickler.PyDict dict)) {
            throw new DatasetFormatException(source, root.offset(),
                    "the pickle holds a " + SafeUnpickler.typeName(root.value()) + ", expected a dict");
        }
        return dict;
    }

    private static <T> T entry(SafeUnpickler.PyDict dict, String key, Class<T> type, String source)
            throws DatasetFormatException {
        Object value = dict.entries.get(key);
        if (value == null) {
            throw new DatasetFormatException(source, -1,
                    "the pickled dict has no '" + key + "' entry (keys: " + dict.entries.keySet() + ")");
        }
        if (!type.isInstance(value)) {
            throw new DatasetFormatException(source, dict.offsetOf(key), "'" + key + "' is a "
                    + SafeUnpickler.typeName(value) + ", expected a " + (type == SafeUnpickler.PyList.class ? "list"
                            : "numpy.ndarray"));
        }
        return type.cast(value);
    }
}
