package io.backstream.trainer.optim;

import io.backstream.trainer.testing.GoldenConfigs;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.trainer.nn.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * PyTorch 1.13's argument checks, made up front in the constructors: lr &gt;= 0, momentum &gt;= 0,
 * nesterov needs momentum &gt; 0 and dampening == 0, 0 &lt;= beta &lt; 1, eps &gt;= 0,
 * weight_decay &gt;= 0, alpha &gt;= 0. The message names the hyper-parameter and the bad value.
 */
class HyperparameterValidationTest {
    final Parameters params = GoldenConfigs.vector(new float[] {1, 2, 3}, DataType.FLOAT);

    static void rejects(String name, String value, Executable construct) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct);
        assertTrue(e.getMessage().contains(name), () -> "message should name " + name + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(value), () -> "message should show " + value + ": " + e.getMessage());
    }

    @Test
    void sgd_rejects_negative_lr_momentum_and_weight_decay() {
        rejects("lr", "-0.1", () -> new SGD(params, -0.1));
        rejects("lr", "NaN", () -> new SGD(params, Double.NaN));
        rejects("momentum", "-0.9", () -> new SGD(params, 0.1, -0.9, 0, false, 0));
        rejects("weight_decay", "-1.0E-4", () -> new SGD(params, 0.1, 0.9, 0, false, -1e-4));
    }

    @Test
    void sgd_nesterov_requires_momentum_and_zero_dampening() {
        rejects("momentum", "0.0", () -> new SGD(params, 0.1, 0, 0, true, 0));
        rejects("dampening", "0.1", () -> new SGD(params, 0.1, 0.9, 0.1, true, 0));
        assertDoesNotThrow(() -> new SGD(params, 0.1, 0.9, 0, true, 0));
        assertDoesNotThrow(() -> new SGD(params, 0.1, 0.9, 0.1, false, 0), "dampening without nesterov is allowed");
    }

    @Test
    void adam_and_adamw_reject_bad_lr_betas_eps_and_weight_decay() {
        for (String which : new String[] {"Adam", "AdamW"}) {
            Factory f = which.equals("Adam")
                    ? (lr, b1, b2, eps, wd) -> new Adam(params, lr, b1, b2, eps, wd, false)
                    : (lr, b1, b2, eps, wd) -> new AdamW(params, lr, b1, b2, eps, wd, false);
            rejects("lr", "-0.001", () -> f.make(-1e-3, 0.9, 0.999, 1e-8, 0));
            rejects("beta1", "1.0", () -> f.make(1e-3, 1.0, 0.999, 1e-8, 0));
            rejects("beta1", "-0.1", () -> f.make(1e-3, -0.1, 0.999, 1e-8, 0));
            rejects("beta2", "1.5", () -> f.make(1e-3, 0.9, 1.5, 1e-8, 0));
            rejects("eps", "-1.0E-8", () -> f.make(1e-3, 0.9, 0.999, -1e-8, 0));
            rejects("weight_decay", "-0.01", () -> f.make(1e-3, 0.9, 0.999, 1e-8, -0.01));
            assertDoesNotThrow(() -> f.make(0, 0, 0, 0, 0), which + ": zero is allowed everywhere");
        }
    }

    @Test
    void rmsprop_rejects_bad_lr_alpha_eps_weight_decay_and_momentum() {
        rejects("lr", "-0.01", () -> new RMSprop(params, -0.01));
        rejects("alpha", "-0.99", () -> new RMSprop(params, 0.01, -0.99, 1e-8, 0, 0, false));
        rejects("eps", "-1.0E-8", () -> new RMSprop(params, 0.01, 0.99, -1e-8, 0, 0, false));
        rejects("weight_decay", "-0.1", () -> new RMSprop(params, 0.01, 0.99, 1e-8, -0.1, 0, false));
        rejects("momentum", "-0.5", () -> new RMSprop(params, 0.01, 0.99, 1e-8, 0, -0.5, false));
        assertDoesNotThrow(() -> new RMSprop(params, 0, 0, 0, 0, 0, true));
    }

    @Test
    void short_constructors_take_pytorch_defaults() {
        assertTrue(new Adam(params, 1e-3).describe()
                .equals("Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1.0E-8, weight_decay=0.0, amsgrad=false)"));
        assertTrue(new AdamW(params, 1e-3).hyperparameters().get("weight_decay").equals(0.01));
        assertTrue(new RMSprop(params, 0.01).hyperparameters().get("alpha").equals(0.99));
    }

    interface Factory {
        Optimizer make(double lr, double beta1, double beta2, double eps, double weightDecay);
    }
}
