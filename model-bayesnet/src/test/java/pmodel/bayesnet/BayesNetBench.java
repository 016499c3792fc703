package pmodel.bayesnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import pmodel.data.builtin.FashionMnist;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.eval.Evaluation;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;

/**
 * The Chow-Liu network on Fashion-MNIST quantised to a few levels (not a unit test; run by
 * {@code model-bayesnet/bench/run.sh}): 784 features, so 306,936 pair tables are counted over
 * 60,000 images. Prints {@code name: value} lines: the fit's time on 1 and 2 threads, the heap
 * it peaked at, the test bits per dimension beside naive Bayes's on the same quantised pixels
 * (computed here by its formula, α = 1, so this module depends on no other plugin).
 *
 * <p>Arguments: {@code LEVELS [THREADS...]}, e.g. {@code 2 1 2} (binarised at 128, 1 and 2
 * threads). LEVELS = L quantises pixel v to ⌊v·L/256⌋.
 */
public final class BayesNetBench {
  private BayesNetBench() {
  }

  public static void main(String[] args) {
    Locale.setDefault(Locale.ROOT);
    int levels = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int[] threads = {1, 2};
    if (args.length > 1) {
      threads = new int[args.length - 1];
      for (int i = 1; i < args.length; i++) {
        threads[i - 1] = Integer.parseInt(args[i]);
      }
    }
    Dataset train = quantise(FashionMnist.read(FashionMnist.Split.TRAIN, null), levels);
    Dataset test = quantise(FashionMnist.read(FashionMnist.Split.TEST, null), levels);
    System.out.printf("data: Fashion-MNIST %d train, %d test images, %d levels per pixel%n",
        train.rows(), test.rows(), levels);
    double cells = BayesNetStatistics.pairCells(cardinalities(784, levels));
    System.out.printf("pairs: %d tables, %.0f counts (%.1f MiB per counting thread)%n",
        BayesNetStatistics.pairCount(784), cells, cells * 8 / (1 << 20));
    BayesNetProvider p = new BayesNetProvider();
    Parameters params = Parameters.parse(p.id(), p.parameters(), Map.of());
    BayesNetModel model = null;
    for (int t : threads) {
      // warm-up fit on a slice, so that the timed fit measures the counting, not the JIT
      p.fit(train.slice(0, 2000), params, FitContext.of(1, t));
      System.gc();
      long before = heapUsed();
      long residentBefore = peakResident();
      long start = System.nanoTime();
      BayesNetModel m = (BayesNetModel) p.fit(train, params, FitContext.of(1, t));
      double seconds = (System.nanoTime() - start) / 1e9;
      long after = heapUsed();
      System.out.printf("fit_seconds_threads_%d: %.2f%n", t, seconds);
      System.out.printf("heap_mib_threads_%d: %.1f before the fit (data loaded), %.1f right"
          + " after (statistics not yet collected)%n", t, before / 1048576.0, after / 1048576.0);
      System.out.printf("peak_resident_mib_threads_%d: %.1f (%.1f before the fit)%n", t,
          peakResident() / 1048576.0, residentBefore / 1048576.0);
      if (model != null && !Arrays.equals(model.counts(), m.counts())) {
        throw new AssertionError("the fit on " + t + " threads counted differently");
      }
      model = m;
    }
    long start = System.nanoTime();
    double bits = Evaluation.exactNll(model, test, threads[threads.length - 1]).bitsPerDim();
    double scoreSeconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("bayesnet_test_bits_per_dim: %.6f (scored in %.2f s)%n", bits,
        scoreSeconds);
    System.out.printf("naive_bayes_test_bits_per_dim: %.6f%n", naiveBayesBits(train, test,
        levels));
    System.out.printf("bayesnet_free_parameters: %s (naive Bayes: %d)%n",
        model.freeParameters(), 784L * (levels - 1));
    for (String line : model.describe(4)) {
      System.out.println("learned: " + line);
    }
    start = System.nanoTime();
    model.sample(10_000, 1, threads[threads.length - 1]);
    System.out.printf("sample_10000_seconds: %.2f%n", (System.nanoTime() - start) / 1e9);
  }

  static int[] cardinalities(int d, int levels) {
    int[] k = new int[d];
    Arrays.fill(k, levels);
    return k;
  }

  /** Pixel v becomes ⌊v·L/256⌋: L equal-width levels (L = 2 thresholds at 128). */
  static Dataset quantise(Dataset images, int levels) {
    int d = images.schema().size();
    byte[][] cols = new byte[d][images.rows()];
    for (int f = 0; f < d; f++) {
      byte[] src = images.bytes(f);
      for (int i = 0; i < images.rows(); i++) {
        cols[f][i] = (byte) ((src[i] & 0xFF) * levels / 256);
      }
    }
    return Dataset.of(Schema.image(28, 28, levels), images.rows(), cols);
  }

  /** Naive Bayes's test bits per pixel: θ_fl = (n_fl + 1)/(N + L) per pixel f and level l. */
  static double naiveBayesBits(Dataset train, Dataset test, int levels) {
    int d = train.schema().size();
    double total = 0;
    for (int f = 0; f < d; f++) {
      long[] n = new long[levels];
      byte[] col = train.bytes(f);
      for (int i = 0; i < train.rows(); i++) {
        n[col[i]]++;
      }
      byte[] t = test.bytes(f);
      for (int i = 0; i < test.rows(); i++) {
        total += Math.log((n[t[i]] + 1.0) / (train.rows() + levels));
      }
    }
    return -total / test.rows() / d / Math.log(2);
  }

  /** The heap in use now. */
  private static long heapUsed() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  /** The process's peak resident memory in bytes (VmHWM of /proc/self/status; Linux). */
  private static long peakResident() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
