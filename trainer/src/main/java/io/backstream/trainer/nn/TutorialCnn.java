package io.backstream.trainer.nn;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The CIFAR-10 tutorial network:
 * <pre>
 * Conv2d(3,32,5,padding=2) → MaxPool2d(2) → Conv2d(32,32,5,padding=2) → MaxPool2d(2) →
 * Conv2d(32,64,5,padding=2) → MaxPool2d(2) → Flatten → Linear(1024,64) → Linear(64,10)
 * </pre>
 * No activations between layers, exactly as the tutorial has it. 145,578 parameters named
 * {@code conv1 conv2 conv3 fc1 fc2} × {@code weight bias} (PyTorch's {@code 0 2 4 7 8}).
 */
public final class TutorialCnn {
    public static final int CLASSES = 10;
    public static final int CHANNELS = 3;
    public static final int SIZE = 32;

    private TutorialCnn() {}

    public static Sequential create(long seed) {
        return create(DataType.FLOAT, seed);
    }

    public static Sequential create(DataType type, long seed) {
        Init init = new Init(seed);
        return new Sequential(
                new Conv2d("conv1", 3, 32, 5, 1, 2, type, init),
                new MaxPool2d(2),
                new Conv2d("conv2", 32, 32, 5, 1, 2, type, init),
                new MaxPool2d(2),
                new Conv2d("conv3", 32, 64, 5, 1, 2, type, init),
                new MaxPool2d(2),
                new Flatten(),
                new Linear("fc1", 1024, 64, type, init),
                new Linear("fc2", 64, CLASSES, type, init));
    }
}
