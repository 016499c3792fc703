package pmodel.tck;

import java.math.BigInteger;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.Capability;
import pmodel.api.ConditionalSampler;
import pmodel.api.DensityBound;
import pmodel.api.ExactDensity;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.LatentSpace;
import pmodel.api.compute.Parallel;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Condition;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.ParameterSpec;
import pmodel.api.params.Parameters;
import pmodel.api.spi.StateReader;
import pmodel.api.spi.StateWriter;
import pmodel.api.spi.Support;

/**
 * Test-only providers for the kit's own tests: a mixture of two product-of-categoricals
 * components (rows are split by the parity of their first feature), offered as an exact model,
 * as a bound model (an ELBO with a deliberately imperfect, tempered posterior) with a latent
 * space, or as an implicit model (a sampler only). Each {@link Defect} plants one bug that some
 * check of the kit must catch.
 */
final class ToyProvider implements ModelProvider {
  enum Kind { EXACT, BOUND, IMPLICIT }

  /** Bugs the kit must catch. */
  enum Defect {
    SUM_NOT_ONE, WRONG_SAMPLER, PRIOR_NOT_POSTERIOR, THREAD_DEPENDENT, NOT_THREAD_SAFE,
    BOUND_ABOVE, LOOSENS_WITH_K, CLAIMS_DENSITY, READ_CRASHES, BAD_DEFAULT, CAPABILITY_LIE,
    BLANK_REASON, UNREPRODUCIBLE_FIT, CRASHES_AT_MINIMUM, DROPS_GIVEN
  }

  private static final AtomicInteger FITS = new AtomicInteger();
  static final int BLOCK = 1024;

  final Kind kind;
  final Set<Defect> defects;

  ToyProvider(Kind kind, Defect... defects) {
    this.kind = kind;
    this.defects = defects.length == 0 ? EnumSet.noneOf(Defect.class)
        : EnumSet.of(defects[0], defects);
  }

  boolean has(Defect d) {
    return defects.contains(d);
  }

  @Override
  public String id() {
    return "toy-" + kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public Family family() {
    return switch (kind) {
      case EXACT -> Family.EXPLICIT_TRACTABLE;
      case BOUND -> Family.EXPLICIT_APPROXIMATE;
      case IMPLICIT -> Family.IMPLICIT;
    };
  }

  @Override
  public String description() {
    return "a two-component mixture for the kit's own tests";
  }

  @Override
  public int apiVersion() {
    return API_VERSION;
  }

  @Override
  public Set<Capability> capabilities() {
    Set<Capability> c = EnumSet.of(Capability.SAMPLING);
    switch (kind) {
      case EXACT -> {
        c.add(Capability.EXACT_DENSITY);
        c.add(Capability.CONDITIONAL_SAMPLING);
      }
      case BOUND -> {
        c.add(Capability.DENSITY_BOUND);
        c.add(Capability.LATENT_DECODING);
        c.add(Capability.LATENT_SPACE);
      }
      default -> {
        if (has(Defect.CLAIMS_DENSITY)) {
          c.add(Capability.EXACT_DENSITY);
        }
      }
    }
    if (has(Defect.CAPABILITY_LIE)) {
      c.add(Capability.LATENT_SPACE);
    }
    return c;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(
        ParameterSpec.real("alpha", has(Defect.BAD_DEFAULT) ? -1 : 1, 0, false, 1e6,
            "additive smoothing of every categorical"),
        ParameterSpec.bool("tempered", true, "bound models: q(c|x) is the posterior to the"
            + " power 1/2 (an imperfect q, so the bound is strict)"));
  }

  @Override
  public Support supports(Schema schema, Parameters params) {
    if (!schema.allDiscrete()) {
      return Support.no(has(Defect.BLANK_REASON) ? " " : "toy models need discrete features");
    }
    return Support.yes();
  }

  @Override
  public GenerativeModel fit(Dataset data, Parameters params, FitContext context) {
    double alpha = params.real("alpha");
    if (has(Defect.CRASHES_AT_MINIMUM) && alpha < 1e-300) {
      throw new ArithmeticException("alpha underflows");
    }
    Schema s = data.schema();
    long[] n = new long[2];
    long[] counts = new long[2 * offsets(s)[s.size()]];
    count(data, 0, data.rows(), n, counts);
    return fromCounts(s, params, n, counts);
  }

  /**
   * Adds rows [from, to) to the component sizes {@code n} and the per-component value counts
   * {@code counts} (component c = the parity of the first feature's code).
   */
  static void count(Dataset data, int from, int to, long[] n, long[] counts) {
    int d = data.schema().size();
    int[] off = offsets(data.schema());
    for (int i = from; i < to; i++) {
      int c = data.code(i, 0) % 2;
      n[c]++;
      for (int f = 0; f < d; f++) {
        counts[c * off[d] + off[f] + data.code(i, f)]++;
      }
    }
  }

  /** The model of counts made by {@link #count}. */
  GenerativeModel fromCounts(Schema s, Parameters params, long[] n, long[] counts) {
    double alpha = params.real("alpha");
    int d = s.size();
    int[] off = offsets(s);
    double[] theta = new double[counts.length];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = counts[i];
    }
    for (int c = 0; c < 2; c++) {
      for (int f = 0; f < d; f++) {
        int k = s.discrete(f).cardinality();
        for (int l = 0; l < k; l++) {
          int i = c * off[d] + off[f] + l;
          theta[i] = (theta[i] + alpha) / (n[c] + alpha * k);
        }
      }
    }
    double pi0 = (n[0] + 1.0) / (n[0] + n[1] + 2.0);
    if (has(Defect.UNREPRODUCIBLE_FIT) && FITS.incrementAndGet() % 2 == 0) {
      pi0 = pi0 * 0.9;
    }
    return Model.of(this, s, params, new double[] {pi0, 1 - pi0}, theta);
  }

