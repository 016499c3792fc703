package pmodel.diffusion;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.ConditionalSampler;
import pmodel.api.DensityBound;
import pmodel.api.Family;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Condition;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.api.params.Parameters;

/**
 * A fitted DDPM over real columns: the columns standardized (x − mean)/sd, a trained noise
 * network ε_θ, a fixed {@link NoiseSchedule}, and the sampler chosen by the hyperparameters
 * ({@code sampler}, {@code sample-steps}, {@code eta}; {@link #sample(int, long, Sampler,
 * IntConsumer)} takes any other).
 *
 * <p>Likelihood: {@link #lowerBounds} is −L − Σ_j log sd_j per row, where L is the
 * {@link VariationalBound} of the standardized row and the second term is the log-Jacobian of
 * the standardization, so the figure is in nats per row of the original data. With
 * {@code bound-terms} = 0 it sums all T terms; with m > 0 it is the unbiased importance-sampled
 * estimate over t (m steps per row), whose Monte Carlo standard error {@link #bound} reports.
 * {@link #importanceWeighted} is the importance-weighted bound over k reverse trajectories.
 *
 * <p>Immutable; holds only Java arrays; every call opens and closes its own native memory.
 * Random draws come from streams of (seed, block) for samples and (seed, row) for bounds, so
 * results do not depend on the thread count.
 */
final class DiffusionModel implements DensityBound, ConditionalSampler {
  /** Rows sampled together (one random stream each). */
  static final int SAMPLE_BLOCK = 2048;
  /** Rows bounded together. */
  static final int BOUND_BLOCK = 512;
  /** Network evaluations per pass of the importance-sampled estimates. */
  static final int POINTS_PER_PASS = 8192;
  static final long SAMPLE_STREAM = 0x5a3d1L;
  static final long BOUND_STREAM = 0xb0d1L;
  static final long TRAJECTORY_STREAM = 0x7a1eL;

  /** A sampler choice. */
  record Sampler(String kind, int steps, double eta) {
    static final String DDPM = "ddpm";
    static final String DDIM = "ddim";

    Sampler {
      if (!kind.equals(DDPM) && !kind.equals(DDIM)) {
        throw PmodelException.badInput("sampler '" + kind + "' is unknown; expected ddpm or"
            + " ddim");
      }
      if (steps < 1) {
        throw PmodelException.badInput("sample-steps=" + steps + "; expected at least 1");
      }
      if (!(eta >= 0 && eta <= 1)) {
        throw PmodelException.badInput("eta=" + eta + "; expected 0 <= eta <= 1");
      }
    }
  }

  /** The mean NLL bound of a data set, in nats per row, with its standard errors. */
  record BoundReport(double nllPerRow, double monteCarloStandardError,
      double rowsStandardError, String method) {
    String format() {
      return String.format(Locale.ROOT, "%.4f nats per row (%s; Monte Carlo standard error"
          + " %.4f; over rows %.4f)", nllPerRow, method, monteCarloStandardError,
          rowsStandardError);
    }
  }

  private final Schema schema;
  private final Parameters params;
  private final double[] mean;
  private final double[] sd;
  private final EpsNet.Layout layout;
  private final float[][] weights;
  private final NoiseSchedule schedule;
  private final VariationalBound bound;
  private final VariationalBound.Proposal proposal;
  private final Training.Curve curve;
  private final int trainingRows;

  DiffusionModel(Schema schema, Parameters params, double[] mean, double[] sd,
      EpsNet.Layout layout, float[][] weights, VariationalBound.Proposal proposal,
      Training.Curve curve, int trainingRows) {
    this.schema = schema;
    this.params = params;
    this.mean = mean;
    this.sd = sd;
    this.layout = layout;
    this.weights = weights;
    this.schedule = DiffusionProvider.schedule(params);
    this.bound = new VariationalBound(schedule, DiffusionProvider.largeVariance(params));
    this.proposal = proposal;
    this.curve = curve;
    this.trainingRows = trainingRows;
  }

  double[] mean() {
    return mean.clone();
  }

  double[] sd() {
    return sd.clone();
  }

  float[][] weights() {
    return weights;
  }

  EpsNet.Layout layout() {
    return layout;
  }

  VariationalBound.Proposal proposal() {
    return proposal;
  }

  Training.Curve curve() {
    return curve;
  }

  int trainingRows() {
    return trainingRows;
  }

