package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pmodel.api.GenerativeModel;
import pmodel.api.LatentSpace;
import pmodel.runtime.ModelRegistry;
import pmodel.data.builtin.Cans;
import pmodel.data.builtin.FashionMnist;
import pmodel.data.builtin.Outfits;
import pmodel.data.builtin.Ring8;
import pmodel.data.builtin.World;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.eval.Harness;
import pmodel.eval.LatentFactors;
import pmodel.eval.ModelResult;
import pmodel.data.io.PngImages;
import pmodel.api.spi.CountingProvider;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.ParameterSpec;
import pmodel.api.params.Parameters;

/**
 * The defaults matrix of issue 18: every installed provider ({@link ModelRegistry#discover()},
 * so new plugins join by being installed) × every built-in data set it accepts, fitted at its
 * DEFAULT hyperparameters with only the seed given.
 *
 * <p><b>The budget knob.</b> The fast version (this test) changes exactly one thing: the
 * hyperparameter {@value #KNOB}, the training budget in optimizer steps, set to
 * {@value #FAST_STEPS} for every provider that declares it (the counting models have no
 * training budget and run as they are), on small row counts. The full version is
 * {@link #main}, run by {@code benchmarks/defaults-matrix.sh}: the row counts, no knob,
 * and the pass criteria; its table is docs/models.md's.
 *
 * <p>The fast criteria are loose but each is derived from a baseline any working model beats
 * even on a reduced budget (see {@link #checkFast}); the full criteria are the issue's
 * (see {@link #checkFull}).
 */
class DefaultsMatrixTest {
  /** The one knob of the fast version: the training budget in optimizer steps. */
  static final String KNOB = "steps";
  /** The fast budget: a few minutes for the whole matrix on two busy cores. */
  static final int FAST_STEPS = 100;
  /** Fit seed of every cell. */
  static final long SEED = 1;
  static final int THREADS = 2;

  /** A built-in data set: its name, training and held-out rows. */
  record Data(String name, Dataset train, Dataset test) {
  }

  /** The built-in data sets at the fast version's row counts. */
  static List<Data> fastData() {
    return List.of(
        new Data("ring8", Ring8.sample(2000, 1, 0), Ring8.sample(1000, 1, 1)),
        new Data("world", World.sample(2000, 1, 0), World.sample(1000, 1, 1)),
        new Data("outfits", Outfits.sample(2000, 1, 0), Outfits.sample(1000, 1, 1)),
        new Data("cans", Cans.sample(500, 1, 0), Cans.sample(200, 1, 1)),
        new Data("fashion-mnist-subset", first(FashionMnist.readSubset(
            FashionMnist.Split.TRAIN), 500), first(FashionMnist.readSubset(
            FashionMnist.Split.TEST), 200)));
  }

  static Dataset first(Dataset d, int rows) {
    int[] idx = new int[Math.min(rows, d.rows())];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    return d.select(idx);
  }

  static Stream<Arguments> cells() {
    List<Arguments> out = new ArrayList<>();
    List<Data> data = fastData();
    // -Dpmodel.matrix.models=a,b runs only those providers' cells (to rerun a few)
    String filter = System.getProperty("pmodel.matrix.models", "");
    List<String> only = filter.isBlank() ? List.of() : List.of(filter.split(","));
    for (ModelProvider p : ModelRegistry.discover().providers()) {
      if (!only.isEmpty() && !only.contains(p.id())) {
        continue;
      }
      for (Data d : data) {
        if (p.supports(d.train().schema(), params(p, true)).supported()) {
          out.add(Arguments.of(p.id() + " x " + d.name(), p, d));
        }
      }
    }
    return out.stream();
  }

  /** The defaults, with the knob set in the fast version when the provider declares it. */
  static Parameters params(ModelProvider p, boolean fast) {
    Map<String, String> set = new HashMap<>();
    if (fast) {
      for (ParameterSpec s : p.parameters()) {
        if (s.name().equals(KNOB)) {
          set.put(KNOB, Integer.toString(FAST_STEPS));
        }
      }
    }
    return Parameters.parse(p.id(), p.parameters(), set);
  }

