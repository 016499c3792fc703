package pmodel.vae;

import pmodel.djl.DjlEngine;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import pmodel.data.builtin.FashionMnist;
import pmodel.api.data.Dataset;
import pmodel.data.io.PngImages;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;

/**
 * The long VAE runs on Fashion-MNIST (not a unit test; run by {@code model-vae-djl/bench/run.sh}).
 * Prints {@code name: value} lines like the peer programs in benchmarks/peers.
 * <ul>
 *   <li>{@code fit LIKELIHOOD Z EPOCHS OUTDIR [--rows N] [--no-eval] [name=value ...]}:
 *       pmodel's {@code vae} with the MLP 784-512-256-Z, batch 128, Adam 1e-3 (or what the
 *       name=value settings say, e.g. architecture=conv); seconds and resident memory per epoch, the test
 *       bound, the importance-weighted estimate (k = 100, first 1000 test images), sample and
 *       mean grids;</li>
 *   <li>{@code bare Z EPOCHS}: a bare DJL loop of the same network and Bernoulli loss (data
 *       pre-converted to floats, one sub-manager per step), the platform-free baseline.</li>
 * </ul>
 */
public final class VaeBench {
  private VaeBench() {
  }

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    switch (args[0]) {
      case "fit" -> {
        List<String> rest = List.of(args).subList(5, args.length);
        int rows = rest.contains("--rows") ? Integer.parseInt(rest.get(rest.indexOf("--rows") + 1))
            : 60_000;
        Map<String, String> extra = new java.util.LinkedHashMap<>();
        for (String a : rest) {
          if (a.contains("=")) {
            extra.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
          }
        }
        fit(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]),
            rest.contains("--no-eval"), rows, extra);
      }
      case "bare" -> bare(Integer.parseInt(args[1]), Integer.parseInt(args[2]), 60_000);
      case "compare" -> compare(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static long rssKb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static void fit(String likelihood, int z, int epochs, Path outDir, boolean noEval, int rows,
      Map<String, String> extra) throws Exception {
    Dataset train = FashionMnist.read(FashionMnist.Split.TRAIN, null).slice(0, rows);
    Dataset test = FashionMnist.read(FashionMnist.Split.TEST, null);
    VaeProvider p = new VaeProvider();
    boolean bern = likelihood.equals("bernoulli");
    Map<String, String> given = new java.util.LinkedHashMap<>(Map.of("latent",
        Integer.toString(z), "epochs", Integer.toString(epochs), "likelihood", likelihood,
        "binarize", Boolean.toString(bern)));
    given.putAll(extra);
    Parameters params = Parameters.parse("vae", p.parameters(), given);
    String tag = "pmodel_vae_" + likelihood + "_z" + z
        + (params.choice("architecture").equals("mlp") ? "" : "_" + params.choice("architecture"));
    System.out.println("parameters: " + params);
    double unit = bern ? 1 : 784 * Math.log(2);
    String uname = bern ? "nats_per_image" : "bits_per_dim";
    System.out.println("java: " + System.getProperty("java.version"));
    int threads = Integer.getInteger("vae.threads", 2);
    DjlEngine.threads(threads);
    System.out.println("torch_threads: " + ai.djl.pytorch.jni.JniUtils.getNumThreads());
    List<Double> secs = new ArrayList<>();
    long t0 = System.nanoTime();
    VaeModel m = (VaeModel) p.fit(train, params, new FitContext(0, threads, pr -> {
      int e = (int) pr.step();
      double s = pr.metrics().get("seconds");
      secs.add(s);
      try {
        System.out.printf("%s_epoch%d_s: %.2f%n%s_epoch%d_train_neg_elbo_%s: %.4f%n"
            + "%s_epoch%d_kl_nats: %.3f%n%s_epoch%d_rss_mb: %.1f%n"
            + "%s_epoch%d_heap_committed_mb: %.1f%n", tag, e, s, tag, e, uname,
            pr.metrics().get("loss") / unit, tag, e, pr.metrics().get("kl"), tag, e,
            rssKb() / 1024.0, tag, e, Runtime.getRuntime().totalMemory() / 1048576.0);
      } catch (Exception ex) {
        throw new IllegalStateException(ex);
      }
    }, null));
    double[] sorted = secs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf("%s_median_epoch_s: %.2f%n%s_fit_total_s: %.1f%n", tag,
        sorted[sorted.length / 2], tag, (System.nanoTime() - t0) / 1e9);
    if (noEval) {
      return;
    }
    double[] lb = new double[test.rows()];
    long e0 = System.nanoTime();
    m.lowerBounds(test, lb, 123);
    System.out.printf("%s_test_neg_elbo_%s: %.4f%n%s_test_bound_s: %.2f%n", tag, uname,
        -mean(lb, lb.length) / unit, tag, (System.nanoTime() - e0) / 1e9);
    Dataset first = test.slice(0, 1000);
    double[] iw = new double[1000];
    e0 = System.nanoTime();
    m.importanceWeighted(first, 100, iw, 321);
    System.out.printf("%s_first1000_test_neg_elbo_%s: %.4f%n", tag, uname,
        -mean(lb, 1000) / unit);
    System.out.printf("%s_first1000_test_iwae_k100_nll_%s: %.4f%n%s_iwae_s: %.2f%n", tag,
        uname, -mean(iw, 1000) / unit, tag, (System.nanoTime() - e0) / 1e9);
    long s0 = System.nanoTime();
    Dataset samples = m.sample(10_000, 7, 2);
    System.out.printf("%s_sample_10000_s: %.3f%n", tag, (System.nanoTime() - s0) / 1e9);
    double[] prior = new double[100 * z];
    Random r = new Random(7);
    for (int i = 0; i < prior.length; i++) {
      prior[i] = r.nextGaussian();
    }
    Files.createDirectories(outDir);
    PngImages.writeGrid(outDir.resolve(tag + "_samples.png"), samples.slice(0, 100), 10, 2);
    PngImages.writeGrid(outDir.resolve(tag + "_means.png"), m.decode(prior, 100), 10, 2);
  }

  private static double mean(double[] a, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += a[i];
    }
    return s / n;
  }

  /**
   * Alternates one epoch of pmodel's vae (Bernoulli, z, on the first {@code rows} training
   * images) with one epoch of the bare DJL loop on the same rows, {@code reps} times after a
   * warm-up pair, so that both see the same machine load, each side first in every other
   * pair; prints each pair and the median ratio.
   */
  static void compare(int reps, int rows) throws Exception {
    Dataset train = FashionMnist.read(FashionMnist.Split.TRAIN, null).slice(0, rows);
    VaeProvider p = new VaeProvider();
    Parameters params = Parameters.parse("vae", p.parameters(), Map.of("latent", "32",
        "epochs", "1", "likelihood", "bernoulli", "binarize", "true"));
    int threads = Integer.getInteger("vae.threads", 2);
    double[] ratio = new double[reps];
    double[] pm = new double[reps];
    double[] bare = new double[reps];
    for (int r = -1; r < reps; r++) {
      // Pairs alternate which side runs first, so that neither profits alone from what the
      // other leaves warm (the JIT, PyTorch's allocator and oneDNN's kernel caches).
      boolean bareFirst = r % 2 != 0;
      double b = bareFirst ? bare(32, 1, rows) : 0;
      double[] s = new double[1];
      p.fit(train, params, new FitContext(r + 2, threads,
          pr -> s[0] = pr.metrics().get("seconds"), null));
      if (!bareFirst) {
        b = bare(32, 1, rows);
      }
      if (r >= 0) {
        pm[r] = s[0];
        bare[r] = b;
        ratio[r] = s[0] / b;
        System.out.printf("compare_rep%d_first: %s%ncompare_rep%d_pmodel_epoch_s: %.2f%n"
            + "compare_rep%d_bare_epoch_s: %.2f%n", r + 1, bareFirst ? "bare" : "pmodel", r + 1,
            s[0], r + 1, b);
      }
    }
    Arrays.sort(ratio);
    Arrays.sort(pm);
    Arrays.sort(bare);
    System.out.printf("compare_rows: %d%ncompare_median_pmodel_epoch_s: %.2f%n"
        + "compare_median_bare_epoch_s: %.2f%ncompare_median_ratio_pmodel_over_bare: %.3f%n",
        rows, pm[reps / 2], bare[reps / 2], ratio[reps / 2]);
  }

  /** The same network and loss written directly against DJL, without pmodel. */
  static double bare(int z, int epochs, int rows) throws Exception {
    Dataset train = FashionMnist.read(FashionMnist.Split.TRAIN, null).slice(0, rows);
    int n = train.rows();
    float[] x = new float[n * 784];
    for (int f = 0; f < 784; f++) {
      byte[] col = train.bytes(f);
      for (int i = 0; i < n; i++) {
        x[i * 784 + f] = (col[i] & 0xFF) >= 128 ? 1f : 0f;
      }
    }
    Engine engine = Engine.getEngine("PyTorch");
    ai.djl.pytorch.jni.JniUtils.setNumThreads(Integer.getInteger("vae.threads", 2));
    Network.Layout layout = new Network.Layout(784, new int[] {512, 256}, z, 784, 0);
    Random rng = new Random(0);
    try (NDManager root = engine.newBaseManager()) {
      NDList p = Network.initial(layout, 0).arrays(root);
      for (NDArray a : p) {
        a.setRequiresGradient(true);
      }
      NDArray half = root.create(0.5f);
      NDArray one = root.create(1f);
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
      int[] order = new int[n];
      Arrays.setAll(order, i -> i);
      float[] batch = new float[128 * 784];
      float[] eps = new float[128 * z];
      double last = 0;
      boolean quiet = rows != 60_000;
      for (int epoch = 1; epoch <= epochs; epoch++) {
        long t0 = System.nanoTime();
        for (int i = n - 1; i > 0; i--) {
          int j = rng.nextInt(i + 1);
          int t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
        double total = 0;
        for (int from = 0; from < n; from += 128) {
          int b = Math.min(128, n - from);
          for (int r = 0; r < b; r++) {
            System.arraycopy(x, order[from + r] * 784, batch, r * 784, 784);
          }
          for (int i = 0; i < b * z; i++) {
            eps[i] = (float) rng.nextGaussian();
          }
          try (NDManager step = root.newSubManager()) {
            NDArray xb = step.create(Arrays.copyOf(batch, b * 784), new Shape(b, 784));
            NDArray e = step.create(Arrays.copyOf(eps, b * z), new Shape(b, z));
            try (GradientCollector gc = engine.newGradientCollector()) {
              NDList mv = Network.encode(layout, p, xb);
              NDArray mu = mv.get(0);
              NDArray lv = mv.get(1);
              NDArray out = Network.decode(layout, p, mu.add(e.mul(lv.mul(half).exp())));
              NDArray rec = out.getNDArrayInternal().softPlus().sub(xb.mul(out))
                  .sum(new int[] {1});
              NDArray kl = mu.mul(mu).add(lv.exp()).sub(one).sub(lv).sum(new int[] {1})
                  .mul(half);
              NDArray loss = rec.add(kl).mean();
              gc.backward(loss);
              total += loss.getFloat() * b;
            }
            for (int i = 0; i < p.size(); i++) {
              try (NDArray g = p.get(i).getGradient()) {
                adam.update("p" + i, p.get(i), g);
              }
            }
          }
        }
        last = (System.nanoTime() - t0) / 1e9;
        if (!quiet) {
          System.out.printf("bare_djl_bernoulli_z%d_epoch%d_s: %.2f%n"
              + "bare_djl_bernoulli_z%d_epoch%d_train_neg_elbo_nats_per_image: %.4f%n", z,
              epoch, last, z, epoch, total / n);
        }
      }
      return last;
    }
  }
}
