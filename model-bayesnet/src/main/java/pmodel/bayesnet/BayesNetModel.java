package pmodel.bayesnet;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.ConditionalSampler;
import pmodel.api.DependencyGraph;
import pmodel.api.ExactDensity;
import pmodel.api.Family;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.Parallel;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Binning;
import pmodel.api.data.Condition;
import pmodel.api.data.Dataset;
import pmodel.api.data.Discretizer;
import pmodel.api.data.Schema;
import pmodel.api.sampling.AliasTable;
import pmodel.api.params.Parameters;

/**
 * A fitted tree-structured Bayesian network: P(x) = Π_j θ_j(x_j | x_parent(j)), with the
 * conditional tables θ_j(b | a) = (n_j(a, b) + α)/(n(a) + α·K_j) from the counts of each family
 * (a root has θ(b) = (n(b) + α)/(N + α·K)). A parent value never seen has n(a) = 0; with α = 0 its
 * row would be 0/0, so it gets the uniform row 1/K_j, the α → 0 limit of the smoothed rule (such
 * a row is only reached by cells the model already gives probability zero).
 *
 * <p>Immutable. Scoring sums one table entry per feature; sampling is ancestral (parents first,
 * one alias table per family row); conditional sampling passes messages from the leaves up and
 * samples down, which is exact on a tree (belief propagation).
 */
final class BayesNetModel implements ExactDensity, ConditionalSampler, DependencyGraph {
  /** Rows per sampling block; each block has its own random stream (part of the seed contract). */
  static final int SAMPLE_BLOCK = 4096;
  /** Rows per scoring block. */
  static final int SCORE_BLOCK = 1024;

  private final Discretizer disc;
  private final Schema schema;
  private final Parameters params;
  private final int d;
  private final int[] k;
  private final int[] parent;
  /** Parents before children: roots in index order, then breadth first. */
  private final int[] order;
  private final int[][] children;
  private final long[] counts;
  private final int[] countOffset;
  private final long rows;
  /** log θ_j as its own array per feature, laid out as the counts (no bin-width offset). */
  private final double[][] logTheta;
  private final double logDensityOffset;
  /** I(X_j; X_parent(j)) in nats from the family's counts; 0 for a root. */
  private final double[] mutualInformation;
  /** The unconditional sampling tables: one per feature and parent value. */
  private final AliasTable[][] tables;

  BayesNetModel(Discretizer disc, Parameters params, int[] parent, long[] counts, long rows) {
    this.disc = disc;
    this.schema = disc.schema();
    this.params = params;
    this.d = schema.size();
    this.k = disc.cardinalities();
    this.parent = parent.clone();
    this.counts = counts;
    this.rows = rows;
    this.countOffset = countOffsets(k, parent);
    this.children = children(parent);
    this.order = topologicalOrder(parent, children);
    double alpha = params.real("alpha");
    this.logTheta = new double[d][];
    this.mutualInformation = new double[d];
    for (int j = 0; j < d; j++) {
      int kj = k[j];
      int kp = parent[j] < 0 ? 1 : k[parent[j]];
      double[] lt = new double[kp * kj];
      int off = countOffset[j];
      for (int a = 0; a < kp; a++) {
        long n = 0;
        for (int b = 0; b < kj; b++) {
          n += counts[off + a * kj + b];
        }
        double denom = n + alpha * kj;
        for (int b = 0; b < kj; b++) {
          lt[a * kj + b] = denom > 0 ? Math.log((counts[off + a * kj + b] + alpha) / denom)
              : -Math.log(kj);
        }
      }
      logTheta[j] = lt;
      if (parent[j] >= 0) {
        mutualInformation[j] = ChowLiu.mutualInformation(counts, off, kp, kj);
      }
    }
    this.logDensityOffset = disc.totalLogDensityOffset();
    this.tables = samplingTables(new int[d], new boolean[d]);
  }

  /** Where each feature's table starts in the concatenated counts; entry d is their total. */
  static int[] countOffsets(int[] k, int[] parent) {
    int[] off = new int[k.length + 1];
    for (int j = 0; j < k.length; j++) {
      long size = (long) k[j] * (parent[j] < 0 ? 1 : k[parent[j]]);
      off[j + 1] = Math.toIntExact(off[j] + size);
    }
    return off;
  }

