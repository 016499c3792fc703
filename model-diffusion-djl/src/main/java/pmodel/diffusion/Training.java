package pmodel.diffusion;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.spi.FitContext;
import pmodel.djl.Adam;
import pmodel.djl.DjlEngine;
import pmodel.djl.Epochs;
import pmodel.djl.Gaussians;
import pmodel.djl.NamedTensors;
import pmodel.djl.StagingBuffer;

/**
 * Trains ε_θ on DDPM's simple loss E_{t, x_0, ε} ‖ε − ε_θ(√ᾱ_t x_0 + √(1 − ᾱ_t) ε, t)‖² (Ho et
 * al. 2020, eq. 14) with t uniform over the T steps, Adam, gradient-norm clipping and an
 * exponential moving average (EMA) of the weights, which is what the model keeps (the peer's
 * recipe). The budget is a number of optimizer steps; an epoch is a pass over the rows in
 * shuffled minibatches, and progress is reported after each (the last one may be partial).
 *
 * <p>All randomness (initialization, order, t, ε) is drawn in Java from the fit's seed; x_t
 * and the time features are computed in Java too, so the differentiated graph holds no Number
 * operand (see DjlEngine.scalar). Same seed, same thread count: same weights.
 */
final class Training {
  /** Settings of one fit. */
  record Settings(int steps, int batch, double learningRate, double emaDecay, double clip) {
  }

  /** Per-epoch loss (mean squared noise error per coordinate) and seconds. */
  record Curve(double[] loss, double[] seconds) {
  }

  /** The EMA weights and the curve. */
  record Result(float[][] weights, Curve curve) {
  }

  /**
   * PyTorch's intra-op threads for this module's small matrices: one. Splitting a 512 × 128
   * product over threads costs more in synchronization than it saves; on a 2-core machine
   * shared with other work a training step of the default network took 110 ms on one thread
   * and 2.1 s on two (OpenMP threads spin-waiting for a busy core). One thread also makes the
   * fit the same whatever {@code --threads} says.
   */
  static final int INTRA_OP_THREADS = 1;

  /** The stream of the initial weights. */
  static final long INIT_STREAM = 0xd1ffL;

  /** Test hook: runs between the forward and the backward pass of every step (or null). */
  static volatile Runnable betweenForwardAndBackward;

  private Training() {
  }

  /** The number of epochs {@code steps} steps of {@code batch} rows take over {@code n} rows. */
  static int epochs(int steps, int batch, int n) {
    int perEpoch = (n + Math.min(batch, n) - 1) / Math.min(batch, n);
    return (steps + perEpoch - 1) / perEpoch;
  }

