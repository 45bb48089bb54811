package io.backstream.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.trainer.nn.Parameters;
import io.backstream.trainer.testing.GoldenConfigs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * OptimizerConfig is what a user states: unset fields take PyTorch 1.13's defaults, fields the
 * chosen optimizer does not have are errors, and out-of-range values are refused by the optimizer
 * itself with the hyper-parameter's name.
 */
class OptimizerConfigTest {
    private final Parameters params = GoldenConfigs.vector(new float[] {1, -2, 3}, DataType.FLOAT);

    private static OptimizerConfig config(String type, Map<String, Object> fields) {
        Map<String, Object> f = new LinkedHashMap<>(fields);
        OptimizerConfig c = new OptimizerConfig(type, (Double) f.remove("lr"), (Double) f.remove("momentum"),
                (Double) f.remove("dampening"), (Boolean) f.remove("nesterov"), (Double) f.remove("weightDecay"),
                (Double) f.remove("beta1"), (Double) f.remove("beta2"), (Double) f.remove("eps"),
                (Boolean) f.remove("amsgrad"), (Double) f.remove("alpha"), (Boolean) f.remove("centered"));
        if (!f.isEmpty()) throw new IllegalArgumentException("test bug: unknown fields " + f.keySet());
        return c;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    // ---- defaults ----

    @Test
    void sgdDefaultsToTheTutorialsLearningRateAndPlainSgd() {
        Optimizer opt = OptimizerConfig.of("sgd").build(params);
        assertInstanceOf(SGD.class, opt);
        assertEquals(map("lr", 0.001, "momentum", 0.0, "dampening", 0.0, "weight_decay", 0.0, "nesterov", false),
                opt.hyperparameters());
    }

    @Test
    void adamDefaultsArePyTorchs() {
        Optimizer opt = OptimizerConfig.of("adam").build(params);
        assertInstanceOf(Adam.class, opt);
        assertEquals(map("lr", 0.001, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0, "amsgrad", false),
                opt.hyperparameters());
    }

    @Test
    void adamwDefaultsArePyTorchsIncludingDecoupledWeightDecayOfOneHundredth() {
        Optimizer opt = OptimizerConfig.of("adamw").build(params);
        assertInstanceOf(AdamW.class, opt);
        assertEquals(map("lr", 0.001, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.01, "amsgrad", false),
                opt.hyperparameters());
    }

    @Test
    void rmspropDefaultsArePyTorchsWithLearningRateOneHundredth() {
        Optimizer opt = OptimizerConfig.of("rmsprop").build(params);
        assertInstanceOf(RMSprop.class, opt);
        assertEquals(map("lr", 0.01, "alpha", 0.99, "eps", 1e-8, "weight_decay", 0.0, "momentum", 0.0, "centered", false),
                opt.hyperparameters());
    }

    @Test
    void typeIsCaseInsensitive() {
        assertInstanceOf(AdamW.class, OptimizerConfig.of("AdamW").build(params));
        assertInstanceOf(RMSprop.class, OptimizerConfig.of("RMSPROP").build(params));
    }

    @Test
    void setFieldsOverrideOnlyThemselves() {
        Optimizer opt = config("sgd", map("lr", 0.05, "momentum", 0.9, "nesterov", true)).build(params);
        assertEquals(map("lr", 0.05, "momentum", 0.9, "dampening", 0.0, "weight_decay", 0.0, "nesterov", true),
                opt.hyperparameters());
        Optimizer rms = config("rmsprop", map("momentum", 0.5, "centered", true)).build(params);
        assertEquals(0.01, rms.hyperparameters().get("lr"));
        assertEquals(0.5, rms.hyperparameters().get("momentum"));
        assertEquals(true, rms.hyperparameters().get("centered"));
    }

    // ---- unknown types and inapplicable fields ----

    @ParameterizedTest
    @ValueSource(strings = {"lion", "sgdm", ""})
    void anUnknownTypeNamesTheAcceptedOnes(String type) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.of(type).build(params));
        assertTrue(e.getMessage().contains("unknown optimizer '" + type + "'"), e.getMessage());
        for (String accepted : List.of("sgd", "adam", "adamw", "rmsprop")) {
            assertTrue(e.getMessage().contains(accepted), () -> "names " + accepted + ": " + e.getMessage());
        }
    }

    @Test
    void aMissingTypeIsRejectedLikeAnUnknownOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.of(null).build(params));
        assertTrue(e.getMessage().contains("expected one of [sgd, adam, adamw, rmsprop]"), e.getMessage());
    }

    @Test
    void momentumIsNotAnAdamHyperparameter() {
        assertRejectsField(config("adam", map("momentum", 0.9)), "adam", "momentum");
    }

    @Test
    void betasAreNotSgdHyperparameters() {
        OptimizerConfig c = config("sgd", map("beta1", 0.9, "beta2", 0.99));
        assertEquals(List.of("beta1", "beta2"), c.inapplicableFields());
        assertRejectsField(c, "sgd", "beta1");
        assertRejectsField(c, "sgd", "beta2");
    }

    @Test
    void centeredIsNotAnAdamHyperparameter() {
        assertRejectsField(config("adam", map("centered", true)), "adam", "centered");
    }

    @Test
    void otherMismatchesAreRejectedToo() {
        assertRejectsField(config("rmsprop", map("nesterov", true)), "rmsprop", "nesterov");
        assertRejectsField(config("adamw", map("alpha", 0.9)), "adamw", "alpha");
        assertRejectsField(config("sgd", map("eps", 1e-6)), "sgd", "eps");
        assertRejectsField(config("rmsprop", map("amsgrad", false)), "rmsprop", "amsgrad");
    }

    @Test
    void applicableFieldsAreNotFlagged() {
        assertEquals(List.of(), config("sgd", map("lr", 0.1, "momentum", 0.9, "dampening", 0.1, "weightDecay", 1e-4)).inapplicableFields());
        assertEquals(List.of(), config("adam", map("beta1", 0.8, "beta2", 0.9, "eps", 1e-6, "amsgrad", true)).inapplicableFields());
        assertEquals(List.of(), config("rmsprop", map("alpha", 0.9, "momentum", 0.9, "centered", true)).inapplicableFields());
    }

    private void assertRejectsField(OptimizerConfig c, String type, String field) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.build(params));
        assertTrue(e.getMessage().contains(type + " has no hyper-parameter"), e.getMessage());
        assertTrue(e.getMessage().contains(field), () -> "names " + field + ": " + e.getMessage());
    }

    // ---- out-of-range values, refused by the optimizers ----

    @Test
    void negativeLearningRateIsRejectedForEveryType() {
        for (String type : OptimizerConfig.TYPES) {
            assertRejectsValue(config(type, map("lr", -1.0)), "lr=-1.0");
        }
    }

    @Test
    void outOfRangeValuesNameTheirHyperparameter() {
        assertRejectsValue(config("sgd", map("momentum", -0.1)), "momentum=-0.1");
        assertRejectsValue(config("sgd", map("weightDecay", -1e-4)), "weight_decay=-1.0E-4");
        assertRejectsValue(config("adam", map("beta1", 1.0)), "beta1=1.0");
        assertRejectsValue(config("adamw", map("beta2", -0.5)), "beta2=-0.5");
        assertRejectsValue(config("adam", map("eps", -1e-8)), "eps=-1.0E-8");
        assertRejectsValue(config("rmsprop", map("alpha", -0.99)), "alpha=-0.99");
        assertRejectsValue(config("rmsprop", map("lr", Double.NaN)), "lr=NaN");
    }

    @Test
    void nesterovWithoutMomentumIsRejectedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config("sgd", map("nesterov", true)).build(params));
        assertTrue(e.getMessage().contains("nesterov") && e.getMessage().contains("momentum"), e.getMessage());
    }

    private void assertRejectsValue(OptimizerConfig c, String namedValue) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.build(params));
        assertTrue(e.getMessage().contains(namedValue), () -> "names " + namedValue + ": " + e.getMessage());
    }
}