  private static int[][] children(int[] parent) {
    int d = parent.length;
    int[] n = new int[d];
    for (int p : parent) {
      if (p >= 0) {
        n[p]++;
      }
    }
    int[][] out = new int[d][];
    for (int j = 0; j < d; j++) {
      out[j] = new int[n[j]];
      n[j] = 0;
    }
    for (int j = 0; j < d; j++) {
      if (parent[j] >= 0) {
        out[parent[j]][n[parent[j]]++] = j;
      }
    }
    return out;
  }

  /** Roots in index order, each followed breadth first by its tree. */
  private static int[] topologicalOrder(int[] parent, int[][] children) {
    int d = parent.length;
    int[] order = new int[d];
    int size = 0;
    for (int r = 0; r < d; r++) {
      if (parent[r] < 0) {
        int head = size;
        order[size++] = r;
        while (head < size) {
          for (int c : children[order[head++]]) {
            order[size++] = c;
          }
        }
      }
    }
    if (size != d) {
      throw new IllegalStateException("the parents do not form a forest");
    }
    return order;
  }

  Discretizer discretizer() {
    return disc;
  }

  long[] counts() {
    return counts;
  }

  long rows() {
    return rows;
  }

  /** The parent of every feature, -1 for a root. */
  int[] parents() {
    return parent.clone();
  }

  /** I(X_j; X_parent(j)) in nats; 0 for a root. */
  double mutualInformation(int j) {
    return mutualInformation[j];
  }

  /** θ_j(b | a): the probability of value b of feature j given value a of its parent. */
  double theta(int j, int a, int b) {
    return Math.exp(logTheta[j][a * k[j] + b]);
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
    return BayesNetProvider.ID;
  }

  @Override
  public Parameters hyperparameters() {
    return params;
  }

  /** (K_root − 1) per root plus K_parent·(K_j − 1) per child, plus the bin bounds. */
  @Override
  public BigInteger freeParameters() {
    long free = 0;
    for (int j = 0; j < d; j++) {
      free += (long) (parent[j] < 0 ? 1 : k[parent[j]]) * (k[j] - 1);
    }
    return BigInteger.valueOf(free + disc.boundParameters());
  }

  @Override
  public void logDensities(Dataset data, double[] out, int threads) {
    checkSchema(data);
    int n = data.rows();
    if (out.length < n) {
      throw new IllegalArgumentException("out has " + out.length + " slots for " + n + " rows");
    }
    Parallel.forEachBlock(n, SCORE_BLOCK, threads, (block, from, to) -> {
      int len = to - from;
      int[][] codes = new int[d][len];
      for (int f = 0; f < d; f++) {
        Codes.read(disc, data, f, from, to, codes[f]);
      }
      double[] sum = new double[len];
      for (int j = 0; j < d; j++) {
        int[] x = codes[j];
        double[] lt = logTheta[j];
        int kj = k[j];
        int p = parent[j];
        if (p < 0) {
          for (int r = 0; r < len; r++) {
            sum[r] += x[r] < 0 ? Double.NEGATIVE_INFINITY : lt[x[r]];
          }
        } else {
          int[] xp = codes[p];
          for (int r = 0; r < len; r++) {
            sum[r] += x[r] < 0 || xp[r] < 0 ? Double.NEGATIVE_INFINITY : lt[xp[r] * kj + x[r]];
          }
        }
      }
      for (int r = 0; r < len; r++) {
        out[from + r] = sum[r] + logDensityOffset;
      }
    });
  }

  private void checkSchema(Dataset data) {
    if (!data.schema().equals(schema)) {
      throw PmodelException.badInput("the data's schema differs from the model's ("
          + schema.difference(data.schema()) + ")");
    }
  }

  @Override
  public Dataset sample(int n, long seed, int threads) {
    return draw(n, tables, new int[d], new boolean[d], new double[d], seed, threads);
  }

