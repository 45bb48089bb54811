package io.backstream.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** POST /api/runs bodies: what parses, what validates, and the message for each problem. */
class RunSpecTest {

    private static List<String> problems(String json) {
        return RunSpec.parse(json).validate();
    }

    private static String parseError(String json) {
        return assertThrows(MalformedRecordException.class, () -> RunSpec.parse(json)).getMessage();
    }

    @Test
    void aFullSpecParsesAndIsValid() {
        RunSpec spec = RunSpec.parse("""
                {"optimizer": {"type": "adamw", "lr": 0.0005, "betas": [0.9, 0.98], "eps": 1e-6,
                               "weightDecay": 0.05, "amsgrad": true},
                 "batchSize": 256, "epochs": 20, "shuffleSeed": 7, "dataset": "/data/cifar-10-binary.tar.gz",
                 "snapshotEvery": 100}""");
        assertEquals(new RunSpec(new OptimizerSpec("adamw", 0.0005, null, null, null, 0.05, List.of(0.9, 0.98), 1e-6,
                true, null, null), 256, 20, 7L, "/data/cifar-10-binary.tar.gz", 100L), spec);
        assertEquals(List.of(), spec.validate());
        assertEquals(spec, RunSpec.parse(spec.toJson()));
    }

    @Test
    void everyOptimizerWithAllItsParametersIsValid() {
        assertEquals(List.of(), problems("""
                {"optimizer": {"type": "sgd", "lr": 0.01, "momentum": 0.9, "dampening": 0, "nesterov": true, "weightDecay": 0.0001}}"""));
        assertEquals(List.of(), problems("""
                {"optimizer": {"type": "adam", "lr": 0.001, "betas": [0.9, 0.999], "eps": 1e-8, "weightDecay": 0, "amsgrad": false}}"""));
        assertEquals(List.of(), problems("""
                {"optimizer": {"type": "rmsprop", "lr": 0.01, "alpha": 0.99, "eps": 1e-8, "weightDecay": 0, "momentum": 0.5, "centered": true}}"""));
    }

    @Test
    void anEmptySpecIsValidAndMeansEveryDefault() {
        // {} = SGD (lr 0.001), batch size 1, 1 epoch, file order, synthetic data, a snapshot at the end only
        RunSpec spec = RunSpec.parse("{}");
        assertEquals(RunSpec.defaults(), spec);
        assertNull(spec.optimizer());
        assertNull(spec.epochs());
        assertEquals(List.of(), spec.validate());
    }

    @Test
    void anOptimizerWithoutTypeIsSgd() {
        assertEquals("sgd", RunSpec.parse("{\"optimizer\":{\"lr\":0.1}}").optimizer().effectiveType());
        assertEquals(List.of("optimizer.betas: not a parameter of sgd"), problems("{\"optimizer\":{\"betas\":[0.9,0.99]}}"));
    }

    @Test
    void negativeLearningRate() {
        assertEquals(List.of("optimizer.lr: must be >= 0, got -1"), problems("{\"optimizer\":{\"type\":\"sgd\",\"lr\":-1}}"));
    }

    @Test
    void nonFiniteHyperParameters() {
        assertEquals(List.of("optimizer.lr: must be a finite number, got NaN"), problems("{\"optimizer\":{\"lr\":\"NaN\"}}"));
        assertEquals(List.of("optimizer.eps: must be a finite number, got Infinity"),
                problems("{\"optimizer\":{\"type\":\"adam\",\"eps\":\"Infinity\"}}"));
    }

    @Test
    void otherNegativeHyperParameters() {
        assertEquals(List.of("optimizer.momentum: must be >= 0, got -0.5", "optimizer.weightDecay: must be >= 0, got -0.01"),
                problems("{\"optimizer\":{\"momentum\":-0.5,\"weightDecay\":-0.01}}"));
        assertEquals(List.of("optimizer.eps: must be >= 0, got -1.0E-8", "optimizer.alpha: must be >= 0, got -2"),
                problems("{\"optimizer\":{\"type\":\"rmsprop\",\"eps\":-1e-8,\"alpha\":-2}}"));
    }

    @Test
    void batchSizeOutOfRange() {
        assertEquals(List.of("batchSize: must be 1..4096, got 0"), problems("{\"batchSize\":0}"));
        assertEquals(List.of("batchSize: must be 1..4096, got 4097"), problems("{\"batchSize\":4097}"));
        assertEquals(List.of(), problems("{\"batchSize\":4096}"));
    }

    @Test
    void betasOutsideTheUnitInterval() {
        assertEquals(List.of("optimizer.betas: each must be in [0, 1), got [0.9, 1.2]"),
                problems("{\"optimizer\":{\"type\":\"adam\",\"betas\":[0.9,1.2]}}"));
        assertEquals(List.of("optimizer.betas: each must be in [0, 1), got [1, 0.999]"),
                problems("{\"optimizer\":{\"type\":\"adam\",\"betas\":[1,0.999]}}"));
        assertEquals(List.of("optimizer.betas: each must be in [0, 1), got [0.9, null]"),
                problems("{\"optimizer\":{\"type\":\"adam\",\"betas\":[0.9,null]}}"));
    }

    @Test
    void betasAreAPair() {
        assertEquals(List.of("optimizer.betas: must be [beta1, beta2], got 3 value(s)"),
                problems("{\"optimizer\":{\"type\":\"adamw\",\"betas\":[0.9,0.99,0.999]}}"));
    }

