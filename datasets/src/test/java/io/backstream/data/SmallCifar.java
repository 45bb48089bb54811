package io.backstream.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

/** A tiny CIFAR-10 made of SYNCIFAR records: five training batches of 7..11 images, a test batch of 9. */
final class SmallCifar {

    static final List<String> CLASS_NAMES = List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9");

    final List<CifarDataset> trainBatches = new ArrayList<>();
    final CifarDataset test;
    final CifarDataset train;

    SmallCifar() {
        for (int i = 0; i < 5; i++) {
            trainBatches.add(withNames(Syncifar.generate(100 + i, 7 + i)));
        }
        test = withNames(Syncifar.generate(200, 9));
        train = CifarDataset.concat(trainBatches, CLASS_NAMES, "expected train");
    }

    private static CifarDataset withNames(CifarDataset data) {
        return CifarDataset.concat(List.of(data), CLASS_NAMES, data.source());
    }

    static void assertSameImages(CifarDataset expected, CifarDataset actual) {
        assertEquals(expected.size(), actual.size(), "image count");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.label(i), actual.label(i), "label " + i);
            assertArrayEquals(expected.image(i), actual.image(i), "image " + i);
        }
    }
}