  @Override
  public Dataset sample(int n, Condition given, long seed, int threads) {
    if (given.isEmpty()) {
      return sample(n, seed, threads);
    }
    int[] fixedCode = new int[d];
    boolean[] fixed = new boolean[d];
    double[] fixedValue = new double[d];
    for (int i = 0; i < given.size(); i++) {
      int f = given.feature(i);
      fixed[f] = true;
      if (disc.binned(f)) {
        fixedValue[f] = given.value(i);
        fixedCode[f] = disc.binning(f).bin(given.value(i));
        if (fixedCode[f] < 0) {
          throw zeroProbability(given);
        }
      } else {
        fixedCode[f] = given.code(i);
      }
    }
    AliasTable[][] conditional = samplingTables(fixedCode, fixed);
    if (conditional == null) {
      throw zeroProbability(given);
    }
    return draw(n, conditional, fixedCode, fixed, fixedValue, seed, threads);
  }

  /**
   * The tables of P(x_j | x_parent(j), evidence) for every free feature j and parent value, by
   * belief propagation: in reverse topological order each feature's upward message
   * log m_j(a) = log Σ_b θ_j(b | a)·e_j(b)·Π_{c child of j} m_c(b), with e_j the indicator of the
   * evidence (1 everywhere for a free feature). Then P(x_j = b | x_parent = a, evidence) ∝
   * θ_j(b | a)·e_j(b)·Π_c m_c(b), which ancestral sampling draws exactly. In logs, so that long
   * chains of evidence do not underflow. Null when the evidence has probability zero.
   * Cost: Σ_j K_parent·K_j, the size of the model.
   */
  private AliasTable[][] samplingTables(int[] fixedCode, boolean[] fixed) {
    double[][] local = new double[d][];
    double[][] message = new double[d][];
    for (int idx = d - 1; idx >= 0; idx--) {
      int j = order[idx];
      int kj = k[j];
      double[] up = new double[kj];
      if (fixed[j]) {
        Arrays.fill(up, Double.NEGATIVE_INFINITY);
        up[fixedCode[j]] = 0;
      }
      for (int c : children[j]) {
        double[] m = message[c];
        for (int b = 0; b < kj; b++) {
          up[b] += m[b];
        }
      }
      local[j] = up;
      int kp = parent[j] < 0 ? 1 : k[parent[j]];
      double[] m = new double[kp];
      double[] lt = logTheta[j];
      for (int a = 0; a < kp; a++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int b = 0; b < kj; b++) {
          max = Math.max(max, lt[a * kj + b] + up[b]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
          m[a] = max;
          continue;
        }
        double s = 0;
        for (int b = 0; b < kj; b++) {
          s += Math.exp(lt[a * kj + b] + up[b] - max);
        }
        m[a] = max + Math.log(s);
      }
      message[j] = m;
      if (parent[j] < 0 && m[0] == Double.NEGATIVE_INFINITY) {
        return null;
      }
    }
    AliasTable[][] out = new AliasTable[d][];
    for (int j = 0; j < d; j++) {
      if (fixed[j]) {
        continue;
      }
      int kj = k[j];
      int kp = parent[j] < 0 ? 1 : k[parent[j]];
      out[j] = new AliasTable[kp];
      double[] lt = logTheta[j];
      double[] up = local[j];
      double[] w = new double[kj];
      for (int a = 0; a < kp; a++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int b = 0; b < kj; b++) {
          max = Math.max(max, lt[a * kj + b] + up[b]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
          continue; // a parent value the evidence rules out: never drawn
        }
        for (int b = 0; b < kj; b++) {
          w[b] = Math.exp(lt[a * kj + b] + up[b] - max);
        }
        out[j][a] = AliasTable.of(w);
      }
    }
    return out;
  }

