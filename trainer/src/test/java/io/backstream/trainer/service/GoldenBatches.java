package io.backstream.trainer.service;

import io.backstream.events.Batch;
import io.backstream.events.Cifar10;
import io.backstream.trainer.testing.Golden;
import java.util.ArrayList;
import java.util.List;

/** Training batches cut from {@code golden_train_96.bin} (CIFAR binary records) in file order, as the loader would send them. */
final class GoldenBatches {
    private GoldenBatches() {}

    /** {@code epochs} epochs of {@code perEpoch} batches of {@code size} images each, every epoch the file's first records in order. */
    static List<Batch> of(String runId, int epochs, int perEpoch, int size) {
        byte[] file = Golden.bytes("golden_train_96.bin");
        List<Batch> batches = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (int index = 0; index < perEpoch; index++) {
                int first = index * size;
                byte[] labels = new byte[size];
                byte[] pixels = new byte[size * Cifar10.IMAGE_BYTES];
                for (int i = 0; i < size; i++) {
                    int at = (first + i) * Cifar10.RECORD_BYTES;
                    labels[i] = file[at];
                    System.arraycopy(file, at + 1, pixels, i * Cifar10.IMAGE_BYTES, Cifar10.IMAGE_BYTES);
                }
                batches.add(new Batch(runId, epoch, index, perEpoch, first, size, labels, pixels));
            }
        }
        return batches;
    }
}
