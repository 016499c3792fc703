package pmodel.gan;

import pmodel.djl.NamedTensors;
import pmodel.djl.Gaussians;
import pmodel.djl.Epochs;
import pmodel.djl.DjlEngine;
import pmodel.djl.Adam;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.Progress;

/**
 * Adversarial training with Adam on DJL's PyTorch engine.
 *
 * <p>Each epoch is one pass over the shuffled training rows in minibatches; every minibatch is
 * one critic step, and after every {@code criticSteps} critic steps comes one generator step on
 * a fresh batch of latent points. The losses (D the critic, G the generator, σ the logistic
 * function, x real, z ~ N(0, I)):
 * <ul>
 *   <li>{@code ns}, the non-saturating GAN (Goodfellow et al. 2014):
 *       L_D = E softplus(−D(x)) + E softplus(D(G(z))) (the cross-entropy of the classifier
 *       σ(D)), L_G = E softplus(−D(G(z))) (= −E log σ(D(G(z))));</li>
 *   <li>{@code wgan-gp} (Gulrajani et al. 2017): L_D = E D(G(z)) − E D(x) + λ E (‖∇D(x̂)‖ − 1)²
 *       at x̂ = εx + (1 − ε)G(z), ε ~ U(0, 1) per row, and L_G = −E D(G(z)).</li>
 * </ul>
 *
 * <p>The gradient penalties (WGAN-GP's, and R1 with the non-saturating loss) need the gradient
 * of a penalty on ∇ₓD with respect to the critic's parameters, a second derivative. The critic
 * computes ∇ₓD itself, as differentiable operations ({@link Nets#criticWithSlope}), so ordinary
 * first-order autograd gives it ({@code GradientPenaltyTest} compares the result with finite
 * differences of an independent double-precision implementation, and the written-out ∇ₓD with
 * autograd's).
 *
 * <p>The fitted generator is the exponential moving average of the generator's weights over its
 * steps with decay {@code ema} (Yazıcı et al. 2019), bias-corrected for its start at zero: GAN
 * training circles around its equilibrium rather than settling, and the average lies nearer
 * the centre than the last iterate (on ring8 the last iterates' modes sat visibly off the true
 * centres). With ema = 0 it is the last iterate.
 *
 * <p>Parameters live in arrays that never require gradients; each step differentiates fresh
 * aliases of them (sharing their storage), so gradients never accumulate across steps and the
 * critic's parameters receive none in a generator step. All randomness (initialization,
 * shuffling, latent points, ε) comes from the fit's seed in Java, so the same seed gives the
 * same generator for the same thread count. Every scalar inside a differentiated computation is
 * a long-lived array, never a Java number (DJL frees a number's temporary array too early:
 * docs/internals.md, "DJL's freed scalars").
 */
final class Training {
  /** The per-epoch means over its steps. */
  record Curve(double[] critic, double[] generator, double[] seconds) {
  }

  /** The fitted generator and the training curve. */
  record Result(float[][] generator, float[][] stats, Curve curve) {
  }

  /** Settings of one fit. */
  record Settings(String loss, int epochs, long steps, int batch, double lrG, double lrD, double beta1,
      double beta2, int criticSteps, double penalty, double r1, double ema) {
  }

  static final String NS = "ns";
  static final String WGAN_GP = "wgan-gp";
  /** The most epochs a fit may run (the length of its curve). */
  static final int MAX_EPOCHS = 10_000_000;
  /** Latent points of the batch that measures the batch-normalization statistics. */
  static final int STATS_BATCH = 1024;

  /** Test hook: runs between the forward and the backward pass of every critic step. */
  static volatile Runnable betweenForwardAndBackward;

  private Training() {
  }

