package io.backstream.trainer.train;

import io.backstream.data.EpochOrder;
import io.backstream.data.CifarDataset;
import io.backstream.trainer.nn.CrossEntropyLoss;
import io.backstream.trainer.nn.Sequential;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Accuracy and mean loss of the engine's model on a labelled set (forward only, in batches). */
public final class Evaluation {
    public record Result(int count, int correct, double meanLoss) {
        public double accuracy() {
            return count == 0 ? Double.NaN : (double) correct / count;
        }
    }

    private Evaluation() {}

    public static Result of(Sequential model, CifarDataset data, int batchSize) {
        BatchFiller filler = new BatchFiller(batchSize);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        int[] order = EpochOrder.fileOrder().indices(1, data.size());
        int correct = 0;
        double lossSum = 0;
        for (int from = 0; from < data.size(); from += batchSize) {
            int n = Math.min(batchSize, data.size() - from);
            INDArray logits = model.forward(filler.fill(data, order, from, n));
            int[] labels = filler.labels();
            lossSum += criterion.forward(logits, labels) * n;
            FloatBuffer z = logits.data().asNioFloat();
            int classes = (int) logits.size(1);
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int k = 1; k < classes; k++) if (z.get(i * classes + k) > z.get(i * classes + best)) best = k;
                if (best == labels[i]) correct++;
            }
        }
        return new Result(data.size(), correct, lossSum / data.size());
    }
}