    @Test
    void nesterovNeedsMomentumAndNoDampening() {
        String message = "optimizer.nesterov: requires momentum > 0 and dampening = 0";
        assertEquals(List.of(message), problems("{\"optimizer\":{\"type\":\"sgd\",\"nesterov\":true}}"));
        assertEquals(List.of(message), problems("{\"optimizer\":{\"nesterov\":true,\"momentum\":0.9,\"dampening\":0.1}}"));
        assertEquals(List.of(), problems("{\"optimizer\":{\"nesterov\":false}}"));
    }

    @Test
    void aParameterTheOptimizerDoesNotHave() {
        assertEquals(List.of("optimizer.momentum: not a parameter of adam"),
                problems("{\"optimizer\":{\"type\":\"adam\",\"momentum\":0.9}}"));
        assertEquals(List.of("optimizer.alpha: not a parameter of adamw", "optimizer.centered: not a parameter of adamw"),
                problems("{\"optimizer\":{\"type\":\"adamw\",\"alpha\":0.9,\"centered\":false}}"));
        assertEquals(List.of("optimizer.amsgrad: not a parameter of rmsprop"),
                problems("{\"optimizer\":{\"type\":\"rmsprop\",\"amsgrad\":true}}"));
    }

    @Test
    void anUnknownOptimizer() {
        assertEquals(List.of("optimizer.type: must be one of sgd, adam, adamw, rmsprop, got \"lbfgs\""),
                problems("{\"optimizer\":{\"type\":\"lbfgs\"}}"));
        // names are lower case, as PyTorch's module names
        assertEquals(List.of("optimizer.type: must be one of sgd, adam, adamw, rmsprop, got \"SGD\""),
                problems("{\"optimizer\":{\"type\":\"SGD\"}}"));
    }

    @Test
    void epochsOutOfRange() {
        assertEquals(List.of("epochs: must be >= 1, got 0"), problems("{\"epochs\":0}"));
        assertEquals(List.of("epochs: must be <= 10000, got 10001"), problems("{\"epochs\":10001}"));
        assertEquals(List.of(), problems("{\"epochs\":10000}"));
    }

    @Test
    void snapshotEveryMustBePositive() {
        assertEquals(List.of("snapshotEvery: must be >= 1, got 0"), problems("{\"snapshotEvery\":0}"));
    }

    @Test
    void onBadBatchIsFailOrSkip() {
        assertEquals(List.of(), problems("{\"onBadBatch\":\"fail\"}"));
        assertEquals(List.of(), problems("{\"onBadBatch\":\"skip\"}"));
        assertEquals(List.of("onBadBatch: must be \"fail\" or \"skip\", got \"ignore\""), problems("{\"onBadBatch\":\"ignore\"}"));
    }

    @Test
    void datasetIsSyntheticOrAPath() {
        assertEquals(List.of("dataset: must be \"synthetic\" or a path, got \"\""), problems("{\"dataset\":\"\"}"));
        assertEquals(List.of("dataset: must be \"synthetic\" or a path, got \"a\\nb\""), problems("{\"dataset\":\"a\\nb\"}"));
        assertEquals(List.of(), problems("{\"dataset\":\"synthetic\"}"));
        assertEquals(List.of(), problems("{\"dataset\":\"cifar-10-batches-py\"}"));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertEquals(List.of("optimizer.lr: must be >= 0, got -1", "optimizer.momentum: not a parameter of adam",
                        "batchSize: must be 1..4096, got 0", "epochs: must be >= 1, got 0", "snapshotEvery: must be >= 1, got 0"),
                problems("{\"optimizer\":{\"type\":\"adam\",\"lr\":-1,\"momentum\":0.9},\"batchSize\":0,\"epochs\":0,\"snapshotEvery\":0}"));
    }

    @Test
    void malformedJsonSaysWhere() {
        assertEquals("RunSpec: malformed JSON at line 1, column 15: Unexpected character ('}' (code 125)): "
                + "expected a value", parseError("{\"batchSize\": }"));
    }

    @Test
    void anUnknownFieldIsRejectedAtTheTop() {
        assertEquals("RunSpec: unknown field batch_size (known fields: batchSize, dataset, epochs, onBadBatch, optimizer, "
                + "shuffleSeed, snapshotEvery)", parseError("{\"batch_size\": 64}"));
    }

    @Test
    void anUnknownFieldIsRejectedInTheOptimizer() {
        assertEquals("RunSpec: unknown field optimizer.beta1 (known fields: alpha, amsgrad, betas, centered, dampening, "
                + "eps, lr, momentum, nesterov, type, weightDecay)", parseError("{\"optimizer\": {\"type\":\"adam\",\"beta1\": 0.9}}"));
    }

    @Test
    void wrongJsonTypesAreRejected() {
        assertEquals("RunSpec: batchSize: expected an integer, got the string \"64\"", parseError("{\"batchSize\":\"64\"}"));
        assertEquals("RunSpec: batchSize: expected an integer, got 64.5", parseError("{\"batchSize\":64.5}"));
        assertEquals("RunSpec: optimizer.nesterov: expected true or false, got the string \"yes\"",
                parseError("{\"optimizer\":{\"nesterov\":\"yes\"}}"));
        assertEquals("RunSpec: optimizer.betas: expected an array, got 0.9", parseError("{\"optimizer\":{\"betas\":0.9}}"));
    }

    @Test
    void aDuplicateFieldIsRejected() {
        String message = parseError("{\"epochs\":1,\"epochs\":100}");
        assertEquals("RunSpec: malformed JSON at line 1, column 21: Duplicate field 'epochs'", message);
    }

    @Test
    void aJsonArrayIsNotASpec() {
        assertEquals("RunSpec: expected an object, got an array", parseError("[]"));
    }
}