  private Dataset draw(int n, AliasTable[][] tab, int[] fixedCode, boolean[] fixed,
      double[] fixedValue, long seed, int threads) {
    if (n < 0) {
      throw PmodelException.badInput("cannot draw " + n + " samples; expected n >= 0");
    }
    Object[] cols = new Object[d];
    for (int f = 0; f < d; f++) {
      cols[f] = Dataset.newColumn(schema.feature(f), n);
    }
    Parallel.forEachBlock(n, SAMPLE_BLOCK, threads, (block, from, to) -> {
      UniformRandomProvider rng = RandomStreams.create(seed, block);
      int len = to - from;
      int[][] codes = new int[d][];
      for (int j : order) {
        int[] x = new int[len];
        codes[j] = x;
        Object col = cols[j];
        if (fixed[j]) {
          Arrays.fill(x, fixedCode[j]);
          if (col instanceof byte[] b) {
            Arrays.fill(b, from, to, (byte) fixedCode[j]);
          } else if (col instanceof int[] a) {
            Arrays.fill(a, from, to, fixedCode[j]);
          } else {
            Arrays.fill((double[]) col, from, to, fixedValue[j]);
          }
          continue;
        }
        AliasTable[] t = tab[j];
        if (parent[j] < 0) {
          AliasTable root = t[0];
          for (int r = 0; r < len; r++) {
            x[r] = root.sample(rng);
          }
        } else {
          int[] xp = codes[parent[j]];
          for (int r = 0; r < len; r++) {
            x[r] = t[xp[r]].sample(rng);
          }
        }
        if (col instanceof byte[] b) {
          for (int r = 0; r < len; r++) {
            b[from + r] = (byte) x[r];
          }
        } else if (col instanceof int[] a) {
          System.arraycopy(x, 0, a, from, len);
        } else {
          double[] v = (double[]) col;
          Binning bin = disc.binning(j);
          for (int r = 0; r < len; r++) {
            v[from + r] = bin.valueIn(x[r], rng.nextDouble());
          }
        }
      }
    });
    return Dataset.of(schema, n, cols);
  }

  private PmodelException zeroProbability(Condition given) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < given.size(); i++) {
      int f = given.feature(i);
      sb.append(i == 0 ? "" : ", ").append(schema.feature(f).name()).append('=')
          .append(disc.binned(f) ? Double.toString(given.value(i))
              : schema.discrete(f).level(given.code(i)));
    }
    return PmodelException.badInput("--given " + sb + " has probability zero under the model;"
        + " cannot condition on it");
  }

  /** The tree's edges by decreasing mutual information (ties by the child's index). */
  @Override
  public List<Edge> edges() {
    List<Edge> out = new ArrayList<>();
    for (int j : byMutualInformation()) {
      if (parent[j] >= 0) {
        out.add(new Edge(parent[j], j, mutualInformation[j]));
      }
    }
    return out;
  }

  @Override
  public String weightName() {
    return "mutual information (nats)";
  }

  private Integer[] byMutualInformation() {
    Integer[] byMi = new Integer[d];
    for (int j = 0; j < d; j++) {
      byMi[j] = j;
    }
    Arrays.sort(byMi, (a, b) -> {
      int c = Double.compare(mutualInformation[b], mutualInformation[a]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    return byMi;
  }

  /**
   * The structure: a summary line, then the edges (parent → child) by decreasing mutual
   * information.
   */
  @Override
  public List<String> describe(int limit) {
    List<String> out = new ArrayList<>();
    if (limit <= 0) {
      return out;
    }
    int edges = 0;
    double total = 0;
    List<String> roots = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      if (parent[j] >= 0) {
        edges++;
        total += mutualInformation[j];
      } else {
        roots.add(schema.feature(j).name());
      }
    }
    out.add(String.format("%s: %d edges, total mutual information %.4f nats, root %s",
        BayesNetProvider.isPrivate(params) ? "private tree (epsilon=" + params.real("epsilon")
            + ", exponential mechanism, noisy counts)" : "Chow-Liu tree", edges, total,
        roots.size() <= 3 ? String.join(", ", roots) : roots.size() + " roots"));
    for (int j : byMutualInformation()) {
      if (out.size() >= limit) {
        break;
      }
      if (parent[j] >= 0) {
        out.add(String.format("%s -> %s: I = %.4f nats", schema.feature(parent[j]).name(),
            schema.feature(j).name(), mutualInformation[j]));
      }
    }
    return out;
  }
}
