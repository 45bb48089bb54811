package io.backstream.trainer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.backstream.trainer.nn.Parameter;
import io.backstream.trainer.nn.Parameters;
import io.backstream.trainer.optim.Adam;
import io.backstream.trainer.optim.AdamW;
import io.backstream.trainer.optim.Optimizer;
import io.backstream.trainer.optim.RMSprop;
import io.backstream.trainer.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Builds the optimizers of {@code manifest.optimizers} from their PyTorch hyper-parameters. */
public final class GoldenConfigs {
    private GoldenConfigs() {}

    /** Names of the 9 configs, in manifest order. */
    public static Stream<String> names() {
        List<String> names = new ArrayList<>();
        for (JsonNode o : Golden.manifest().get("optimizers")) names.add(o.get("name").asText());
        return names.stream();
    }

    /** The optimizer {@code manifest.optimizers[name]} describes, on these parameters. */
    public static Optimizer create(String name, Parameters params) {
        JsonNode cfg = Golden.optimizer(name);
        JsonNode h = cfg.get("hyperparameters");
        if (h.path("maximize").asBoolean(false)) throw new IllegalArgumentException(name + ": maximize is not supported");
        String cls = cfg.get("class").asText();
        switch (cls) {
            case "SGD":
                return new SGD(params, h.get("lr").asDouble(), h.get("momentum").asDouble(), h.get("dampening").asDouble(),
                        h.get("nesterov").asBoolean(), h.get("weight_decay").asDouble());
            case "Adam":
                return new Adam(params, h.get("lr").asDouble(), h.get("betas").get(0).asDouble(),
                        h.get("betas").get(1).asDouble(), h.get("eps").asDouble(), h.get("weight_decay").asDouble(),
                        h.get("amsgrad").asBoolean());
            case "AdamW":
                return new AdamW(params, h.get("lr").asDouble(), h.get("betas").get(0).asDouble(),
                        h.get("betas").get(1).asDouble(), h.get("eps").asDouble(), h.get("weight_decay").asDouble(),
                        h.get("amsgrad").asBoolean());
            case "RMSprop":
                return new RMSprop(params, h.get("lr").asDouble(), h.get("alpha").asDouble(), h.get("eps").asDouble(),
                        h.get("weight_decay").asDouble(), h.get("momentum").asDouble(), h.get("centered").asBoolean());
            default:
                throw new IllegalArgumentException(name + ": unknown optimizer class " + cls);
        }
    }

    /** One parameter vector named {@code p}, packed, with these values. */
    public static Parameters vector(float[] values, DataType type) {
        return Parameters.pack(List.of(new Parameter("p", Nd4j.createFromArray(values).castTo(type))));
    }

    /**
     * How far {@code actual} is from the golden {@code gold}: max abs error, and the relative L2
     * error of the displacement from {@code init}, ||p − p_gold|| / ||p_gold − p_init||.
     */
    public record Distance(double maxAbs, int worstIndex, double relL2OfDisplacement) {
        public static Distance of(float[] actual, float[] gold, float[] init) {
            double maxAbs = 0, errSq = 0, dispSq = 0;
            int worst = -1;
            for (int i = 0; i < actual.length; i++) {
                double err = Math.abs((double) actual[i] - gold[i]);
                if (err > maxAbs) {
                    maxAbs = err;
                    worst = i;
                }
                errSq += err * err;
                double disp = (double) gold[i] - init[i];
                dispSq += disp * disp;
            }
            return new Distance(maxAbs, worst, Math.sqrt(errSq) / Math.sqrt(dispSq));
        }
    }

    /** Concatenation of the files {@code paths[name]} in parameter order (the flat layout of Parameters). */
    public static float[] concat(Parameters params, JsonNode paths) {
        float[] out = new float[(int) params.count()];
        int offset = 0;
        for (Parameter p : params.list()) {
            float[] part = Golden.floats(paths.get(p.name()).asText());
            if (part.length != p.length()) throw new IllegalStateException(p.name() + ": " + part.length + " values, expected " + p.length());
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }

    /** Every value of the flat buffer, as float64 (exact for float32). */
    public static double[] flat(Parameters params) {
        return params.values().castTo(DataType.DOUBLE).dup().toDoubleVector();
    }
}