  /** One cell's figures. */
  record Cell(String model, String data, ModelResult result, Map<String, Double> figures,
      List<String> failures) {
  }

  static Cell run(ModelProvider p, Data d, boolean fast) {
    Parameters params = params(p, fast);
    long start = System.nanoTime();
    GenerativeModel m = p.fit(d.train(), params, FitContext.of(SEED, THREADS));
    double seconds = (System.nanoTime() - start) / 1e9;
    int samples = d.train().schema().isImage() ? 500 : 2000;
    ModelResult r = Harness.measure(m, seconds, d.train(), d.test(),
        new Harness.Settings(SEED, samples, THREADS, 0, 20, null));
    Map<String, Double> f = new java.util.LinkedHashMap<>();
    Dataset s = r.samples();
    Schema schema = d.train().schema();
    switch (d.name()) {
      case "ring8" -> {
        int[] counts = new int[Ring8.MODES];
        int within = 0;
        for (int i = 0; i < s.rows(); i++) {
          int k = Ring8.nearestMode(s.value(i, 0), s.value(i, 1));
          double[] c = Ring8.centre(k);
          if (Math.hypot(s.value(i, 0) - c[0], s.value(i, 1) - c[1]) <= 3 * Ring8.SIGMA) {
            counts[k]++;
            within++;
          }
        }
        int covered = 0;
        for (int c : counts) {
          // a fifth of a mode's expected share within 3σ (Ring8ModesTest's rule)
          covered += c >= s.rows() * 0.9889 / 8 / 5 ? 1 : 0;
        }
        f.put("modes", (double) covered);
        f.put("within_3sigma", within / (double) s.rows());
        f.put("spread_ratio", spread(s, d.test()));
      }
      case "world" -> {
        f.put("on_land", World.landFraction(s));
        f.put("spread_ratio", spread(s, d.test()));
      }
      case "outfits" -> f.put("spread_ratio", Double.NaN);
      default -> {
        // images: the pixel-mean error of all-black images, the baseline of checkFast
        double[][] test = pmodel.eval.SampleMetrics.pixelMoments(d.test());
        double black = 0;
        for (double v : test[0]) {
          black += Math.abs(v) / test[0].length;
        }
        f.put("black_pixel_mean_error", black);
      }
    }
    if (d.name().equals("cans") && m instanceof LatentSpace ls && ls.latentDimension() == 2) {
      double[] z = ls.encode(d.test());
      Dataset meta = d.test().metadata().orElseThrow();
      f.put("r2_height", LatentFactors.rSquared(z, 2, meta.doubles(0)));
      f.put("r2_width", LatentFactors.rSquared(z, 2, meta.doubles(1)));
    }
    if (schema.isImage()) {
      f.put("independent_bits_per_dim", independentBitsPerDim(d.train(), d.test()));
    }
    return new Cell(p.id(), d.name(), r, f, new ArrayList<>());
  }

  /**
   * √(total variance of the samples / that of the held-out rows), the continuous columns
   * standardized by the held-out rows: near 1 for a faithful sampler, near 0 for a collapsed
   * one.
   */
  static double spread(Dataset samples, Dataset test) {
    double ratio = 0;
    double data = 0;
    for (int f = 0; f < test.schema().size(); f++) {
      ratio += variance(samples.doubles(f));
      data += variance(test.doubles(f));
    }
    return Math.sqrt(ratio / data);
  }

  static double variance(double[] v) {
    double m = 0;
    for (double x : v) {
      m += x / v.length;
    }
    double ss = 0;
    for (double x : v) {
      ss += (x - m) * (x - m);
    }
    return ss / (v.length - 1);
  }

  /**
   * The exact held-out NLL (bits per pixel) of independent per-pixel categoricals with Laplace
   * smoothing α = 1, fitted on {@code train}: naive Bayes' figure on images, computed here from
   * its definition so the criteria need no particular plugin.
   */
  static double independentBitsPerDim(Dataset train, Dataset test) {
    int d = train.schema().size();
    int levels = train.schema().feature(0) instanceof pmodel.api.data.DiscreteFeature df
        ? df.cardinality() : 256;
    double total = 0;
    for (int f = 0; f < d; f++) {
      long[] counts = new long[levels];
      for (int i = 0; i < train.rows(); i++) {
        counts[train.code(i, f)]++;
      }
      double denom = train.rows() + (double) levels;
      for (int i = 0; i < test.rows(); i++) {
        total -= Math.log((counts[test.code(i, f)] + 1) / denom);
      }
    }
    return total / ((double) test.rows() * d * Math.log(2));
  }

