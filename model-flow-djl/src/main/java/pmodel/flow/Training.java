package pmodel.flow;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import pmodel.djl.DjlEngine;
import pmodel.djl.Epochs;
import pmodel.djl.NamedTensors;
import pmodel.djl.StagingBuffer;
import pmodel.api.spi.FitContext;

/**
 * Exact maximum likelihood with Adam: each step minimizes the mean of −log p(x) over a minibatch.
 * The budget is a number of optimizer steps, not epochs, so that small and large data sets get
 * the same number of updates; an epoch is one pass over the shuffled rows and the last one may
 * be partial. The learning rate follows a cosine from its value to 0 over the steps (Loshchilov
 * and Hutter 2017), which lets the sharp densities of 2-D data settle at the end.
 *
 * <p>All randomness (initial weights, the LU layers' rotations, the row order) comes from the
 * fit's seed in Java, and PyTorch runs on a thread count that depends only on the network, so
 * the same seed gives the same flow. Every scalar in the differentiated code is a long-lived
 * array ({@link Scalars}). Native memory is scoped per step.
 */
final class Training {
  /** The per-epoch mean loss (nats per row, in the data's own units) and seconds. */
  record Curve(double[] loss, double[] seconds) {
  }

  /** Settings of one fit. */
  record Settings(long steps, int batch, double learningRate) {
  }

  /** The fitted parameter values and the curve. */
  record Result(float[][] values, Curve curve) {
  }

  /** Multiply-adds per layer and batch below which PyTorch runs on one thread (see below). */
  static final long SMALL_LAYER = 1L << 24;

  /** Test hook: runs between the forward and the backward pass of every step (or null). */
  static volatile Runnable betweenForwardAndBackward;

  /** Test hook: sees the parameters after every optimizer step (or null). */
  static volatile java.util.function.Consumer<NDList> afterStep;

  private Training() {
  }

  /**
   * PyTorch's intra-op thread count: the context's threads, except 1 when every layer does
   * fewer than {@value #SMALL_LAYER} multiply-adds per batch. Such operations are too small to
   * split; on a busy machine a second thread only spins (the GAN measured a ring8 fit nine times
   * slower with two). It depends only on the settings, so fits stay reproducible.
   */
  static int intraOpThreads(int widest, int batch, int threads) {
    return (long) widest * widest * batch < SMALL_LAYER ? 1 : threads;
  }

  /**
   * Fits {@code start} to {@code n} standardized rows ({@code data}, row-major, n × width);
   * {@code offset} is added to the reported losses (the standardization's −log |det|), so they
   * are −log p in the data's own units.
   */
  static Result fit(float[] data, int n, Flow flow, float[][] start, Settings s, double offset,
      int widest, FitContext ctx) {
    Engine engine = DjlEngine.engine();
    DjlEngine.threads(intraOpThreads(widest, s.batch(), ctx.threads()));
    int d = flow.width;
    int batch = Math.min(s.batch(), n);
    int perEpoch = (n + batch - 1) / batch;
    int epochs = (int) ((s.steps() + perEpoch - 1) / perEpoch);
    float[] rows = new float[batch * d];
    StagingBuffer buf = new StagingBuffer(rows.length);
    int[] order = Epochs.identity(n);
    Curve curve = new Curve(new double[epochs], new double[epochs]);
    Runnable hook = betweenForwardAndBackward;
    java.util.function.Consumer<NDList> after = afterStep;
    Optimizer adam = Optimizer.adam()
        .optLearningRateTracker(Tracker.cosine().setBaseValue((float) s.learningRate())
            .optFinalValue(0f).setMaxUpdates((int) Math.min(Integer.MAX_VALUE, s.steps()))
            .build())
        .build();
    try (NDManager root = DjlEngine.newManager()) {
      NDList p = NamedTensors.arrays(root, flow.tensors(), start);
      Flow.Bound bound = flow.bind(root, DataType.FLOAT32);
      long step = 0;
      for (int epoch = 0; epoch < epochs; epoch++) {
        long t0 = System.nanoTime();
        Epochs.shuffle(order, ctx.seed(), epoch);
        double sum = 0;
        int seen = 0;
        for (int from = 0; from < n && step < s.steps(); from += batch) {
          ctx.checkCancelled();
          int b = Math.min(batch, n - from);
          for (int i = 0; i < b; i++) {
            System.arraycopy(data, order[from + i] * d, rows, i * d, d);
          }
          if (step == 0) {
            try (NDScope scope = new NDScope()) {
              bound.initialize(p, buf.array(root, rows, new Shape(b, d)));
            }
            for (NDArray a : p) {
              a.setRequiresGradient(true);
            }
          }
          double loss;
          try (NDScope scope = new NDScope()) {
            NDArray x = buf.array(root, rows, new Shape(b, d));
            try (GradientCollector gc = engine.newGradientCollector()) {
              NDArray mean = bound.logProb(p, x).mean().neg();
              if (hook != null) {
                hook.run();
              }
              gc.backward(mean);
              loss = mean.getFloat();
            }
          }
          if (!Double.isFinite(loss)) {
            Epochs.requireFinite("the flow", epoch, loss, "try a smaller learning rate (--set"
                + " lr=...) or fewer blocks");
          }
          for (int i = 0; i < p.size(); i++) {
            NDArray w = p.get(i);
            try (NDArray g = w.getGradient()) {
              adam.update("p" + i, w, g);
            }
          }
          if (after != null) {
            after.accept(p);
          }
          sum += loss * b;
          seen += b;
          step++;
        }
        double mean = sum / seen + offset;
        double seconds = (System.nanoTime() - t0) / 1e9;
        Epochs.requireFinite("the flow", epoch, mean, "try a smaller learning rate (--set"
            + " lr=...) or fewer blocks");
        curve.loss()[epoch] = mean;
        curve.seconds()[epoch] = seconds;
        Epochs.report(ctx, epoch, epochs, Map.of("loss", mean, "seconds", seconds));
      }
      return new Result(NamedTensors.values(p), curve);
    }
  }
}
