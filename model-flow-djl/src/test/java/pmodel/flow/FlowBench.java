package pmodel.flow;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import pmodel.api.ExactDensity;
import pmodel.api.GenerativeModel;
import pmodel.data.builtin.Ring8;
import pmodel.data.builtin.World;
import pmodel.api.data.Dataset;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;
import pmodel.api.spi.Progress;
import pmodel.api.spi.ProgressListener;

/**
 * The flow's figures on the built-in 2-D data (not run by surefire): ring8 and world, 20,000
 * training rows and 20,000 held-out rows each, at the default hyperparameters unless
 * {@code key=value} arguments override them. For ring8 it prints the held-out NLL beside the
 * true entropy by Monte Carlo and the modes the samples cover; for world the held-out NLL beside
 * the best 2-D histogram over several bin counts (computed here: a histogram fitted on the
 * training rows, with add-one smoothing, scored on the held-out rows).
 *
 * <pre>
 * java -cp ... pmodel.flow.FlowBench ring8|world|both [rows=20000] [seed=1] [key=value ...]
 * </pre>
 */
public final class FlowBench {
  private FlowBench() {
  }

  public static void main(String[] args) {
    String which = args.length > 0 ? args[0] : "both";
    Map<String, String> set = new LinkedHashMap<>();
    int rows = 20_000;
    long seed = 1;
    for (int i = 1; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      if (kv[0].equals("rows")) {
        rows = Integer.parseInt(kv[1]);
      } else if (kv[0].equals("seed")) {
        seed = Long.parseLong(kv[1]);
      } else {
        set.put(kv[0], kv[1]);
      }
    }
    if (which.equals("ring8") || which.equals("both")) {
      ring8(rows, seed, set);
    }
    if (which.equals("world") || which.equals("both")) {
      world(rows, seed, set);
    }
    if (which.equals("speed")) {
      speed(rows, seed, set);
    }
  }

  /**
   * Seconds per step of the plugin's fit against a bare DJL loop of the same flow (the same
   * layers, batch and optimizer on one fixed minibatch: no shuffling, no progress, no loss
   * read-back), both on ring8 with the same settings, after a warm-up of each.
   */
  static void speed(int rows, long seed, Map<String, String> set) {
    Map<String, String> s = new LinkedHashMap<>(set);
    s.putIfAbsent("steps", "200");
    Dataset train = Ring8.sample(rows, seed, 0);
    FlowProvider p = new FlowProvider();
    Parameters params = Parameters.parse("flow", p.parameters(), s);
    int steps = (int) params.integer("steps");
    int batch = (int) params.integer("batch");
    double[] plugin = new double[3];
    double[] bare = new double[3];
    for (int rep = 0; rep < 3; rep++) {
      long t0 = System.nanoTime();
      p.fit(train, params, FitContext.of(seed, 2));
      plugin[rep] = (System.nanoTime() - t0) / 1e6 / steps;
      bare[rep] = bareLoop(FlowProvider.shape(train.schema(), params), batch, steps, seed,
          params.real("lr"));
    }
    java.util.Arrays.sort(plugin);
    java.util.Arrays.sort(bare);
    System.out.printf(Locale.ROOT, "speed: plugin %.2f ms/step, bare DJL loop %.2f ms/step"
        + " (medians of 3; ratio %.3f)%n", plugin[1], bare[1], plugin[1] / bare[1]);
  }