  /** Counting models (naive Bayes, the histogram, ...): no training budget, no latent code. */
  static boolean counting(ModelProvider p) {
    return p instanceof CountingProvider;
  }

  /**
   * The fast criteria, each against a baseline that needs no training to derive:
   * <ul>
   *   <li>every model: a finite held-out figure where the family has one (counting models on
   *       continuous data excepted: a held-out row in an empty bin has probability 0), and
   *       samples of the data's schema;</li>
   *   <li>discrete data with a likelihood: bits per dimension below the uniform distribution's
   *       log₂(levels) (8 for 256-level pixels, log₂ 4032 / 5 for outfits), which any fit
   *       beats;</li>
   *   <li>ring8 and world, every sampler that is not a counting model: no collapse, a sample
   *       spread at least a third of the data's (the collapsed GAN of the issue: 0.16), and on
   *       world more samples on land than the uniform distribution on the lon/lat rectangle puts
   *       there ({@link #uniformLand}) by 3 standard errors of a proportion;</li>
   *   <li>images: per-pixel means closer to the held-out images' than all-black images are.</li>
   * </ul>
   */
  static void checkFast(ModelProvider p, Cell c) {
    ModelResult r = c.result();
    Schema schema = r.samples().schema();
    assertThat(r.samples().rows()).isPositive();
    if (p.id().equals("histogram") && schema.isImage()) {
      // The histogram of 1024 pixels of 256 levels has 256^1024 cells: the smoothed counts of
      // a few thousand images leave it the uniform distribution (exactly 8 bits/dim, uniform
      // noise for samples) whatever its hyperparameters. Excepted on images, as the issue
      // excepts it on ring8; the full table shows its figures.
      return;
    }
    if (r.likelihood() != null) {
      // Counting models on continuous data give a held-out row in an empty bin probability 0
      // (an infinite NLL) by design of their smoothing; the table reports it, the test
      // requires a finite figure of the others (issue 18's report names the finding).
      if (!counting(p) || schema.allDiscrete()) {
        assertThat(r.likelihood().bitsPerDim()).as("held-out bits/dim").isFinite();
      }
      if (schema.allDiscrete()) {
        assertThat(r.likelihood().bitsPerDim()).as("bits/dim against the uniform distribution's")
            .isLessThan(uniformBitsPerDim(schema));
      }
    }
    Map<String, Double> f = c.figures();
    if (!counting(p) && f.containsKey("spread_ratio") && !f.get("spread_ratio").isNaN()) {
      assertThat(f.get("spread_ratio")).as("sample spread / data spread").isGreaterThan(1.0 / 3);
    }
    if (!counting(p) && f.containsKey("on_land")) {
      double u = uniformLand();
      double se = Math.sqrt(u * (1 - u) / r.samples().rows());
      assertThat(f.get("on_land")).as("on land (uniform: " + u + ")").isGreaterThan(u + 3 * se);
    }
    if (r.images() != null) {
      assertThat(r.images().pixelMeanError()).as("pixel mean error against all-black images'")
          .isLessThan(f.get("black_pixel_mean_error"));
    }
  }

  /** Mean over features of log₂(levels). */
  static double uniformBitsPerDim(Schema schema) {
    double bits = 0;
    for (int f = 0; f < schema.size(); f++) {
      bits += Math.log(((pmodel.api.data.DiscreteFeature) schema.feature(f)).cardinality())
          / Math.log(2);
    }
    return bits / schema.size();
  }

