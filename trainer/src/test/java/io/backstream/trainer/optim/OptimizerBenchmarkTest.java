package io.backstream.trainer.optim;

import io.backstream.trainer.nn.Parameters;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Per-step time of each optimizer on the model's 145,578 float32 parameters, and of the
 * alternatives measured against the shipped implementation (chunked bulk copies into heap mirrors
 * plus one fused Java loop per chunk): (a) a few in-place ND4J ops on the flat INDArrays with
 * preallocated temporaries, (b) one fused Java loop reading and writing the off-heap memory
 * through NIO FloatBuffer views, and the cost of the copies alone (whole buffers vs chunks).
 * Prints only; no timing assertions. Run with {@code -Dbackstream.bench=true}.
 */
@EnabledIfSystemProperty(named = "backstream.bench", matches = "true")
class OptimizerBenchmarkTest {
    static final int N = 145_578;
    static final int WARMUP = 3000, RUNS = 5, STEPS = 1000;

    static Parameters model() {
        Random rnd = new Random(7);
        float[] v = new float[N], g = new float[N];
        for (int i = 0; i < N; i++) {
            v[i] = (float) rnd.nextGaussian() * 0.05f;
            g[i] = (float) rnd.nextGaussian() * 1e-3f;
        }
        Parameters p = GoldenConfigs.vector(v, DataType.FLOAT);
        p.grads().assign(Nd4j.createFromArray(g));
        return p;
    }

    /** Median over RUNS windows of STEPS steps, in microseconds per step. */
    static double time(Runnable step) {
        for (int i = 0; i < WARMUP; i++) step.run();
        double[] us = new double[RUNS];
        for (int r = 0; r < RUNS; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < STEPS; i++) step.run();
            us[r] = (System.nanoTime() - t0) / 1e3 / STEPS;
        }
        Arrays.sort(us);
        return us[RUNS / 2];
    }

    static void report(String what, Function<Parameters, Runnable> make) {
        Parameters p = model();
        Runnable step = make.apply(p);
        System.out.printf("bench %-58s %8.1f us/step%n", what, time(step));
    }

    @Test
    void per_step_time_on_145578_floats() {
        System.out.printf("bench N=%d float32, %d threads, %s%n", N, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.version"));
        // shipped: heap mirrors + fused loop
        report("shipped SGD(lr=0.01)", p -> new SGD(p, 0.01)::step);
        report("shipped SGD(momentum=0.9)", p -> new SGD(p, 0.01, 0.9, 0, false, 0)::step);
        report("shipped SGD(momentum=0.9, nesterov, wd=5e-4)", p -> new SGD(p, 0.01, 0.9, 0, true, 5e-4)::step);
        report("shipped Adam", p -> new Adam(p, 1e-3)::step);
        report("shipped Adam(amsgrad)", p -> new Adam(p, 1e-3, 0.9, 0.999, 1e-8, 0, true)::step);
        report("shipped AdamW", p -> new AdamW(p, 1e-3)::step);
        report("shipped RMSprop", p -> new RMSprop(p, 1e-3)::step);
        report("shipped RMSprop(momentum=0.9, centered)", p -> new RMSprop(p, 1e-3, 0.99, 1e-8, 0, 0.9, true)::step);

        // (a) ND4J ops, preallocated temporaries
        report("(a) ND4J ops SGD(momentum=0.9)", p -> {
            INDArray v = p.values(), g = p.grads(), buf = g.dup(), tmp = g.ulike();
            return () -> {
                buf.muli(0.9).addi(g);
                tmp.assign(buf).muli(-0.01);
                v.addi(tmp);
            };
        });
        report("(a) ND4J ops Adam", p -> {
            INDArray v = p.values(), g = p.grads(), m = g.ulike(), s = g.ulike(), tmp = g.ulike(), tmp2 = g.ulike();
            long[] t = {0};
            return () -> {
                t[0]++;
                double bc1 = 1 - Math.pow(0.9, t[0]), bc2 = 1 - Math.pow(0.999, t[0]);
                m.muli(0.9);
                tmp.assign(g).muli(0.1);
                m.addi(tmp);
                s.muli(0.999);
                tmp.assign(g).muli(g).muli(0.001);
                s.addi(tmp);
                Transforms.sqrt(tmp.assign(s), false).divi(Math.sqrt(bc2)).addi(1e-8);
                tmp2.assign(m).muli(-1e-3 / bc1).divi(tmp);
                v.addi(tmp2);
            };
        });

        // (b) fused loop directly on the off-heap memory via NIO views
        report("(b) NIO-view loop SGD(momentum=0.9)", p -> {
            FloatBuffer v = Optimizer.floatView(p.values()), g = Optimizer.floatView(p.grads());
            float[] buf = new float[N];
            return () -> {
                for (int i = 0; i < N; i++) {
                    float b = Math.fma(g.get(i), 1f, buf[i] * 0.9f);
                    buf[i] = b;
                    v.put(i, Math.fma(b, -0.01f, v.get(i)));
                }
            };
        });
        report("(b) NIO-view loop Adam", p -> {
            FloatBuffer v = Optimizer.floatView(p.values()), g = Optimizer.floatView(p.grads());
            float[] m = new float[N], s = new float[N];
            long[] t = {0};
            return () -> {
                t[0]++;
                float step = (float) -(1e-3 / (1 - Math.pow(0.9, t[0])));
                float bc2s = (float) Math.sqrt(1 - Math.pow(0.999, t[0]));
                for (int i = 0; i < N; i++) {
                    float gi = g.get(i);
                    float mi = Math.fma(gi, 0.1f, m[i] * 0.9f);
                    float si = s[i] * 0.999f + 0.001f * gi * gi;
                    m[i] = mi;
                    s[i] = si;
                    v.put(i, v.get(i) + step * mi / ((float) Math.sqrt(si) / bc2s + 1e-8f));
                }
            };
        });
        // the bulk copies alone, to see what the mirrors cost
        report("copies only: grads+values in, values out (shipped overhead)", p -> {
            FloatBuffer v = Optimizer.floatView(p.values()), g = Optimizer.floatView(p.grads());
            float[] hv = new float[N], hg = new float[N];
            return () -> {
                g.get(0, hg, 0, N);
                v.get(0, hv, 0, N);
                v.put(0, hv, 0, N);
            };
        });
        report("copies only, in chunks of 4096 through small heap arrays", p -> {
            FloatBuffer v = Optimizer.floatView(p.values()), g = Optimizer.floatView(p.grads());
            float[] hv = new float[4096], hg = new float[4096];
            return () -> {
                for (int off = 0; off < N; off += 4096) {
                    int len = Math.min(4096, N - off);
                    g.get(off, hg, 0, len);
                    v.get(off, hv, 0, len);
                    v.put(off, hv, 0, len);
                }
            };
        });
    }
}