  static Result fit(float[] data, int n, EpsNet.Layout layout, NoiseSchedule schedule,
      Settings s, FitContext ctx) {
    Engine engine = DjlEngine.engine();
    DjlEngine.threads(INTRA_OP_THREADS);
    int d = layout.dim();
    int e = layout.embedding();
    int batch = Math.min(s.batch(), n);
    int epochs = epochs(s.steps(), s.batch(), n);
    float[] xt = new float[batch * d];
    float[] eps = new float[batch * d];
    float[] time = new float[batch * e];
    int[] t = new int[batch];
    StagingBuffer xBuf = new StagingBuffer(xt.length);
    StagingBuffer eBuf = new StagingBuffer(eps.length);
    StagingBuffer tBuf = new StagingBuffer(time.length);
    float[] sqrtAb = new float[schedule.steps()];
    float[] sqrt1mAb = new float[schedule.steps()];
    for (int i = 0; i < sqrtAb.length; i++) {
      sqrtAb[i] = (float) Math.sqrt(schedule.alphaBar(i));
      sqrt1mAb[i] = (float) Math.sqrt(1 - schedule.alphaBar(i));
    }
    int[] order = Epochs.identity(n);
    Curve curve = new Curve(new double[epochs], new double[epochs]);
    Runnable hook = betweenForwardAndBackward;
    var specs = layout.specs();
    try (NDManager root = DjlEngine.newManager()) {
      NDList p = NamedTensors.arrays(root, specs, NamedTensors.initial(specs, ctx.seed(),
          INIT_STREAM));
      NDList ema = new NDList(p.size());
      for (NDArray a : p) {
        ema.add(a.duplicate());
        a.setRequiresGradient(true);
      }
      Adam adam = Adam.of(s.learningRate(), "p");
      int step = 0;
      for (int epoch = 0; epoch < epochs; epoch++) {
        long start = System.nanoTime();
        Epochs.shuffle(order, ctx.seed(), epoch);
        UniformRandomProvider noise = Epochs.noise(ctx.seed(), epoch);
        double sum = 0;
        int steps = 0;
        for (int from = 0; from < n && step < s.steps(); from += batch) {
          ctx.checkCancelled();
          int to = Math.min(n, from + batch);
          int b = to - from;
          Gaussians.fill(noise, eps, 0, b * d);
          for (int r = 0; r < b; r++) {
            int i = noise.nextInt(schedule.steps());
            t[r] = i;
            int row = order[from + r];
            for (int j = 0; j < d; j++) {
              xt[r * d + j] = sqrtAb[i] * data[row * d + j] + sqrt1mAb[i] * eps[r * d + j];
            }
          }
          EpsNet.timeFeatures(t, b, e, time);
          try (NDScope scope = new NDScope()) {
            NDArray x = xBuf.array(root, xt, new Shape(b, d));
            NDArray target = eBuf.array(root, eps, new Shape(b, d));
            NDArray tf = tBuf.array(root, time, new Shape(b, e));
            try (GradientCollector gc = engine.newGradientCollector()) {
              NDArray diff = EpsNet.forward(layout, p, x, tf).sub(target);
              NDArray loss = diff.mul(diff).mean();
              if (hook != null) {
                hook.run();
              }
              gc.backward(loss);
              sum += loss.getFloat();
            }
            clip(p, s.clip());
          }
          adam.step(p);
          step++;
          steps++;
          float decay = (float) Math.min(s.emaDecay(), (1.0 + step) / (10.0 + step));
          try (NDScope scope = new NDScope()) {
            for (int k = 0; k < p.size(); k++) {
              ema.get(k).muli(decay).addi(p.get(k).mul(1 - decay));
            }
          }
        }
        double loss = sum / Math.max(1, steps);
        double seconds = (System.nanoTime() - start) / 1e9;
        Epochs.requireFinite("the diffusion model", epoch, loss,
            "try a smaller learning rate (--set lr=...) or a lower clip");
        curve.loss()[epoch] = loss;
        curve.seconds()[epoch] = seconds;
        Epochs.report(ctx, epoch, epochs, Map.of("loss", loss, "seconds", seconds,
            "steps", (double) step));
      }
      float[][] weights = NamedTensors.values(ema);
      for (float[] w : weights) {
        for (float v : w) {
          if (!Float.isFinite(v)) {
            Epochs.requireFinite("the diffusion model", epochs - 1, v,
                "try a smaller learning rate (--set lr=...)");
          }
        }
      }
      return new Result(weights, curve);
    }
  }

  /** Scales the gradients in place so that their global L2 norm is at most {@code clip}. */
  static void clip(NDList p, double clip) {
    NDArray[] g = new NDArray[p.size()];
    NDArray total = null;
    for (int k = 0; k < p.size(); k++) {
      g[k] = p.get(k).getGradient();
      NDArray sq = g[k].square().sum();
      total = total == null ? sq : total.add(sq);
    }
    double norm = Math.sqrt(total.getFloat());
    if (norm > clip && Double.isFinite(norm)) {
      float scale = (float) (clip / norm);
      for (NDArray a : g) {
        a.muli(scale);
      }
    }
  }
}