  /** The land fraction of points uniform on [−180, 180] × [−90, 90], by a seeded draw. */
  static double uniformLand() {
    var rng = RandomStreams.create(7, 0);
    int n = 200_000;
    int land = 0;
    for (int i = 0; i < n; i++) {
      land += World.onLand(360 * rng.nextDouble() - 180, 180 * rng.nextDouble() - 90) ? 1 : 0;
    }
    return land / (double) n;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cells")
  void everyProviderAtItsDefaultsOnEveryBuiltInItAccepts(String name, ModelProvider p, Data d) {
    Cell c = run(p, d, true);
    System.out.println("defaults matrix (fast) " + name + ": fit " + String.format(Locale.ROOT,
        "%.1f s", c.result().fitSeconds()) + ", " + figure(c) + ", " + c.figures());
    checkFast(p, c);
  }

  static String figure(Cell c) {
    ModelResult r = c.result();
    return r.likelihood() == null ? "no likelihood" : String.format(Locale.ROOT, "%s %.4f bits/dim",
        r.likelihood().kind(), r.likelihood().bitsPerDim());
  }

  // ---------------------------------------------------------------------------------------------
  // The full version (benchmarks/defaults-matrix.sh)

  /** The built-in data sets at the row counts (Fashion-MNIST whole when installed). */
  static List<Data> fullData() {
    List<Data> out = new ArrayList<>(List.of(
        new Data("ring8", Ring8.sample(20_000, 1, 0), Ring8.sample(2000, 1, 1)),
        new Data("world", World.sample(20_000, 1, 0), World.sample(2000, 1, 1)),
        new Data("outfits", Outfits.sample(5000, 1, 0), Outfits.sample(2000, 1, 1)),
        new Data("cans", Cans.sample(3000, 1, 0), Cans.sample(1000, 1, 1))));
    try {
      out.add(new Data("fashion-mnist", FashionMnist.read(FashionMnist.Split.TRAIN, null),
          first(FashionMnist.read(FashionMnist.Split.TEST, null), 2000)));
    } catch (RuntimeException e) {
      out.add(new Data("fashion-mnist-subset", FashionMnist.readSubset(FashionMnist.Split.TRAIN),
          FashionMnist.readSubset(FashionMnist.Split.TEST)));
    }
    return out;
  }

  /**
   * The pass criteria on the full run; {@code byData} holds every cell of the data set
   * (the naive-Bayes cell is the reference for cans and Fashion-MNIST).
   */
  static void checkFull(ModelProvider p, Cell c, List<Cell> byData) {
    Map<String, Double> f = c.figures();
    ModelResult r = c.result();
    List<String> fail = c.failures();
    Cell nb = byData.stream().filter(x -> x.model().equals("naive-bayes")).findFirst()
        .orElse(null);
    switch (c.data()) {
      case "ring8" -> {
        // naive Bayes and the histogram excepted: naive Bayes models x and y independently,
        // so its samples fill the 8 × 8 grid of the modes' coordinates, not the 8 modes; the
        // histogram's bins (20 per axis over [−2.1, 2.1], 0.21 wide) are wider than 3σ = 0.15
        if (!counting(p)) {
          if (f.get("modes") < 7) {
            fail.add("ring8: " + f.get("modes").intValue() + " of 8 modes (need >= 7)");
          }
          if (f.get("within_3sigma") < 0.8) {
            fail.add(String.format(Locale.ROOT, "ring8: %.1f%% within 3 sigma (need >= 80%%)",
                100 * f.get("within_3sigma")));
          }
        }
      }
      case "world" -> {
        if (!counting(p) && f.get("on_land") < 0.9) {
          fail.add(String.format(Locale.ROOT, "world: %.1f%% on land (need >= 90%%)",
              100 * f.get("on_land")));
        }
      }
      case "cans" -> {
        if (r.likelihood() != null && r.likelihood().kind().equals("bound") && nb != null
            && nb.result().likelihood() != null
            && !(r.likelihood().bitsPerDim() < nb.result().likelihood().bitsPerDim())) {
          fail.add("cans: bound " + r.likelihood().bitsPerDim() + " bits/dim not below naive Bayes' "
              + nb.result().likelihood().bitsPerDim());
        }
        if (f.containsKey("r2_height") && (f.get("r2_height") < 0.9 || f.get("r2_width") < 0.9)) {
          fail.add("cans: latent R2 height " + f.get("r2_height") + ", width "
              + f.get("r2_width") + " (need >= 0.9 each)");
        }
      }
      default -> {
        if (c.data().startsWith("fashion") && !counting(p) && nb != null) {
          if (r.likelihood() != null && !(r.likelihood().bitsPerDim() < nb.result().likelihood().bitsPerDim())) {
            fail.add("fashion: " + r.likelihood().bitsPerDim() + " bits/dim not below naive Bayes' "
                + nb.result().likelihood().bitsPerDim());
          }
          if (r.likelihood() == null && !(r.images().nearestTrainingDistance()
              < nb.result().images().nearestTrainingDistance())) {
            fail.add("fashion: samples' nearest-training distance "
                + r.images().nearestTrainingDistance() + " not below naive Bayes' "
                + nb.result().images().nearestTrainingDistance());
          }
        }
      }
    }
  }

  /**
   * The full matrix: {@code main OUT_DIR [MODELS|all] [DATA_SETS]} (comma-separated filters; a
   * filtered run that leaves out naive Bayes skips the comparisons with it) writes OUT_DIR/matrix.md (the table of docs/models.md)
   * and a sample picture per cell, and exits 1 when a pass criterion fails.
   */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    List<String> only = args.length > 1 && !args[1].equals("all") ? List.of(args[1].split(","))
        : List.of();
    List<String> sets = args.length > 2 ? List.of(args[2].split(",")) : List.of();
    PrintStream log = System.out;
    List<Data> data = fullData();
    List<ModelProvider> providers = new ArrayList<>(ModelRegistry.discover().providers());
    // the counting reference first, so the neural cells compare with it
    providers.sort((a, b) -> Boolean.compare(!counting(a), !counting(b)));
    StringBuilder table = new StringBuilder("| model | data | fit (s) | held-out figure |"
        + " checks | samples |\n|---|---|---|---|---|---|\n");
    int failures = 0;
    for (Data d : data) {
      if (!sets.isEmpty() && !sets.contains(d.name())) {
        continue;
      }
      List<Cell> cells = new ArrayList<>();
      for (ModelProvider p : providers) {
        if (!only.isEmpty() && !only.contains(p.id())) {
          continue;
        }
        if (!p.supports(d.train().schema(), params(p, false)).supported()) {
          continue;
        }
        log.println("fitting " + p.id() + " on " + d.name() + " ...");
        Cell c = run(p, d, false);
        cells.add(c);
        checkFull(p, c, cells);
        String picture = p.id() + "-" + d.name() + ".png";
        picture(c, d, out.resolve(picture));
        String checks = c.failures().isEmpty() ? "pass" : "FAIL: " + String.join("; ",
            c.failures());
        failures += c.failures().size();
        String line = String.format(Locale.ROOT, "| %s | %s | %.1f | %s | %s; %s | ![](%s) |",
            p.id(), d.name(), c.result().fitSeconds(), figure(c), format(c.figures()), checks,
            "matrix/" + picture);
        log.println(line);
        table.append(line).append('\n');
        Files.writeString(out.resolve("matrix.md"), table, StandardCharsets.UTF_8);
      }
    }
    log.println(failures == 0 ? "all pass criteria hold" : failures + " criteria failed");
    System.exit(failures == 0 ? 0 : 1);
  }

  static String format(Map<String, Double> f) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Double> e : f.entrySet()) {
      if (!e.getValue().isNaN()) {
        parts.add(e.getKey() + " " + String.format(Locale.ROOT, "%.3f", e.getValue()));
      }
    }
    return String.join(", ", parts);
  }

  /** A 64-image grid for images, a dot plot of 2,000 samples for ring8 and world. */
  static void picture(Cell c, Data d, Path path) {
    Dataset s = c.result().samples();
    if (s.schema().isImage()) {
      PngImages.writeGrid(path, first(s, 64), 8, 2);
      return;
    }
    if (d.name().equals("outfits")) {
      return;
    }
    boolean world = d.name().equals("world");
    Plots.Frame frame = world ? Plots.Frame.WORLD : Plots.Frame.around(List.of(d.test()));
    Plots.Canvas canvas = new Plots.Canvas(360, world ? 180 : 360, frame, world);
    canvas.points(s, Plots.COLOURS[1], 2);
    BufferedImage img = canvas.image;
    Plots.write(path, Plots.png(img));
  }
}
