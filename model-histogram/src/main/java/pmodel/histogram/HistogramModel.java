package pmodel.histogram;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.ConditionalSampler;
import pmodel.api.ExactDensity;
import pmodel.api.Family;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.Parallel;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Condition;
import pmodel.api.data.Dataset;
import pmodel.api.data.Discretizer;
import pmodel.api.data.ProductSpace;
import pmodel.api.data.Schema;
import pmodel.api.sampling.AliasTable;
import pmodel.api.params.Parameters;

/**
 * A fitted histogram: θ_j = (n_j + α)/(N + α·d) for each of the d cells of the product space.
 *
 * <p>Dense storage keeps θ for every cell and samples with one alias table over all cells.
 * Sparse storage keeps counts of the observed cells only and uses that the smoothed histogram is
 * a mixture: the empirical distribution with weight N/(N + α·d) and the uniform distribution over
 * all d cells with weight α·d/(N + α·d). Both give exact probabilities and exact samples at any
 * size, with log(N + α·d) computed in log space when d overflows a double.
 */
final class HistogramModel implements ExactDensity, ConditionalSampler {
  static final int SAMPLE_BLOCK = 4096;
  static final int SCORE_BLOCK = 1024;

  private final Discretizer disc;
  private final Schema schema;
  private final Parameters params;
  private final long rows;
  private final double alpha;
  private final ProductSpace space;
  private final int dims;
  private final int[] cardinality;
  private final double densityOffset;
  private final boolean allBytes;

  // dense storage
  private final long[] counts;
  private final double[] logTheta;
  private final AliasTable cells;
  private final byte[][] featureCodes; // featureCodes[f][c]: feature f's code in cell c (bytes)

  // sparse storage
  private final RowTable table;
  private final CellKeys keys;
  private final AliasTable empirical;
  private final double logDenominator;
  private final double empiricalWeight;

  HistogramModel(Discretizer disc, Parameters params, long rows, long[] denseCounts,
      RowTable sparse) {
    this.disc = disc;
    this.schema = disc.schema();
    this.params = params;
    this.rows = rows;
    this.alpha = params.real("alpha");
    this.cardinality = disc.cardinalities();
    this.space = ProductSpace.of(cardinality);
    this.dims = cardinality.length;
    this.densityOffset = disc.totalLogDensityOffset();
    boolean bytes = true;
    for (int f = 0; f < dims; f++) {
      bytes &= !disc.binned(f) && cardinality[f] <= 256;
    }
    this.allBytes = bytes;
    double logD = space.logSize();
    this.logDenominator = alpha > 0 ? logAddExp(Math.log(rows), Math.log(alpha) + logD)
        : Math.log(rows);
    if (denseCounts != null) {
      int d = denseCounts.length;
      this.counts = denseCounts;
      this.logTheta = new double[d];
      double[] w = new double[d];
      double denom = rows + alpha * d;
      for (int c = 0; c < d; c++) {
        w[c] = denseCounts[c] + alpha;
        logTheta[c] = Math.log(w[c] / denom);
      }
      this.cells = AliasTable.of(w);
      if (allBytes && (long) d * dims <= 1 << 26) {
        featureCodes = new byte[dims][d];
        int[] codes = new int[dims];
        for (int c = 0; c < d; c++) {
          space.decode(c, codes);
          for (int f = 0; f < dims; f++) {
            featureCodes[f][c] = (byte) codes[f];
          }
        }
      } else {
        featureCodes = null;
      }
      this.table = null;
      this.keys = null;
      this.empirical = null;
      this.empiricalWeight = 1;
    } else {
      this.counts = null;
      this.logTheta = null;
      this.cells = null;
      this.featureCodes = null;
      this.table = sparse;
      this.keys = new CellKeys(disc);
      double[] w = new double[sparse.size()];
      for (int e = 0; e < w.length; e++) {
        w[e] = sparse.count(e);
      }
      this.empirical = AliasTable.of(w);
      this.empiricalWeight = Math.exp(Math.log(rows) - logDenominator);
    }
  }

