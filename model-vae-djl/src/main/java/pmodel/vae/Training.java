package pmodel.vae;

import pmodel.djl.StagingBuffer;
import pmodel.djl.Gaussians;
import pmodel.djl.Epochs;
import pmodel.djl.DjlEngine;
import pmodel.djl.Adam;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.error.PmodelException;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.Progress;

/**
 * Maximizes the ELBO with the reparameterization trick and Adam, one minibatch per step. All
 * randomness (initialization, shuffling, the noise ε) is drawn in Java from the fit's seed, so
 * the same seed gives the same parameters for the same thread count. Native memory is scoped per
 * step: every array a step creates is closed when the step ends, and the inputs go through three
 * direct buffers allocated once.
 */
final class Training {
  /** The per-epoch metrics of a fit, in nats per row. */
  record Curve(double[] loss, double[] reconstruction, double[] kl, double[] seconds) {
  }

  /** The result of a fit. */
  record Result(Network network, Curve curve) {
  }

  /** Settings of one fit. */
  record Settings(int epochs, long steps, int batch, double learningRate, double beta) {
  }

  /** The most epochs a fit may run (the length of its curve). */
  static final int MAX_EPOCHS = 10_000_000;

  /** Test hook: runs between the forward and the backward pass of every step (or null). */
  static volatile Runnable betweenForwardAndBackward;

  private Training() {
  }

  static Result fit(Likelihood.Source data, Likelihood lik, Network.Layout layout,
      Settings s, FitContext ctx, int levels) {
    Engine engine = DjlEngine.engine();
    DjlEngine.threads(ctx.threads());
    int n = data.rows();
    int batch = Math.min(s.batch(), n);
    int in = layout.input();
    int out = layout.output();
    int z = layout.latent();
    float[] input = new float[batch * in];
    float[] target = new float[batch * out];
    float[] eps = new float[batch * z];
    StagingBuffer inBuf = new StagingBuffer(input.length);
    StagingBuffer targetBuf = new StagingBuffer(target.length);
    StagingBuffer epsBuf = new StagingBuffer(eps.length);
    int[] order = Epochs.identity(n);
    double offset = lik.logOffset();
    long perEpoch = (n + batch - 1) / batch;
    // the budget: epochs > 0 counts passes over the data (models of earlier versions), else
    // 'steps' Adam steps whatever the row count; the last epoch may stop part-way
    long steps = s.epochs() > 0 ? s.epochs() * perEpoch : s.steps();
    int epochs = (int) Math.min(MAX_EPOCHS, (steps + perEpoch - 1) / perEpoch);
    steps = Math.min(steps, epochs * perEpoch);
    long taken = 0;
    Curve curve = new Curve(new double[epochs], new double[epochs], new double[epochs],
        new double[epochs]);
    Runnable hook = betweenForwardAndBackward;
    try (NDManager root = DjlEngine.newManager()) {
      NDList p = Network.initial(layout, ctx.seed()).arrays(root);
      for (NDArray a : p) {
        a.setRequiresGradient(true);
      }
      Likelihood.Constants k = new Likelihood.Constants(root, levels, s.beta());
      Adam adam = Adam.of(s.learningRate(), "p");
      NDArray logScale = Network.logScale(layout, p);
      for (int epoch = 0; epoch < epochs; epoch++) {
        long start = System.nanoTime();
        Epochs.shuffle(order, ctx.seed(), epoch);
        UniformRandomProvider noise = Epochs.noise(ctx.seed(), epoch);
        double sumLogp = 0;
        double sumKl = 0;
        int seen = 0;
        for (int from = 0; from < n && taken < steps; from += batch) {
          ctx.checkCancelled();
          int to = Math.min(n, from + batch);
          int b = to - from;
          lik.fill(data, order, from, to, input, target);
          Gaussians.fill(noise, eps, 0, b * z);
          try (NDScope scope = new NDScope()) {
            NDArray x = inBuf.array(root, input, new Shape(b, in));
            NDArray t = targetBuf.array(root, target, new Shape(b, out));
            NDArray e = epsBuf.array(root, eps, new Shape(b, z));
            try (GradientCollector gc = engine.newGradientCollector()) {
              NDList mv = Network.encode(layout, p, x);
              NDArray mu = mv.get(0);
              NDArray logVar = mv.get(1);
              NDArray zz = mu.add(e.mul(logVar.mul(k.half).exp()));
              NDArray logp = lik.logLikelihood(k, Network.decode(layout, p, zz), t, logScale);
              NDArray kl = mu.mul(mu).add(logVar.exp()).sub(k.one).sub(logVar)
                  .sum(new int[] {1}).mul(k.half);
              NDArray loss = kl.mul(k.beta).sub(logp).mean();
              if (hook != null) {
                hook.run();
              }
              gc.backward(loss);
              sumLogp += logp.sum().getFloat();
              sumKl += kl.sum().getFloat();
            }
          }
          adam.step(p);
          taken++;
          seen += b;
        }
        double rec = -(sumLogp / seen + offset);
        double kl = sumKl / seen;
        double loss = rec + s.beta() * kl;
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!Double.isFinite(loss)) {
          throw PmodelException.failure("the VAE's training diverged in epoch " + (epoch + 1)
              + " (the loss is " + loss + "); try a smaller learning rate (--set lr=...)", null);
        }
        curve.loss()[epoch] = loss;
        curve.reconstruction()[epoch] = rec;
        curve.kl()[epoch] = kl;
        curve.seconds()[epoch] = seconds;
        ctx.progress().onProgress(new Progress("epoch", epoch + 1, epochs, Map.of(
            "loss", loss, "reconstruction", rec, "kl", kl, "seconds", seconds)));
      }
      return new Result(Network.of(layout, p), curve);
    }
  }
}
