package io.backstream.data;


/**
 * The order in which an epoch visits a dataset: file order, or a seeded shuffle.
 *
 * <p>Each epoch's permutation depends only on (seed, epoch), so a resumed run can recompute the
 * order of any epoch without replaying earlier ones. (PyTorch's {@code RandomSampler} draws from
 * torch's own generator, which is not reproduced: same role, other permutations.)
 */
public final class EpochOrder {
    private final Long seed;

    private EpochOrder(Long seed) {
        this.seed = seed;
    }

    /** Records in file order every epoch, as {@code DataLoader(shuffle=False)}. */
    public static EpochOrder fileOrder() {
        return new EpochOrder(null);
    }

    /** A Fisher–Yates shuffle per epoch from SplitMix64 seeded by (seed, epoch). */
    public static EpochOrder shuffled(long seed) {
        return new EpochOrder(seed);
    }

    public boolean isShuffled() {
        return seed != null;
    }

    /** The record indices of epoch {@code epoch} (1-based) for a dataset of {@code size} records. */
    public int[] indices(int epoch, int size) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) order[i] = i;
        if (seed == null) return order;
        SplittableSeed mix = new SplittableSeed(seed, epoch);
        SplitMix64 random = new SplitMix64(mix.value());
        for (int i = size - 1; i > 0; i--) {
            int j = random.uniform(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Mixes seed and epoch into one 64-bit seed (golden-ratio stride keeps nearby seeds apart). */
    private record SplittableSeed(long seed, int epoch) {
        long value() {
            return seed * 0x9E3779B97F4A7C15L + epoch;
        }
    }

    @Override
    public String toString() {
        return seed == null ? "file order" : "shuffled (seed " + seed + ")";
    }
}