  static double logAddExp(double a, double b) {
    double m = Math.max(a, b);
    if (m == Double.NEGATIVE_INFINITY) {
      return m;
    }
    return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
  }

  Discretizer discretizer() {
    return disc;
  }

  boolean dense() {
    return counts != null;
  }

  long rows() {
    return rows;
  }

  long[] denseCounts() {
    return counts;
  }

  RowTable table() {
    return table;
  }

  /** θ of a cell of a dense histogram. */
  double theta(int cell) {
    return Math.exp(logTheta[cell]);
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public Family family() {
    return Family.EXPLICIT_TRACTABLE;
  }

  @Override
  public String providerId() {
    return HistogramProvider.ID;
  }

  @Override
  public Parameters hyperparameters() {
    return params;
  }

  @Override
  public BigInteger freeParameters() {
    // closed form: one power per distinct cardinality (a product of 2^20 factors never ends)
    BigInteger d = pmodel.api.data.Magnitudes.product(cardinality);
    return d.subtract(BigInteger.ONE).add(BigInteger.valueOf(disc.boundParameters()));
  }

  // ---------------------------------------------------------------------------------------------
  // scoring

  @Override
  public void logDensities(Dataset data, double[] out, int threads) {
    if (!data.schema().equals(schema)) {
      throw PmodelException.badInput("the data's schema differs from the model's ("
          + schema.difference(data.schema()) + ")");
    }
    int n = data.rows();
    if (out.length < n) {
      throw new IllegalArgumentException("out has " + out.length + " slots for " + n + " rows");
    }
    Parallel.forEachBlock(n, SCORE_BLOCK, threads, (block, from, to) -> {
      if (counts != null) {
        scoreDense(data, from, to, out);
      } else {
        scoreSparse(data, from, to, out);
      }
    });
  }

  private void scoreDense(Dataset data, int from, int to, double[] out) {
    int n = to - from;
    int[] cell = new int[n];
    boolean[] valid = new boolean[n];
    HistogramStatistics.cellIndices(disc, space, data, from, to, cell, valid, new int[n]);
    for (int i = 0; i < n; i++) {
      out[from + i] = valid[i] ? logTheta[cell[i]] + densityOffset : Double.NEGATIVE_INFINITY;
    }
  }

  private void scoreSparse(Dataset data, int from, int to, double[] out) {
    int n = to - from;
    int w = keys.width();
    byte[] k = new byte[n * w];
    boolean[] valid = new boolean[n];
    keys.encode(data, from, to, k, valid, new int[n]);
    for (int i = 0; i < n; i++) {
      if (!valid[i]) {
        out[from + i] = Double.NEGATIVE_INFINITY;
        continue;
      }
      int e = table.find(k, i * w);
      double c = e < 0 ? 0 : table.count(e);
      out[from + i] = Math.log(c + alpha) - logDenominator + densityOffset;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // sampling

  @Override
  public Dataset sample(int n, long seed, int threads) {
    return sample(n, Condition.none(), seed, threads);
  }

  @Override
  public Dataset sample(int n, Condition given, long seed, int threads) {
    if (n < 0) {
      throw PmodelException.badInput("cannot draw " + n + " samples; expected n >= 0");
    }
    Object[] cols = new Object[dims];
    for (int f = 0; f < dims; f++) {
      cols[f] = Dataset.newColumn(schema.feature(f), n);
    }
    Fixed fixed = Fixed.of(this, given);
    if (counts != null) {
      AliasTable table = given.isEmpty() ? cells : conditionalCells(fixed);
      Parallel.forEachBlock(n, SAMPLE_BLOCK, threads, (block, from, to) -> {
        UniformRandomProvider rng = RandomStreams.create(seed, block);
        if (featureCodes != null) {
          sampleDenseBytes(table, rng, cols, from, to);
        } else {
          int[] codes = new int[dims];
          for (int i = from; i < to; i++) {
            space.decode(table.sample(rng), codes);
            emit(cols, i, codes, rng, fixed, false);
          }
        }
      });
    } else {
      Sparse plan = given.isEmpty() ? new Sparse(empirical, empiricalWeight) : conditional(fixed);
      // Byte columns are written directly; the others (int codes, continuous values drawn
      // inside their bins) go through emit, in feature order, so the draws stay in one order.
      byte[][] direct = new byte[dims][];
      boolean others = false;
      for (int f = 0; f < dims; f++) {
        if (cols[f] instanceof byte[] b) {
          direct[f] = b;
        } else {
          others = true;
        }
      }
      boolean emitOthers = others;
      Parallel.forEachBlock(n, SAMPLE_BLOCK, threads, (block, from, to) -> {
        UniformRandomProvider rng = RandomStreams.create(seed, block);
        int[] codes = new int[dims];
        byte[] k = table.keys();
        int w = keys.width();
        for (int i = from; i < to; i++) {
          if (rng.nextDouble() < plan.empiricalWeight) {
            int at = plan.entries.sample(rng) * w;
            for (int f = 0; f < dims; f++) {
              int v = keys.value(k, at, f);
              if (direct[f] != null) {
                direct[f][i] = (byte) v;
              } else {
                codes[f] = v;
              }
            }
          } else {
            for (int f = 0; f < dims; f++) {
              int v = fixed.at[f] >= 0 ? fixed.code[f] : rng.nextInt(cardinality[f]);
              if (direct[f] != null) {
                direct[f][i] = (byte) v;
              } else {
                codes[f] = v;
              }
            }
          }
          if (emitOthers) {
            emit(cols, i, codes, rng, fixed, true);
          }
        }
      });
    }
    return Dataset.of(schema, n, cols);
  }

  /** The hot loop of dense sampling when every feature is a byte: one table read per value. */
  private void sampleDenseBytes(AliasTable table, UniformRandomProvider rng, Object[] cols,
      int from, int to) {
    int[] cell = new int[to - from];
    table.sample(rng, cell, 0, to - from);
    for (int f = 0; f < dims; f++) {
      byte[] out = (byte[]) cols[f];
      byte[] codes = featureCodes[f];
      for (int i = from; i < to; i++) {
        out[i] = codes[cell[i - from]];
      }
    }
  }

  /**
   * Writes one row's discrete values, drawing continuous values uniformly inside their bins;
   * with {@code skipBytes}, byte columns are left alone (the caller has written them).
   */
  private void emit(Object[] cols, int i, int[] codes, UniformRandomProvider rng, Fixed fixed,
      boolean skipBytes) {
    for (int f = 0; f < dims; f++) {
      Object col = cols[f];
      if (col instanceof byte[] b) {
        if (!skipBytes) {
          b[i] = (byte) codes[f];
        }
      } else if (col instanceof int[] a) {
        a[i] = codes[f];
      } else {
        ((double[]) col)[i] = fixed.at[f] >= 0 ? fixed.value[f]
            : disc.binning(f).valueIn(codes[f], rng.nextDouble());
      }
    }
  }

  /** The fixed features of a condition, as discrete values (bins for continuous features). */
  private record Fixed(int[] at, int[] code, double[] value, String text) {
    static Fixed of(HistogramModel m, Condition given) {
      int[] at = given.positions(m.dims);
      int[] code = new int[m.dims];
      double[] value = new double[m.dims];
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < given.size(); i++) {
        int f = given.feature(i);
        text.append(i == 0 ? "" : ", ").append(m.schema.feature(f).name()).append('=');
        if (m.disc.binned(f)) {
          value[f] = given.value(i);
          code[f] = m.disc.binning(f).bin(value[f]);
          text.append(value[f]);
        } else {
          code[f] = given.code(i);
          text.append(m.schema.discrete(f).level(code[f]));
        }
      }
      Fixed fixed = new Fixed(at, code, value, text.toString());
      for (int f = 0; f < m.dims; f++) {
        if (at[f] >= 0 && code[f] < 0) {
          throw zeroProbability(fixed);
        }
      }
      return fixed;
    }
  }

  private static PmodelException zeroProbability(Fixed fixed) {
    return PmodelException.badInput("--given " + fixed.text + " has probability zero under the"
        + " model; cannot condition on it");
  }

  private AliasTable conditionalCells(Fixed fixed) {
    int d = counts.length;
    double[] w = new double[d];
    int[] codes = new int[dims];
    double total = 0;
    for (int c = 0; c < d; c++) {
      space.decode(c, codes);
      boolean match = true;
      for (int f = 0; f < dims && match; f++) {
        match = fixed.at[f] < 0 || codes[f] == fixed.code[f];
      }
      if (match) {
        w[c] = counts[c] + alpha;
        total += w[c];
      }
    }
    if (!(total > 0)) {
      throw zeroProbability(fixed);
    }
    return AliasTable.of(w);
  }

  /** A sparse sampling plan: the empirical part's entries and weight. */
  private record Sparse(AliasTable entries, double empiricalWeight) {
  }

  /**
   * The sparse conditional: observed cells that match, with total count M, against the uniform
   * part over the free features' d_free cells: weights M and α·d_free.
   */
  private Sparse conditional(Fixed fixed) {
    int u = table.size();
    int w = keys.width();
    byte[] k = table.keys();
    double[] weights = new double[Math.max(1, u)];
    double matched = 0;
    double logFree = 0;
    for (int f = 0; f < dims; f++) {
      if (fixed.at[f] < 0) {
        logFree += Math.log(cardinality[f]);
      }
    }
    for (int e = 0; e < u; e++) {
      boolean match = true;
      for (int f = 0; f < dims && match; f++) {
        match = fixed.at[f] < 0 || keys.value(k, e * w, f) == fixed.code[f];
      }
      if (match) {
        weights[e] = table.count(e);
        matched += weights[e];
      }
    }
    if (matched == 0 && alpha == 0) {
      throw zeroProbability(fixed);
    }
    double logM = Math.log(matched);
    double empWeight = matched == 0 ? 0
        : Math.exp(logM - logAddExp(logM, Math.log(alpha) + logFree));
    if (matched == 0) {
      weights[0] = 1; // never used: the empirical weight is 0
    }
    return new Sparse(AliasTable.of(weights), empWeight);
  }

  // ---------------------------------------------------------------------------------------------

  @Override
  public List<String> describe(int limit) {
    int entries = counts != null ? counts.length : table.size();
    Integer[] order = new Integer[entries];
    for (int i = 0; i < entries; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(countOf(b), countOf(a)));
    List<String> out = new ArrayList<>();
    int[] codes = new int[dims];
    for (int j = 0; j < Math.min(limit, entries); j++) {
      int e = order[j];
      long c = countOf(e);
      if (c == 0) {
        break;
      }
      if (counts != null) {
        space.decode(e, codes);
      } else {
        for (int f = 0; f < dims; f++) {
          codes[f] = keys.value(table.keys(), e * keys.width(), f);
        }
      }
      double logP = Math.log(c + alpha) - logDenominator;
      StringBuilder sb = new StringBuilder(String.format("theta=%.6g n=%d: ", Math.exp(logP), c));
      for (int f = 0; f < Math.min(dims, 8); f++) {
        sb.append(f == 0 ? "" : ", ").append(schema.feature(f).name()).append('=');
        sb.append(disc.binned(f) ? "bin " + codes[f] : schema.discrete(f).level(codes[f]));
      }
      if (dims > 8) {
        sb.append(", ... (").append(dims).append(" features)");
      }
      out.add(sb.toString());
    }
    return out;
  }

  private long countOf(int entry) {
    return counts != null ? counts[entry] : table.count(entry);
  }
}
