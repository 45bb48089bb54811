package io.backstream.trainer.optim;

import com.fasterxml.jackson.databind.JsonNode;
import io.backstream.trainer.nn.Parameter;
import io.backstream.trainer.nn.Parameters;
import io.backstream.trainer.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Builds the optimizers of {@code manifest.optimizers} from their PyTorch hyper-parameters. */
final class GoldenConfigs {
    private GoldenConfigs() {}

    /** Names of the 9 configs, in manifest order. */
    static Stream<String> names() {
        List<String> names = new ArrayList<>();
        for (JsonNode o : Golden.manifest().get("optimizers")) names.add(o.get("name").asText());
        return names.stream();
    }

    /** The optimizer {@code manifest.optimizers[name]} describes, on these parameters. */
    static Optimizer create(String name, Parameters params) {
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
    static Parameters vector(float[] values, DataType type) {
        return Parameters.pack(List.of(new Parameter("p", Nd4j.createFromArray(values).castTo(type))));
    }

    /** Every value of the flat buffer, as float64 (exact for float32). */
    static double[] flat(Parameters params) {
        return params.values().castTo(DataType.DOUBLE).dup().toDoubleVector();
    }
}