  static double bareLoop(Flow.Shape shape, int batch, int steps, long seed, double lr) {
    Flow.Start st = Flow.create(shape, seed);
    pmodel.djl.DjlEngine.threads(1);
    ai.djl.engine.Engine engine = pmodel.djl.DjlEngine.engine();
    float[] x = new float[batch * shape.width()];
    pmodel.djl.Gaussians.fill(pmodel.api.compute.RandomStreams.create(seed, 3), x, 0, x.length);
    ai.djl.training.optimizer.Optimizer adam = ai.djl.training.optimizer.Optimizer.adam()
        .optLearningRateTracker(ai.djl.training.tracker.Tracker.fixed((float) lr)).build();
    try (ai.djl.ndarray.NDManager root = pmodel.djl.DjlEngine.newManager()) {
      ai.djl.ndarray.NDList p = pmodel.djl.NamedTensors.arrays(root, st.flow().tensors(),
          st.values());
      for (ai.djl.ndarray.NDArray a : p) {
        a.setRequiresGradient(true);
      }
      Flow.Bound b = st.flow().bind(root, ai.djl.ndarray.types.DataType.FLOAT32);
      ai.djl.ndarray.NDArray data = root.create(x, new ai.djl.ndarray.types.Shape(batch,
          shape.width()));
      long t0 = System.nanoTime();
      for (int step = 0; step < steps; step++) {
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
          try (ai.djl.training.GradientCollector gc = engine.newGradientCollector()) {
            gc.backward(b.logProb(p, data).mean().neg());
          }
        }
        for (int i = 0; i < p.size(); i++) {
          try (ai.djl.ndarray.NDArray g = p.get(i).getGradient()) {
            adam.update("p" + i, p.get(i), g);
          }
        }
      }
      return (System.nanoTime() - t0) / 1e6 / steps;
    }
  }

  static GenerativeModel fit(Dataset train, Map<String, String> set, long seed) {
    FlowProvider p = new FlowProvider();
    Parameters params = Parameters.parse("flow", p.parameters(), set);
    ProgressListener log = (Progress e) -> {
      if (e.step() % 10 == 0 || e.step() == e.steps() || e.step() < 4) {
        System.out.printf(Locale.ROOT, "  epoch %d/%d loss %.4f (%.2f s)%n", e.step(),
            e.steps(), e.metrics().get("loss"), e.metrics().get("seconds"));
      }
    };
    long t0 = System.nanoTime();
    GenerativeModel m = p.fit(train, params, new FitContext(seed, 2, log, null));
    System.out.printf(Locale.ROOT, "fit: %.1f s (%s)%n", (System.nanoTime() - t0) / 1e9,
        params.asStrings());
    return m;
  }

  static double meanLogDensity(ExactDensity m, Dataset data) {
    return m.totalLogDensity(data, 2) / data.rows();
  }

  static void ring8(int rows, long seed, Map<String, String> set) {
    System.out.println("ring8: " + rows + " training rows");
    Dataset train = Ring8.sample(rows, seed, 0);
    Dataset test = Ring8.sample(20_000, seed, 1);
    GenerativeModel m = fit(train, set, seed);
    double nll = -meanLogDensity((ExactDensity) m, test);
    double entropy = RingMath.entropy(1_000_000, 99);
    Dataset s = m.sample(10_000, 5, 2);
    int[] counts = RingMath.modeCounts(s);
    System.out.printf(Locale.ROOT, "ring8: held-out NLL %.4f nats per point; true entropy (MC,"
        + " 1e6 draws) %.4f; modes covered %d of 8 (within 4 sigma: %s); in-mode fraction"
        + " %.4f%n", nll, entropy, RingMath.covered(counts, s.rows()),
        java.util.Arrays.toString(counts), RingMath.inModeFraction(s));
  }

  static void world(int rows, long seed, Map<String, String> set) {
    System.out.println("world: " + rows + " training rows");
    Dataset train = World.sample(rows, seed, 0);
    Dataset test = World.sample(20_000, seed, 1);
    GenerativeModel m = fit(train, set, seed);
    double nll = -meanLogDensity((ExactDensity) m, test);
    double trueEntropy = 0;
    for (int i = 0; i < test.rows(); i++) {
      trueEntropy -= World.logDensity(test.value(i, 0), test.value(i, 1));
    }
    trueEntropy /= test.rows();
    System.out.printf(Locale.ROOT, "world: flow held-out NLL %.4f nats per point (true"
        + " entropy estimate %.4f)%n", nll, trueEntropy);
    double best = Double.POSITIVE_INFINITY;
    for (int bins : new int[] {8, 16, 32, 48, 64, 96, 128, 192}) {
      double h = histogramNll(train, test, bins, bins / 2);
      best = Math.min(best, h);
      System.out.printf(Locale.ROOT, "  histogram %dx%d: held-out NLL %.4f%n", bins, bins / 2,
          h);
    }
    System.out.printf(Locale.ROOT, "world: best histogram %.4f; flow %.4f (%s)%n", best, nll,
        nll < best ? "flow better" : "histogram better");
    densityMap((ExactDensity) m, java.nio.file.Path.of(System.getProperty("flow.map",
        "flow-world-density.pgm")));
  }

  /**
   * The fitted density of (lon, lat) as a 720 × 360 graymap (PGM): log p mapped linearly from
   * (max − 12) black to max white, one pixel per half degree.
   */
  static void densityMap(ExactDensity m, java.nio.file.Path path) {
    int w = 720;
    int h = 360;
    double[] lon = new double[w * h];
    double[] lat = new double[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        lon[y * w + x] = -180 + (x + 0.5) * 360.0 / w;
        lat[y * w + x] = 90 - (y + 0.5) * 180.0 / h;
      }
    }
    double[] lp = m.logDensities(Dataset.of(World.schema(), w * h, new Object[] {lon, lat}));
    double max = Double.NEGATIVE_INFINITY;
    for (double v : lp) {
      max = Math.max(max, v);
    }
    // a binary PGM (portable graymap): readable by every image tool, no java.desktop needed
    byte[] head = ("P5\n" + w + " " + h + "\n255\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] pixels = new byte[w * h];
    for (int i = 0; i < lp.length; i++) {
      pixels[i] = (byte) Math.round(255 * Math.max(0, Math.min(1, (lp[i] - max + 12) / 12)));
    }
    try (java.io.OutputStream o = java.nio.file.Files.newOutputStream(path)) {
      o.write(head);
      o.write(pixels);
      System.out.println("world: density map written to " + path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The held-out NLL of a (lon, lat) histogram of nx × ny equal cells over [−180, 180] ×
   * [−90, 90] fitted on {@code train} with add-one smoothing: p = (count + 1)/(n + cells) per
   * cell, density p / cell area.
   */
  static double histogramNll(Dataset train, Dataset test, int nx, int ny) {
    double[] counts = new double[nx * ny];
    for (int i = 0; i < train.rows(); i++) {
      counts[cell(train.value(i, 0), train.value(i, 1), nx, ny)]++;
    }
    double area = (360.0 / nx) * (180.0 / ny);
    double total = train.rows() + counts.length;
    double sum = 0;
    for (int i = 0; i < test.rows(); i++) {
      double c = counts[cell(test.value(i, 0), test.value(i, 1), nx, ny)];
      sum -= Math.log((c + 1) / total / area);
    }
    return sum / test.rows();
  }

  private static int cell(double lon, double lat, int nx, int ny) {
    int x = Math.min(nx - 1, Math.max(0, (int) ((lon + 180) / 360 * nx)));
    int y = Math.min(ny - 1, Math.max(0, (int) ((lat + 90) / 180 * ny)));
    return y * nx + x;
  }
}
