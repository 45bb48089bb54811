package io.backstream.data;

import java.util.ArrayList;
import java.util.List;

/** The file names each CIFAR-10 version uses for a split, in dataset order. */
final class CifarBatchFiles {

    static final String BINARY_META = "batches.meta.txt";
    static final String PYTHON_META = "batches.meta";

    private CifarBatchFiles() {
    }

    /** data_batch_1..5(.bin) for TRAIN, test_batch(.bin) for TEST. */
    static List<String> names(Split split, boolean binary) {
        String suffix = binary ? ".bin" : "";
        if (split == Split.TEST) {
            return List.of("test_batch" + suffix);
        }
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= CifarFormat.TRAIN_BATCHES; i++) {
            names.add("data_batch_" + i + suffix);
        }
        return names;
    }
}
