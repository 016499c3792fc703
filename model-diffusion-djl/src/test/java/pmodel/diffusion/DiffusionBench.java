package pmodel.diffusion;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import pmodel.data.builtin.Ring8;
import pmodel.data.builtin.World;
import pmodel.api.data.Dataset;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;
import pmodel.djl.Adam;
import pmodel.djl.DjlEngine;
import pmodel.djl.NamedTensors;

/**
 * The long diffusion runs (not a unit test; surefire runs *Test classes only). Prints
 * {@code name: value} lines like the peer programs in benchmarks/peers. Run with the test class
 * path, e.g. {@code java -cp target/classes:target/test-classes:$(cat cp.txt)
 * pmodel.diffusion.DiffusionBench ring8 [name=value ...]}.
 * <ul>
 *   <li>{@code ring8 [ROWS=5000] [name=value ...]}: fit at the default hyperparameters (or the
 *       given ones) on builtin:ring8 (seed 1), 8000 DDPM samples: modes covered (a mode counts
 *       when at least a quarter of its share of samples lies within 3σ of it, the peer's rule),
 *       the fraction within 3σ of a mode, the test bound in nats per point (all T terms, 5000
 *       held-out points) against the Monte Carlo entropy of P_data;</li>
 *   <li>{@code world [ROWS=5000] [name=value ...]}: the fraction of 8000 samples on land;</li>
 *   <li>{@code speed}: seconds per sample of DDPM over T = 1000 steps and DDIM over 50, on a
 *       ring8 model, and the ratio;</li>
 *   <li>{@code bare STEPS}: a bare DJL loop of the same network and loss at the default
 *       settings (no EMA, no clipping), the platform-free baseline of an epoch's time.</li>
 * </ul>
 */
public final class DiffusionBench {
  private DiffusionBench() {
  }