  static int[] offsets(Schema s) {
    int[] off = new int[s.size() + 1];
    for (int f = 0; f < s.size(); f++) {
      off[f + 1] = off[f] + s.discrete(f).cardinality();
    }
    return off;
  }

  @Override
  public void write(GenerativeModel model, StateWriter out) {
    Model m = (Model) model;
    out.putDoubles("pi", m.pi);
    out.putDoubles("theta", m.theta);
  }

  @Override
  public GenerativeModel read(StateReader in) {
    Schema s = in.schema();
    int[] off = offsets(s);
    double[] pi = in.getDoubles("pi", 2);
    double[] theta;
    if (has(Defect.READ_CRASHES)) {
      theta = in.getDoubles("theta", (int) in.length("theta"));
      double check = theta[2 * off[s.size()] - 1]; // trusts the stored length
      if (check < 0) {
        throw in.corrupt("negative");
      }
    } else {
      theta = in.getDoubles("theta", 2 * off[s.size()]);
    }
    for (double v : theta) {
      if (!(v > 0 && v <= 1)) {
        throw in.corrupt("a probability in 'theta' is " + v + "; expected (0, 1]");
      }
    }
    if (!(pi[0] > 0 && pi[1] > 0 && Math.abs(pi[0] + pi[1] - 1) < 1e-9)) {
      throw in.corrupt("'pi' is not a distribution");
    }
    return Model.of(this, s, in.hyperparameters(), pi, theta);
  }

  /** The fitted mixture; which interfaces it shows depends on the provider's kind. */
  static class Model implements GenerativeModel {
    final ToyProvider provider;
    final Schema schema;
    final Parameters params;
    final double[] pi;
    final double[] theta;
    final int[] off;
    private volatile boolean busy;

    Model(ToyProvider provider, Schema schema, Parameters params, double[] pi, double[] theta) {
      this.provider = provider;
      this.schema = schema;
      this.params = params;
      this.pi = pi;
      this.theta = theta;
      this.off = offsets(schema);
    }

    static GenerativeModel of(ToyProvider p, Schema schema, Parameters params, double[] pi,
        double[] theta) {
      return switch (p.kind) {
        case EXACT -> new Exact(p, schema, params, pi, theta);
        case BOUND -> new Bound(p, schema, params, pi, theta);
        case IMPLICIT -> p.has(Defect.CLAIMS_DENSITY) ? new Exact(p, schema, params, pi, theta)
            : new Model(p, schema, params, pi, theta);
      };
    }

    double theta(int c, int f, int l) {
      return theta[c * off[schema.size()] + off[f] + l];
    }

    /** log π_c + log p(row | c). */
    double logJoint(Dataset data, int row, int c) {
      double s = Math.log(pi[c]);
      for (int f = 0; f < schema.size(); f++) {
        s += Math.log(theta(c, f, data.code(row, f)));
      }
      return s;
    }

    @Override
    public Schema schema() {
      return schema;
    }

    @Override
    public Family family() {
      return provider.family();
    }

    @Override
    public String providerId() {
      return provider.id();
    }

    @Override
    public Parameters hyperparameters() {
      return params;
    }

    @Override
    public BigInteger freeParameters() {
      return BigInteger.valueOf(1 + 2L * (off[schema.size()] - schema.size()));
    }

    @Override
    public Dataset sample(int n, long seed, int threads) {
      return sample(n, Condition.none(), seed, threads);
    }