  NoiseSchedule schedule() {
    return schedule;
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public Family family() {
    return Family.EXPLICIT_APPROXIMATE;
  }

  @Override
  public String providerId() {
    return DiffusionProvider.ID;
  }

  @Override
  public Parameters hyperparameters() {
    return params;
  }

  @Override
  public BigInteger freeParameters() {
    return BigInteger.valueOf(layout.parameterCount());
  }

  /** The sampler the hyperparameters choose. */
  Sampler defaultSampler() {
    return new Sampler(params.choice("sampler"), (int) params.integer("sample-steps"),
        params.real("eta"));
  }

  @Override
  public Dataset sample(int n, long seed, int threads) {
    return sample(n, seed, defaultSampler(), null, null);
  }

  @Override
  public Dataset sample(int n, Condition given, long seed, int threads) {
    if (given.schemaSize() != 0 && given.schemaSize() != schema.size()) {
      throw PmodelException.badInput("the condition is for a schema of " + given.schemaSize()
          + " features; the model has " + schema.size());
    }
    int[] coords = new int[given.size()];
    double[] values = new double[given.size()];
    for (int g = 0; g < coords.length; g++) {
      int f = given.feature(g);
      double v = given.value(g);
      if (!Double.isFinite(v)) {
        throw PmodelException.badInput("--given " + schema.feature(f).name() + "=" + v
            + ": expected a finite number");
      }
      coords[g] = f;
      values[g] = (v - mean[f]) / sd[f];
    }
    Dataset out = sample(n, seed, defaultSampler(), coords.length == 0 ? null
        : new Samplers.Replacement(coords, values), null);
    // the given values exactly as given (un-standardizing may round the last bit)
    double[][] cols = new double[schema.size()][];
    for (int f = 0; f < cols.length; f++) {
      cols[f] = out.doubles(f);
    }
    for (int g = 0; g < coords.length; g++) {
      java.util.Arrays.fill(cols[coords[g]], given.value(g));
    }
    return out;
  }

  /** Samples with {@code sampler}; {@code progress} gets (steps done) after every step. */
  Dataset sample(int n, long seed, Sampler sampler, IntConsumer progress) {
    return sample(n, seed, sampler, null, progress);
  }

  private Dataset sample(int n, long seed, Sampler sampler, Samplers.Replacement given,
      IntConsumer progress) {
    if (n < 0) {
      throw PmodelException.badInput("cannot draw " + n + " samples");
    }
    int d = layout.dim();
    double[][] cols = new double[d][n];
    try (NoisePredictor net = EpsNet.predictor(layout, weights)) {
      double[] x = new double[Math.min(n, SAMPLE_BLOCK) * d];
      for (int from = 0; from < n; from += SAMPLE_BLOCK) {
        int to = Math.min(n, from + SAMPLE_BLOCK);
        int b = to - from;
        UniformRandomProvider rng = RandomStreams.create(seed, SAMPLE_STREAM,
            from / SAMPLE_BLOCK);
        if (sampler.kind().equals(Sampler.DDPM)) {
          Samplers.ddpm(net, schedule, DiffusionProvider.largeVariance(params), b, x, rng,
              given, progress);
        } else {
          Samplers.ddim(net, schedule, sampler.steps(), sampler.eta(), b, x, rng, given,
              progress);
        }
        for (int r = 0; r < b; r++) {
          for (int j = 0; j < d; j++) {
            double v = mean[j] + sd[j] * x[r * d + j];
            if (!Double.isFinite(v)) {
              throw PmodelException.failure("the diffusion model's sampler produced " + v
                  + " in column '" + schema.feature(j).name() + "': the network or the"
                  + " schedule is degenerate (refit with other settings)", null);
            }
            cols[j][from + r] = v;
          }
        }
      }
    }
    return Dataset.of(schema, n, cols);
  }

  /** The standardized rows of {@code data}, refusing a non-finite value with its row. */
  double[] standardize(Dataset data) {
    if (!data.schema().equals(schema)) {
      throw PmodelException.badInput("the data's schema differs from the diffusion model's ("
          + schema.difference(data.schema()) + ")");
    }
    return DiffusionProvider.standardize(data, mean, sd);
  }

  private double logJacobian() {
    double s = 0;
    for (double v : sd) {
      s += Math.log(v);
    }
    return s;
  }

  @Override
  public void lowerBounds(Dataset data, double[] out, long seed) {
    bounds(data, out, new double[data.rows()], seed);
  }

  /** Per-row bounds on log p and the Monte Carlo variance of each (0 for the full sum). */
  private void bounds(Dataset data, double[] out, double[] variance, long seed) {
    double[] z = standardize(data);
    if (out.length < data.rows()) {
      throw new IllegalArgumentException("out is shorter than the data");
    }
    int d = layout.dim();
    int m = (int) params.integer("bound-terms");
    int block = m == 0 ? BOUND_BLOCK : Math.max(1, Math.min(BOUND_BLOCK, POINTS_PER_PASS / m));
    double jac = logJacobian();
    try (NoisePredictor net = EpsNet.predictor(layout, weights)) {
      for (int from = 0; from < data.rows(); from += block) {
        int to = Math.min(data.rows(), from + block);
        int b = to - from;
        UniformRandomProvider[] rngs = new UniformRandomProvider[b];
        for (int r = 0; r < b; r++) {
          rngs[r] = RandomStreams.create(seed, BOUND_STREAM, from + r);
        }
        double[] x0 = java.util.Arrays.copyOfRange(z, from * d, to * d);
        if (m == 0) {
          bound.full(net, x0, b, rngs, out, from);
        } else {
          bound.sampledOverT(net, x0, b, m, proposal, rngs, out, variance, from);
        }
      }
    }
    for (int r = 0; r < data.rows(); r++) {
      out[r] = -out[r] - jac;
    }
  }

  /**
   * The mean bound over the rows of {@code data} (nats per row), with the Monte Carlo standard
   * error of the importance-sampled estimate over t (√(Σ_r Var_r)/n; 0 for the full sum, whose
   * per-step noise in x_t is part of the spread over rows) and the standard error over rows
   * (sd/√n: how far the mean over these rows may be from the mean over the population).
   */
  BoundReport bound(Dataset data, long seed) {
    int n = data.rows();
    double[] out = new double[n];
    double[] variance = new double[n];
    bounds(data, out, variance, seed);
    double sum = 0;
    double sumVar = 0;
    for (int r = 0; r < n; r++) {
      sum += -out[r];
      sumVar += variance[r];
    }
    double meanNll = sum / n;
    double ss = 0;
    for (int r = 0; r < n; r++) {
      ss += (-out[r] - meanNll) * (-out[r] - meanNll);
    }
    int m = (int) params.integer("bound-terms");
    return new BoundReport(meanNll, Math.sqrt(sumVar) / n,
        n > 1 ? Math.sqrt(ss / (n - 1) / n) : Double.NaN,
        m == 0 ? "all " + schedule.steps() + " terms" : "importance-sampled over t, " + m
            + " steps per row");
  }

  @Override
  public void importanceWeighted(Dataset data, int k, double[] out, long seed) {
    if (k < 1) {
      throw PmodelException.badInput("importance samples k = " + k + "; expected k >= 1");
    }
    double[] z = standardize(data);
    int d = layout.dim();
    int block = Math.max(1, POINTS_PER_PASS / k);
    double jac = logJacobian();
    try (NoisePredictor net = EpsNet.predictor(layout, weights)) {
      for (int from = 0; from < data.rows(); from += block) {
        int to = Math.min(data.rows(), from + block);
        int b = to - from;
        UniformRandomProvider[] rngs = new UniformRandomProvider[b];
        for (int r = 0; r < b; r++) {
          rngs[r] = RandomStreams.create(seed, TRAJECTORY_STREAM, from + r);
        }
        bound.trajectories(net, java.util.Arrays.copyOfRange(z, from * d, to * d), b, k, rngs,
            out, from);
      }
    }
    for (int r = 0; r < data.rows(); r++) {
      out[r] -= jac;
    }
  }

  @Override
  public List<String> describe(int limit) {
    List<String> out = new ArrayList<>();
    out.add(String.format(Locale.ROOT, "DDPM, T = %d (%s schedule), reverse variance %s,"
        + " network %s", schedule.steps(), params.choice("schedule"),
        DiffusionProvider.largeVariance(params) ? "beta" : "posterior beta-tilde",
        layout.describe()));
    Sampler s = defaultSampler();
    out.add(s.kind().equals(Sampler.DDPM) ? "sampler: ancestral DDPM over all T steps"
        : String.format(Locale.ROOT, "sampler: DDIM over %d steps, eta %.3g", Math.min(
            s.steps(), schedule.steps()), s.eta()));
    int epochs = curve.loss().length;
    for (int e = Math.max(0, epochs - (limit - 2)); e < epochs && out.size() < limit; e++) {
      out.add(String.format(Locale.ROOT, "epoch %d: noise loss %.5f per coordinate (%.2f s)",
          e + 1, curve.loss()[e], curve.seconds()[e]));
    }
    return out;
  }
}
