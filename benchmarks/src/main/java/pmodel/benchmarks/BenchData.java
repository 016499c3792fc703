package pmodel.benchmarks;

import java.util.Map;
import java.util.Optional;
import java.nio.file.Path;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.GenerativeModel;
import pmodel.runtime.ModelRegistry;
import pmodel.data.builtin.FashionMnist;
import pmodel.data.builtin.Outfits;
import pmodel.api.compute.Parallel;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.api.sampling.AliasTable;
import pmodel.api.spi.CountingProvider;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;

/**
 * The benchmark data: the real Fashion-MNIST when it is installed, otherwise images generated to
 * have its shape (60,000 + 10,000 rows of 784 8-bit pixels, rows independent, each pixel zero
 * with the probability the real set has at its distance from the centre, non-zero values drawn
 * from the real set's value histogram). Set {@code PMODEL_BENCH_DATA=generated} to force the
 * generated images. Data is loaded once per benchmark JVM.
 */
final class BenchData {
  static final int TRAIN_ROWS = 60_000;
  static final int TEST_ROWS = 10_000;
  static final int PIXELS = 784;
  static final int LEVELS = 256;
  static final int OUTFIT_ROWS = 10_000_000;
  static final String ENV = "PMODEL_BENCH_DATA";

  /** Fraction of zero pixels of real Fashion-MNIST (train) by distance from the centre, 2 px rings. */
  static final double[] ZERO_BY_RING =
      {0.093, 0.085, 0.130, 0.239, 0.350, 0.488, 0.649, 0.830, 0.948, 0.994};
  /** The real set's non-zero values in 8 equal-width bins of 32 levels (fractions). */
  static final double[] NONZERO_BINS =
      {0.1058, 0.0776, 0.0875, 0.0972, 0.1145, 0.1520, 0.2141, 0.1514};

  private static Dataset train;
  private static Dataset test;
  private static Dataset outfits;
  private static ModelRegistry registry;

  private BenchData() {
  }

  /** Where Fashion-MNIST was found, or empty when the generated images are used. */
  static Optional<Path> fashionDir() {
    if ("generated".equals(System.getenv(ENV))) {
      return Optional.empty();
    }
    return FashionMnist.locate(null);
  }

  /** One line that says which images the benchmarks use. */
  static String describe() {
    return fashionDir().map(d -> "Fashion-MNIST read from " + d)
        .orElse("images generated to have Fashion-MNIST's shape (Fashion-MNIST not found"
            + " or " + ENV + "=generated)");
  }

  static synchronized Dataset fashionTrain() {
    if (train == null) {
      train = fashionDir().map(d -> FashionMnist.read(FashionMnist.Split.TRAIN, d))
          .orElseGet(() -> generatedImages(TRAIN_ROWS, 1));
      train = train.withMetadata(null);
    }
    return train;
  }

  static synchronized Dataset fashionTest() {
    if (test == null) {
      test = fashionDir().map(d -> FashionMnist.read(FashionMnist.Split.TEST, d))
          .orElseGet(() -> generatedImages(TEST_ROWS, 2));
      test = test.withMetadata(null);
    }
    return test;
  }

  /** 10,000,000 rows of the built-in {@code outfits} P_data (5 byte columns, 4032 cells). */
  static synchronized Dataset outfits() {
    if (outfits == null) {
      outfits = Outfits.sample(OUTFIT_ROWS, 1, 0);
    }
    return outfits;
  }

  static synchronized ModelRegistry registry() {
    if (registry == null) {
      registry = ModelRegistry.discover();
    }
    return registry;
  }

  /** The installed counting provider with this id (naive-bayes, histogram). */
  static CountingProvider counting(String id) {
    return (CountingProvider) registry().get(id);
  }

  static Parameters params(String id, Map<String, String> settings) {
    return Parameters.parse(id, registry().get(id).parameters(), settings);
  }

  /** Fits a model on every core (the fit itself is not what these benchmarks time). */
  static GenerativeModel fit(String id, Dataset data, Map<String, String> settings) {
    return registry().get(id).fit(data, params(id, settings),
        FitContext.of(1, Parallel.defaultThreads()));
  }

  /** Images shaped like Fashion-MNIST, independent rows, from a fixed seed. */
  static Dataset generatedImages(int rows, long seed) {
    Schema schema = Schema.image(28, 28, LEVELS);
    double[] values = new double[LEVELS - 1];
    for (int v = 1; v < LEVELS; v++) {
      values[v - 1] = NONZERO_BINS[v / 32];
    }
    AliasTable nonZero = AliasTable.of(values);
    long[] zeroThreshold = new long[PIXELS];
    for (int p = 0; p < PIXELS; p++) {
      double r = Math.hypot(p / 28 - 13.5, p % 28 - 13.5);
      double zero = ZERO_BY_RING[Math.min(ZERO_BY_RING.length - 1, (int) (r / 2))];
      zeroThreshold[p] = (long) (zero * 0x1p53);
    }
    byte[][] cols = new byte[PIXELS][rows];
    Parallel.forEachBlock(rows, 4096, Parallel.defaultThreads(), (block, from, to) -> {
      UniformRandomProvider rng = RandomStreams.create(seed, block);
      for (int p = 0; p < PIXELS; p++) {
        byte[] col = cols[p];
        for (int i = from; i < to; i++) {
          col[i] = (rng.nextLong() >>> 11) < zeroThreshold[p] ? 0
              : (byte) (1 + nonZero.sample(rng));
        }
      }
    });
    return Dataset.of(schema, rows, cols);
  }

  /** The byte columns of a dataset whose features are all stored as bytes. */
  static byte[][] columns(Dataset data) {
    byte[][] cols = new byte[data.schema().size()][];
    for (int f = 0; f < cols.length; f++) {
      cols[f] = data.bytes(f);
    }
    return cols;
  }

  /** Each feature's number of levels. */
  static int[] cardinalities(Dataset data) {
    int[] k = new int[data.schema().size()];
    for (int f = 0; f < k.length; f++) {
      k[f] = data.schema().discrete(f).cardinality();
    }
    return k;
  }
}
