package io.backstream.data;

/** Which half of CIFAR-10 to read: the five training batches or the test batch. */
public enum Split {
    TRAIN,
    TEST
}