    Dataset sample(int n, Condition given, long seed, int threads) {
      if (provider.has(Defect.NOT_THREAD_SAFE)) {
        boolean clash = busy;
        busy = true;
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        busy = false;
        if (clash) {
          seed++;
        }
      }
      long streamSeed = provider.has(Defect.THREAD_DEPENDENT) ? seed + threads : seed;
      int d = schema.size();
      int[] pos = given.positions(d);
      // P(c | given) by Bayes' rule
      double[] w = pi.clone();
      if (!provider.has(Defect.PRIOR_NOT_POSTERIOR)) {
        for (int c = 0; c < 2; c++) {
          for (int g = 0; g < given.size(); g++) {
            w[c] *= theta(c, given.feature(g), given.code(g));
          }
        }
      }
      double p0 = w[0] / (w[0] + w[1]);
      byte[][] cols = new byte[d][n];
      Parallel.forEachBlock(n, BLOCK, threads, (block, from, to) -> {
        UniformRandomProvider rng = RandomStreams.create(streamSeed, block);
        for (int i = from; i < to; i++) {
          int c = rng.nextDouble() < p0 ? 0 : 1;
          for (int f = 0; f < d; f++) {
            if (pos[f] >= 0 && !provider.has(Defect.DROPS_GIVEN)) {
              cols[f][i] = (byte) given.code(pos[f]);
              continue;
            }
            int k = schema.discrete(f).cardinality();
            if (provider.has(Defect.WRONG_SAMPLER)) {
              cols[f][i] = (byte) rng.nextInt(k);
              continue;
            }
            double u = rng.nextDouble();
            int l = 0;
            while (l < k - 1 && (u -= theta(c, f, l)) > 0) {
              l++;
            }
            cols[f][i] = (byte) l;
          }
        }
      });
      return Dataset.of(schema, n, cols);
    }
  }

  /** The exact model: log p(x) = log Σ_c π_c p(x | c). */
  static final class Exact extends Model implements ExactDensity, ConditionalSampler {
    Exact(ToyProvider p, Schema s, Parameters params, double[] pi, double[] theta) {
      super(p, s, params, pi, theta);
    }

    @Override
    public void logDensities(Dataset data, double[] out, int threads) {
      for (int i = 0; i < data.rows(); i++) {
        double a = logJoint(data, i, 0);
        double b = logJoint(data, i, 1);
        double m = Math.max(a, b);
        out[i] = m + Math.log(Math.exp(a - m) + Math.exp(b - m))
            + (provider.has(Defect.SUM_NOT_ONE) ? 0.01 : 0);
      }
    }

    @Override
    public Dataset sample(int n, Condition given, long seed, int threads) {
      return super.sample(n, given, seed, threads);
    }
  }

  /**
   * The bound model: the ELBO with q(c | x) ∝ P(c | x)^(1/2) (tempered, so imperfect) or the
   * exact posterior, estimated from one draw of c; the importance-weighted estimate averages k
   * weights π_c p(x|c) / q(c|x).
   */
  static final class Bound extends Model implements DensityBound, LatentSpace {
    Bound(ToyProvider p, Schema s, Parameters params, double[] pi, double[] theta) {
      super(p, s, params, pi, theta);
    }

    /** q(c = 0 | row). */
    double q0(Dataset data, int row) {
      double a = logJoint(data, row, 0);
      double b = logJoint(data, row, 1);
      double t = params.bool("tempered") ? 0.5 : 1;
      return 1 / (1 + Math.exp(t * (b - a)));
    }

    @Override
    public void lowerBounds(Dataset data, double[] out, long seed) {
      importanceWeighted(data, 1, out, seed);
      if (provider.has(Defect.BOUND_ABOVE)) {
        for (int i = 0; i < data.rows(); i++) {
          double a = logJoint(data, i, 0);
          double b = logJoint(data, i, 1);
          double m = Math.max(a, b);
          out[i] = m + Math.log(Math.exp(a - m) + Math.exp(b - m)) + 0.2;
        }
      }
    }

    @Override
    public void importanceWeighted(Dataset data, int k, double[] out, long seed) {
      UniformRandomProvider rng = RandomStreams.create(seed, 0);
      for (int i = 0; i < data.rows(); i++) {
        double q0 = q0(data, i);
        double[] logW = new double[k];
        for (int j = 0; j < k; j++) {
          int c = rng.nextDouble() < q0 ? 0 : 1;
          logW[j] = logJoint(data, i, c) - Math.log(c == 0 ? q0 : 1 - q0);
        }
        out[i] = KitMath.logSumExp(logW) - Math.log(k)
            - (provider.has(Defect.LOOSENS_WITH_K) ? 0.5 * Math.log(k) : 0);
      }
    }

    @Override
    public int latentDimension() {
      return 1;
    }

    @Override
    public double[] encode(Dataset data) {
      double[] z = new double[data.rows()];
      for (int i = 0; i < z.length; i++) {
        z[i] = 1 - q0(data, i);
      }
      return z;
    }

    @Override
    public Dataset decode(double[] latent, int count) {
      byte[][] cols = new byte[schema.size()][count];
      for (int i = 0; i < count; i++) {
        int c = latent[i] < 0.5 ? 0 : 1;
        for (int f = 0; f < schema.size(); f++) {
          int best = 0;
          for (int l = 1; l < schema.discrete(f).cardinality(); l++) {
            if (theta(c, f, l) > theta(c, f, best)) {
              best = l;
            }
          }
          cols[f][i] = (byte) best;
        }
      }
      return Dataset.of(schema, count, cols);
    }
  }
}