  static Result fit(Dataset data, Nets nets, Settings s, FitContext ctx) {
    DjlEngine.threads(intraOpThreads(nets, s, ctx.threads()));
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(true);
    try {
      return run(data, nets, s, ctx);
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  private static Result run(Dataset data, Nets nets, Settings s, FitContext ctx) {
    Features f = nets.features;
    int n = data.rows();
    int batch = Math.min(s.batch(), n);
    int width = f.width;
    int latent = nets.latent;
    boolean wgan = s.loss().equals(WGAN_GP);
    float[] real = new float[batch * width];
    float[] z = new float[batch * latent];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long perEpoch = (n + batch - 1) / batch;
    // the budget: epochs > 0 counts passes over the data (models of earlier versions), else
    // 'steps' generator steps, each after critic-steps critic steps, whatever the row count
    long criticSteps = s.epochs() > 0 ? s.epochs() * perEpoch : s.steps() * s.criticSteps();
    int epochs = (int) Math.min(MAX_EPOCHS, (criticSteps + perEpoch - 1) / perEpoch);
    criticSteps = Math.min(criticSteps, epochs * perEpoch);
    Curve curve = new Curve(new double[epochs], new double[epochs], new double[epochs]);
    Runnable hook = betweenForwardAndBackward;
    if (criticSteps < s.criticSteps()) {
      throw PmodelException.badInput("parameter critic-steps=" + s.criticSteps() + " exceeds the "
          + criticSteps + " critic steps of " + s.epochs() + " epochs of " + n + " rows in"
          + " batches of " + batch + ", so the generator would never train; expected at most "
          + criticSteps);
    }
    try (NDManager root = DjlEngine.newManager()) {
      NDList g = NamedTensors.arrays(root, nets.generator(), NamedTensors.initial(nets.generator(), ctx.seed(),
          0x6e1L));
      NDList d = NamedTensors.arrays(root, nets.critic(), NamedTensors.initial(nets.critic(), ctx.seed(),
          0xd1cL));
      Nets.Constants k = new Nets.Constants(root, f);
      Scalars c = Scalars.of(root, s.penalty(), s.r1(), DataType.FLOAT32);
      NDArray one = c.one();
      Adam adamG = Adam.of(s.lrG(), s.beta1(), s.beta2(), "g");
      // the running average of the generator's weights, from zero (bias-corrected at the end)
      NDList average = new NDList(g.size());
      for (NDArray p : g) {
        average.add(p.zerosLike());
      }
      NDArray decay = root.create((float) s.ema());
      NDArray rest = root.create((float) (1 - s.ema()));
      long updates = 0;
      Adam adamD = Adam.of(s.lrD(), s.beta1(), s.beta2(), "d");
      long totalD = 0;
      for (int epoch = 0; epoch < epochs; epoch++) {
        long start = System.nanoTime();
        Epochs.shuffle(order, ctx.seed(), epoch);
        UniformRandomProvider noise = Epochs.noise(ctx.seed(), epoch);
        double sumD = 0;
        double sumG = 0;
        double sumW = 0;
        double sumP = 0;
        int stepsD = 0;
        int stepsG = 0;
        for (int from = 0; from < n && totalD < criticSteps; from += batch) {
          ctx.checkCancelled();
          int b = Math.min(batch, n - from);
          f.encode(data, order, from, from + b, real);
          Gaussians.fillComplement(noise, z, 0, b * latent);
          float[] eps = new float[b];
          float[] eps1 = new float[b];
          if (wgan) {
            for (int i = 0; i < b; i++) {
              eps[i] = (float) noise.nextDouble();
              eps1[i] = 1 - eps[i];
            }
          }
          NDList grads;
          try (NDScope scope = new NDScope()) {
            NDList leaves = leaves(d);
            NDArray x = root.create(Arrays.copyOf(real, b * width), new Shape(b, width));
            NDArray zz = root.create(Arrays.copyOf(z, b * latent), new Shape(b, latent));
            NDArray fake = nets.canvas(nets.generate(g, zz, k, null), k);
            NDArray loss;
            if (wgan) {
              NDArray[] parts = wganCriticLoss(nets, leaves, x, fake,
                  root.create(eps, new Shape(b, 1)), root.create(eps1, new Shape(b, 1)), k, c);
              loss = parts[0];
              sumW += parts[1].getFloat();
              sumP += parts[2].getFloat();
            } else {
              NDArray[] parts = nsCriticLoss(nets, leaves, x, fake, k, s.r1() > 0, c);
              loss = parts[0];
              if (parts[1] != null) {
                sumP += parts[1].getFloat();
              }
            }
            if (hook != null) {
              hook.run();
            }
            JniUtils.backward((PtNDArray) loss, (PtNDArray) one, false, false);
            sumD += loss.getFloat();
            grads = gradients(leaves);
          }
          update(adamD, d, grads);
          stepsD++;
          totalD++;
          if (totalD % s.criticSteps() == 0) {
            Gaussians.fillComplement(noise, z, 0, batch * latent);
            try (NDScope scope = new NDScope()) {
              NDList leaves = leaves(g);
              NDArray zz = root.create(z, new Shape(batch, latent));
              NDArray score = nets.criticize(d, nets.canvas(nets.generate(leaves, zz, k, null),
                  k));
              NDArray loss = wgan ? score.mean().neg() : softplus(score.neg()).mean();
              JniUtils.backward((PtNDArray) loss, (PtNDArray) one, false, false);
              sumG += loss.getFloat();
              grads = gradients(leaves);
            }
            update(adamG, g, grads);
            stepsG++;
            updates++;
            if (s.ema() > 0) {
              try (NDScope scope = new NDScope()) {
                for (int i = 0; i < g.size(); i++) {
                  average.get(i).muli(decay).addi(g.get(i).mul(rest));
                }
              }
            }
          }
        }
        double lossD = sumD / stepsD;
        double lossG = stepsG == 0 ? Double.NaN : sumG / stepsG;
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!Double.isFinite(lossD) || stepsG > 0 && !Double.isFinite(lossG)) {
          throw PmodelException.failure("the GAN's training diverged in epoch " + (epoch + 1)
              + " (critic loss " + lossD + ", generator loss " + lossG + "); try smaller"
              + " learning rates (--set lr-g=... lr-d=...)", null);
        }
        curve.critic()[epoch] = lossD;
        curve.generator()[epoch] = lossG;
        curve.seconds()[epoch] = seconds;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("critic_loss", lossD);
        if (stepsG > 0) {
          metrics.put("generator_loss", lossG);
        }
        if (wgan) {
          metrics.put("wasserstein", sumW / stepsD);
        }
        if (wgan || s.r1() > 0) {
          metrics.put("penalty", sumP / stepsD);
        }
        metrics.put("seconds", seconds);
        ctx.progress().onProgress(new Progress("epoch", epoch + 1, epochs, metrics));
      }
      float[][] values = new float[g.size()][];
      if (s.ema() > 0) {
        // E = (1 − β) Σ_t β^(T−t) w_t weighs 1 − β^T in all: dividing gives the weighted mean
        double total = 1 - Math.pow(s.ema(), updates);
        for (int i = 0; i < values.length; i++) {
          float[] v = average.get(i).toFloatArray();
          for (int j = 0; j < v.length; j++) {
            v[j] = (float) (v[j] / total);
          }
          values[i] = v;
        }
      } else {
        for (int i = 0; i < values.length; i++) {
          values[i] = g.get(i).toFloatArray();
        }
      }
      return new Result(values, statistics(nets, NamedTensors.arrays(root, nets.generator(), values), k,
          ctx.seed()), curve);
    }
  }

  /** The scalars of the differentiated losses, created once as arrays (never Java numbers). */
  record Scalars(NDArray one, NDArray lambda, NDArray halfR1, NDArray tiny) {
    static Scalars of(NDManager m, double penalty, double r1, DataType type) {
      return new Scalars(m.create(1.0).toType(type, false), m.create(penalty).toType(type, false),
          m.create(r1 / 2).toType(type, false), m.create(1e-12).toType(type, false));
    }
  }

  /**
   * The non-saturating critic loss E softplus(−D(x)) + E softplus(D(fake)), plus with
   * {@code r1} the R1 penalty γ/2 E ‖∇D(x)‖² on the real rows (Mescheder et al. 2018), which
   * keeps the critic from growing steep around the data and the game from oscillating:
   * {loss, the R1 term or null}.
   */
  static NDArray[] nsCriticLoss(Nets nets, NDList leaves, NDArray x, NDArray fake,
      Nets.Constants k, boolean r1, Scalars c) {
    NDArray[] real = nets.criticWithSlope(leaves, x, r1 ? k : null);
    NDArray loss = softplus(real[0].neg()).mean()
        .add(softplus(nets.criticize(leaves, fake)).mean());
    if (!r1) {
      return new NDArray[] {loss, null};
    }
    NDArray penalty = real[1].square().sum(new int[] {1}).mean().mul(c.halfR1());
    return new NDArray[] {loss.add(penalty), penalty};
  }

  /**
   * The WGAN-GP critic loss E D(fake) − E D(x) + λ E (‖∇D(x̂)‖ − 1)² at x̂ = εx + (1 − ε)fake
   * (ε and 1 − ε given per row, as (rows, 1) arrays), with the critic's parameters as
   * {@code leaves}: {loss, the Wasserstein estimate E D(x) − E D(fake), the penalty's mean}.
   * ‖·‖ is √(Σ g² + 1e-12), so that its gradient stays finite at a zero slope. ∇D(x̂) comes from
   * {@link Nets#criticWithSlope}, so the penalty's gradient with respect to the parameters is
   * first-order autograd through the written-out backward pass.
   */
  static NDArray[] wganCriticLoss(Nets nets, NDList leaves, NDArray x, NDArray fake,
      NDArray eps, NDArray eps1, Nets.Constants k, Scalars c) {
    NDArray hat = x.mul(eps).add(fake.mul(eps1));
    NDArray slope = nets.criticWithSlope(leaves, hat, k)[1];
    NDArray norm = slope.square().sum(new int[] {1}).add(c.tiny()).sqrt();
    NDArray penalty = norm.sub(c.one()).square().mean();
    NDArray w = nets.criticize(leaves, x).mean().sub(nets.criticize(leaves, fake).mean());
    return new NDArray[] {penalty.mul(c.lambda()).sub(w), w, penalty};
  }

  /** Multiply-adds per layer and batch below which an operation is too small to split. */
  static final long SMALL_LAYER = 1L << 24;

  /**
   * PyTorch's intra-op thread count for this fit: the context's threads, except 1 for networks
   * whose every layer does fewer than {@value #SMALL_LAYER} multiply-adds per batch (the MLPs
   * of 2-D problems, the convolutional pair at a small base width). Their operations are too
   * small to split: a second thread only adds synchronization, and on a busy machine its
   * spin-waiting made a ring8 fit nine times slower (25.8 s against 2.9 s). The count depends
   * only on the parameters, so fits stay reproducible.
   */
  static int intraOpThreads(Nets nets, Settings s, int threads) {
    return nets.largestLayer() * s.batch() < SMALL_LAYER ? 1 : threads;
  }

  /**
   * The batch-normalization statistics of the fitted generator, measured on one batch of
   * {@value #STATS_BATCH} latent points drawn from the seed: sampling then uses them for every
   * point.
   */
  private static float[][] statistics(Nets nets, NDList g, Nets.Constants k, long seed) {
    int[] widths = nets.batchNorms();
    if (widths.length == 0) {
      return new float[0][];
    }
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDScope scope = new NDScope()) {
      float[] z = new float[STATS_BATCH * nets.latent];
      Gaussians.fillComplement(RandomStreams.create(seed, 0xb57L), z, 0, z.length);
      NDList stats = new NDList();
      nets.generate(g, g.head().getManager().create(z, new Shape(STATS_BATCH, nets.latent)), k,
          stats);
      float[][] out = new float[stats.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = stats.get(i).toFloatArray();
      }
      return out;
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  static NDArray softplus(NDArray x) {
    return x.getNDArrayInternal().softPlus();
  }

  /** Fresh leaves sharing the parameters' storage, each requiring a gradient. */
  static NDList leaves(NDList params) {
    NDList out = new NDList(params.size());
    for (NDArray p : params) {
      NDArray leaf = p.stopGradient();
      leaf.setRequiresGradient(true);
      out.add(leaf);
    }
    return out;
  }

  /** The leaves' gradients, kept beyond the step's scope (the caller closes them). */
  static NDList gradients(NDList leaves) {
    NDList out = new NDList(leaves.size());
    for (NDArray leaf : leaves) {
      NDArray grad = leaf.getGradient();
      NDScope.unregister(grad);
      out.add(grad);
    }
    return out;
  }

  private static void update(Adam adam, NDList params, NDList grads) {
    adam.step(params, grads);
    for (NDArray grad : grads) {
      grad.close();
    }
  }
}