  public static void main(String[] args) {
    Locale.setDefault(Locale.ROOT);
    Map<String, String> set = new LinkedHashMap<>();
    int rows = 5000;
    for (int i = 1; i < args.length; i++) {
      if (args[i].contains("=")) {
        set.put(args[i].substring(0, args[i].indexOf('=')),
            args[i].substring(args[i].indexOf('=') + 1));
      } else {
        rows = Integer.parseInt(args[i]);
      }
    }
    switch (args[0]) {
      case "ring8" -> ring8(rows, set);
      case "world" -> world(rows, set);
      case "samplers" -> samplers(rows, set);
      case "speed" -> speed(set);
      case "bare" -> bare(rows, set);
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static DiffusionModel fit(Dataset data, Map<String, String> set) {
    DiffusionProvider p = new DiffusionProvider();
    Parameters params = Parameters.parse(p.id(), p.parameters(), set);
    long t0 = System.nanoTime();
    DiffusionModel m = (DiffusionModel) p.fit(data, params, new FitContext(1, Integer.getInteger("threads", 2),
        e -> {
          if (e.step() % 100 == 0 || e.step() == e.steps()) {
            System.err.printf("epoch %d/%d %s%n", e.step(), e.steps(), e.metrics());
          }
        }, null));
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("fit_seconds: %.2f%n", s);
    double[] sec = m.curve().seconds();
    double sum = 0;
    for (double v : sec) {
      sum += v;
    }
    System.out.printf("epochs: %d%n", sec.length);
    System.out.printf("seconds_per_epoch: %.4f%n", sum / sec.length);
    System.out.printf("last_epoch_loss: %.5f%n", m.curve().loss()[sec.length - 1]);
    return m;
  }

  /** Modes covered and the fraction within 3σ, the peer's rules. */
  static double[] ring8Quality(Dataset s) {
    int n = s.rows();
    int[] count = new int[Ring8.MODES];
    int good = 0;
    for (int i = 0; i < n; i++) {
      double x = s.value(i, 0);
      double y = s.value(i, 1);
      int k = Ring8.nearestMode(x, y);
      double[] c = Ring8.centre(k);
      if (Math.hypot(x - c[0], y - c[1]) < 3 * Ring8.SIGMA) {
        good++;
        count[k]++;
      }
    }
    int modes = 0;
    for (int c : count) {
      modes += c > n / 8.0 * 0.25 ? 1 : 0;
    }
    return new double[] {modes, (double) good / n};
  }

  static void ring8(int rows, Map<String, String> set) {
    DiffusionModel m = fit(Ring8.sample(rows, 1, 0), set);
    long t0 = System.nanoTime();
    Dataset s = m.sample(8000, 7, m.defaultSampler(), k -> {
      if (k % 250 == 0) {
        System.err.printf("sampling step %d%n", k);
      }
    });
    System.out.printf("sample_seconds_per_8000: %.2f%n", (System.nanoTime() - t0) / 1e9);
    double[] q = ring8Quality(s);
    System.out.printf("ring8_modes_covered: %d%n", (int) q[0]);
    System.out.printf("ring8_within_3sigma_fraction: %.4f%n", q[1]);
    Dataset test = Ring8.sample(5000, 1, 1);
    t0 = System.nanoTime();
    DiffusionModel.BoundReport b = m.bound(test, 3);
    System.out.printf("bound_seconds: %.2f%n", (System.nanoTime() - t0) / 1e9);
    System.out.printf("ring8_test_bound: %s%n", b.format());
    // the entropy of P_data by Monte Carlo: −mean log p(x) over the test points
    double h = 0;
    for (int i = 0; i < test.rows(); i++) {
      double x = test.value(i, 0);
      double y = test.value(i, 1);
      double p = 0;
      for (int k = 0; k < Ring8.MODES; k++) {
        double[] c = Ring8.centre(k);
        double r2 = (x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]);
        p += Math.exp(-r2 / (2 * Ring8.SIGMA * Ring8.SIGMA))
            / (2 * Math.PI * Ring8.SIGMA * Ring8.SIGMA) / Ring8.MODES;
      }
      h -= Math.log(p);
    }
    System.out.printf("ring8_true_nll_nats: %.4f%n", h / test.rows());
  }

  /** ring8 quality of 2000 samples from each sampler variant on one fit. */
  static void samplers(int rows, Map<String, String> set) {
    DiffusionModel m = fit(Ring8.sample(rows, 1, 0), set);
    int n = 2000;
    double[] x = new double[n * 2];
    String[] names = {"ddpm_beta", "ddpm_posterior", "ddim100_eta0", "ddim1000_eta0"};
    for (int v = 0; v < names.length; v++) {
      try (NoisePredictor net = EpsNet.predictor(m.layout(), m.weights())) {
        var rng = pmodel.api.compute.RandomStreams.create(5, v);
        switch (v) {
          case 0 -> Samplers.ddpm(net, m.schedule(), true, n, x, rng, null, null);
          case 1 -> Samplers.ddpm(net, m.schedule(), false, n, x, rng, null, null);
          case 2 -> Samplers.ddim(net, m.schedule(), 100, 0, n, x, rng, null, null);
          default -> Samplers.ddim(net, m.schedule(), 1000, 0, n, x, rng, null, null);
        }
      }
      double[] xs = new double[n];
      double[] ys = new double[n];
      for (int r = 0; r < n; r++) {
        xs[r] = m.mean()[0] + m.sd()[0] * x[2 * r];
        ys[r] = m.mean()[1] + m.sd()[1] * x[2 * r + 1];
      }
      double[] q = ring8Quality(Dataset.of(Ring8.schema(), n, new Object[] {xs, ys}));
      System.out.printf("%s_modes: %d%n%s_within_3sigma: %.4f%n", names[v], (int) q[0],
          names[v], q[1]);
    }
  }

  static void world(int rows, Map<String, String> set) {
    DiffusionModel m = fit(World.sample(rows, 1, 0), set);
    Dataset s = m.sample(8000, 7, 2);
    System.out.printf("world_land_fraction: %.4f%n", World.landFraction(s));
    DiffusionModel.BoundReport b = m.bound(World.sample(2000, 1, 1), 3);
    System.out.printf("world_test_bound: %s%n", b.format());
  }

  static void speed(Map<String, String> set) {
    Map<String, String> s = new LinkedHashMap<>(set);
    s.putIfAbsent("steps", "200");
    DiffusionModel m = fit(Ring8.sample(5000, 1, 0), s);
    int n = 512;
    for (int rep = 0; rep < 2; rep++) {
      long t0 = System.nanoTime();
      m.sample(n, 5, new DiffusionModel.Sampler("ddpm", 1, 0), null);
      double ddpm = (System.nanoTime() - t0) / 1e9 / n;
      t0 = System.nanoTime();
      m.sample(n, 5, new DiffusionModel.Sampler("ddim", 50, 0), null);
      double ddim = (System.nanoTime() - t0) / 1e9 / n;
      System.out.printf("ddpm1000_ms_per_sample: %.4f%n", 1000 * ddpm);
      System.out.printf("ddim50_ms_per_sample: %.4f%n", 1000 * ddim);
      System.out.printf("ddim50_speedup: %.2f%n", ddpm / ddim);
    }
  }

  /** The same network and loss in a bare DJL loop: steps of the default batch, timed. */
  static void bare(int rows, Map<String, String> set) {
    DiffusionProvider p = new DiffusionProvider();
    Parameters params = Parameters.parse(p.id(), p.parameters(), set);
    EpsNet.Layout layout = DiffusionProvider.layout(Ring8.schema(), params);
    int batch = (int) params.integer("batch");
    int steps = (rows + batch - 1) / batch * 20;
    Engine engine = DjlEngine.engine();
    DjlEngine.threads(Integer.getInteger("threads", 2));
    Random rnd = new Random(1);
    float[] x = new float[batch * 2];
    float[] e = new float[batch * 2];
    float[] tf = new float[batch * layout.embedding()];
    int[] t = new int[batch];
    try (NDManager root = DjlEngine.newManager()) {
      NDList w = NamedTensors.arrays(root, layout.specs(),
          NamedTensors.initial(layout.specs(), 1, 1));
      for (NDArray a : w) {
        a.setRequiresGradient(true);
      }
      Adam adam = Adam.of(1e-3, "b");
      long t0 = System.nanoTime();
      for (int s = 0; s < steps; s++) {
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) rnd.nextGaussian();
          e[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < batch; i++) {
          t[i] = rnd.nextInt(1000);
        }
        EpsNet.timeFeatures(t, batch, layout.embedding(), tf);
        try (NDManager sub = root.newSubManager()) {
          NDArray xa = sub.create(x, new Shape(batch, 2));
          NDArray ea = sub.create(e, new Shape(batch, 2));
          NDArray ta = sub.create(tf, new Shape(batch, layout.embedding()));
          try (GradientCollector gc = engine.newGradientCollector()) {
            NDArray diff = EpsNet.forward(layout, w, xa, ta).sub(ea);
            gc.backward(diff.mul(diff).mean());
          }
        }
        adam.step(w);
      }
      double sec = (System.nanoTime() - t0) / 1e9;
      System.out.printf("bare_ms_per_step: %.3f%n", 1000 * sec / steps);
      System.out.printf("bare_seconds_per_epoch_of_%d: %.4f%n", rows, sec / steps
          * ((rows + batch - 1) / batch));
    }
  }
}
