package pmodel.diffusion;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.Capability;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.Feature;
import pmodel.api.data.Schema;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.ParameterSpec;
import pmodel.api.params.Parameters;
import pmodel.api.spi.StateReader;
import pmodel.api.spi.StateWriter;
import pmodel.api.spi.Support;
import pmodel.djl.NamedTensors;

/**
 * Denoising diffusion probabilistic models (Ho et al. 2020) over real columns, on DJL's PyTorch
 * engine: a fixed forward process of T noising steps, a noise network ε_θ(x_t, t) trained on the
 * simple loss, DDPM or DDIM sampling, and the variational bound as the likelihood. Constructing
 * the provider is cheap: the engine loads on the first fit or read.
 */
public final class DiffusionProvider implements ModelProvider {
  static final String ID = "diffusion";
  /** The most weights a network may have (1 GB of floats). */
  static final long MAX_PARAMETERS = 1L << 28;
  /** The most columns accepted. */
  static final int MAX_COLUMNS = 1 << 12;
  /** Training rows of the pilot that shapes the proposal over t. */
  static final int PILOT_ROWS = 256;
  static final long PILOT_STREAM = 0x9170L;

  static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.integer("timesteps", 1000, 2, 100_000,
          "T, the number of noising steps (DDPM uses 1000)"),
      ParameterSpec.choice("schedule", NoiseSchedule.LINEAR,
          List.of(NoiseSchedule.LINEAR, NoiseSchedule.COSINE),
          "noise schedule: linear (DDPM, betas from beta-start to beta-end) or cosine (Nichol"
          + " and Dhariwal 2021)"),
      ParameterSpec.real("beta-start", 1e-4, 1e-6, true, 0.999,
          "linear schedule: beta_1, the first step's noise variance (also the decoder's)"),
      ParameterSpec.real("beta-end", 0.02, 1e-6, true, 0.999,
          "linear schedule: beta_T, the last step's noise variance"),
      ParameterSpec.choice("variance", "beta", List.of("beta", "posterior"),
          "reverse-step variance sigma_t^2: beta (beta_t; the better bound) or posterior"
          + " (beta-tilde_t)"),
      ParameterSpec.integers("hidden", "128,128,128", 1, 1 << 14,
          "hidden layer widths of the noise network (SiLU)"),
      ParameterSpec.integer("embedding", 32, 2, 4096,
          "width of the sinusoidal time embedding (even)"),
      ParameterSpec.integer("steps", 6000, 1, 100_000_000,
          "training budget in optimizer steps (not epochs)"),
      ParameterSpec.integer("batch", 512, 1, 1 << 16, "rows per Adam step"),
      ParameterSpec.real("lr", 1e-3, 0, false, 1, "Adam's learning rate"),
      ParameterSpec.real("ema", 0.9995, 0, true, 0.99999,
          "decay of the moving average of the weights that the model keeps (0 = last weights)"),
      ParameterSpec.real("clip", 1.0, 0, false, 1e6,
          "largest global gradient norm; larger gradients are scaled down"),
      ParameterSpec.choice("sampler", "ddpm", List.of("ddpm", "ddim"),
          "sampler: ddpm (ancestral, all T steps) or ddim (sample-steps steps, eta)"),
      ParameterSpec.integer("sample-steps", 50, 1, 100_000,
          "DDIM: the number of steps (at most T)"),
      ParameterSpec.real("eta", 0.0, 0, true, 1,
          "DDIM: 0 = deterministic, 1 = as stochastic as DDPM"),
      ParameterSpec.integer("bound-terms", 0, 0, 100_000,
          "bound: 0 = sum all T terms (T network passes per row); m > 0 = unbiased estimate"
          + " from m steps per row drawn by importance sampling over t"),
      ParameterSpec.integer("importance", 4, 1, 10_000,
          "reverse trajectories k of the importance-weighted estimate (each costs T network"
          + " passes per row)"));

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Family family() {
    return Family.EXPLICIT_APPROXIMATE;
  }

  @Override
  public String description() {
    return "diffusion model (DDPM, DJL/PyTorch): DDPM and DDIM sampling, variational bound,"
        + " inpainting by replacement";
  }

  @Override
  public int apiVersion() {
    return API_VERSION;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.SAMPLING, Capability.DENSITY_BOUND,
        Capability.CONDITIONAL_SAMPLING);
  }

  @Override
  public List<ParameterSpec> parameters() {
    return PARAMETERS;
  }

  static NoiseSchedule schedule(Parameters params) {
    long t = params.integer("timesteps");
    return NoiseSchedule.of(params.choice("schedule"), (int) t, params.real("beta-start"),
        params.real("beta-end"));
  }

  static boolean largeVariance(Parameters params) {
    return params.choice("variance").equals("beta");
  }

  static EpsNet.Layout layout(Schema schema, Parameters params) {
    return new EpsNet.Layout(schema.size(), (int) params.integer("embedding"),
        params.integers("hidden"));
  }

  @Override
  public Support supports(Schema schema, Parameters params) {
    for (Feature f : schema.features()) {
      if (!(f instanceof ContinuousFeature)) {
        return Support.no("the diffusion model needs real-valued columns; feature '" + f.name()
            + "' is discrete (use vae, naive-bayes or histogram for discrete data)");
      }
    }
    if (schema.size() == 0) {
      return Support.no("the schema has no features");
    }
    if (schema.size() > MAX_COLUMNS) {
      return Support.no("the schema has " + schema.size() + " columns; the limit is "
          + MAX_COLUMNS);
    }
    if (params.integer("embedding") % 2 != 0) {
      return Support.no("embedding=" + params.integer("embedding") + " is odd; the sinusoidal"
          + " embedding needs an even width (sin and cos pairs)");
    }
    try {
      schedule(params);
    } catch (PmodelException e) {
      return Support.no(e.getMessage());
    }
    long weights = layout(schema, params).parameterCount();
    if (weights > MAX_PARAMETERS) {
      return Support.no("the network would have " + weights + " weights; the limit is "
          + MAX_PARAMETERS + " (use smaller hidden layers)");
    }
    return Support.yes();
  }

  /** The rows of {@code data} standardized column by column, row-major. */
  static double[] standardize(Dataset data, double[] mean, double[] sd) {
    int d = data.schema().size();
    int n = data.rows();
    double[] z = new double[Math.multiplyExact(n, d)];
    for (int j = 0; j < d; j++) {
      double[] col = data.doubles(j);
      for (int r = 0; r < n; r++) {
        double v = col[r];
        if (!Double.isFinite(v)) {
          throw PmodelException.badInput("row " + (r + 1) + ", feature '"
              + data.schema().feature(j).name() + "' is " + v + "; expected a finite number");
        }
        z[r * d + j] = (v - mean[j]) / sd[j];
      }
    }
    return z;
  }

  @Override
  public GenerativeModel fit(Dataset data, Parameters params, FitContext context) {
    Support s = supports(data.schema(), params);
    if (!s.supported()) {
      throw PmodelException.badInput("model 'diffusion' cannot model this data: " + s.reason());
    }
    int n = data.rows();
    if (n == 0) {
      throw PmodelException.badInput("the data set is empty; the diffusion model needs at least"
          + " one row");
    }
    int d = data.schema().size();
    double[] mean = new double[d];
    double[] sd = new double[d];
    double[] ones = new double[d];
    java.util.Arrays.fill(ones, 1);
    standardize(data, new double[d], ones); // refuses non-finite values, naming the row
    for (int j = 0; j < d; j++) {
      double[] col = data.doubles(j);
      double sum = 0;
      for (double v : col) {
        sum += v;
      }
      mean[j] = sum / n;
      double ss = 0;
      for (double v : col) {
        ss += (v - mean[j]) * (v - mean[j]);
      }
      double v = Math.sqrt(ss / n);
      // a constant column keeps unit scale: the model then learns a point at its value
      sd[j] = v > 0 && Double.isFinite(v) ? v : 1;
    }
    double[] z = standardize(data, mean, sd);
    float[] zf = new float[z.length];
    for (int i = 0; i < z.length; i++) {
      zf[i] = (float) z[i];
    }
    NoiseSchedule schedule = schedule(params);
    EpsNet.Layout layout = layout(data.schema(), params);
    Training.Settings settings = new Training.Settings((int) params.integer("steps"),
        (int) params.integer("batch"), params.real("lr"), params.real("ema"),
        params.real("clip"));
    Training.Result r = Training.fit(zf, n, layout, schedule, settings, context);
    VariationalBound.Proposal proposal = params.integer("bound-terms") == 0
        ? VariationalBound.Proposal.uniform(schedule.steps())
        : pilot(z, n, layout, r.weights(), schedule, largeVariance(params), context.seed());
    return new DiffusionModel(data.schema(), params, mean, sd, layout, r.weights(), proposal,
        r.curve(), n);
  }

  /**
   * The proposal over t for the importance-sampled bound: E[L_t²] per step from up to
   * {@value #PILOT_ROWS} training rows, one x_t each (T network passes over them).
   */
  static VariationalBound.Proposal pilot(double[] z, int n, EpsNet.Layout layout,
      float[][] weights, NoiseSchedule schedule, boolean large, long seed) {
    int d = layout.dim();
    int rows = Math.min(n, PILOT_ROWS);
    VariationalBound vb = new VariationalBound(schedule, large);
    double[] x0 = java.util.Arrays.copyOf(z, rows * d);
    double[] xt = new double[rows * d];
    double[] eps = new double[rows * d];
    int[] t = new int[rows];
    double[] meanSquare = new double[schedule.steps()];
    UniformRandomProvider rng = RandomStreams.create(seed, PILOT_STREAM);
    try (NoisePredictor net = EpsNet.predictor(layout, weights)) {
      for (int i = 0; i < schedule.steps(); i++) {
        for (int r = 0; r < rows; r++) {
          t[r] = i;
          vb.noise(i, x0, xt, r * d, d, rng);
        }
        net.predict(xt, t, rows, eps);
        double s = 0;
        for (int r = 0; r < rows; r++) {
          double v = vb.term(i, x0, xt, eps, r * d, d);
          s += v * v;
        }
        meanSquare[i] = s / rows;
      }
    }
    return VariationalBound.Proposal.fromPilot(meanSquare);
  }

  @Override
  public void write(GenerativeModel model, StateWriter out) {
    DiffusionModel m = (DiffusionModel) model;
    out.putLong("training_rows", m.trainingRows());
    out.putDoubles("standardize_mean", m.mean());
    out.putDoubles("standardize_sd", m.sd());
    out.putDoubles("bound_proposal", m.proposal().probabilities());
    out.putDoubles("curve_loss", m.curve().loss());
    out.putDoubles("curve_seconds", m.curve().seconds());
    NamedTensors.write(out, m.layout().specs(), m.weights());
  }

  @Override
  public GenerativeModel read(StateReader in) {
    Schema schema = in.schema();
    Parameters params = in.hyperparameters();
    Support s = supports(schema, params);
    if (!s.supported()) {
      throw in.corrupt(s.reason());
    }
    int d = schema.size();
    long rows = in.getLong("training_rows");
    if (rows < 1 || rows > Integer.MAX_VALUE) {
      throw in.corrupt("training_rows is " + rows + "; expected 1.." + Integer.MAX_VALUE);
    }
    double[] mean = finite(in, "standardize_mean", d);
    double[] sd = finite(in, "standardize_sd", d);
    for (double v : sd) {
      if (!(v > 0)) {
        throw in.corrupt("a standard deviation is " + v + "; expected a positive number");
      }
    }
    NoiseSchedule schedule = schedule(params);
    double[] p = finite(in, "bound_proposal", schedule.steps());
    for (double v : p) {
      if (!(v > 0)) {
        throw in.corrupt("a proposal probability is " + v + "; expected a positive number");
      }
    }
    int epochs = Training.epochs((int) params.integer("steps"), (int) params.integer("batch"),
        (int) rows);
    Training.Curve curve = new Training.Curve(finite(in, "curve_loss", epochs),
        finite(in, "curve_seconds", epochs));
    EpsNet.Layout layout = layout(schema, params);
    float[][] weights = NamedTensors.read(in, layout.specs());
    return new DiffusionModel(schema, params, mean, sd, layout, weights,
        new VariationalBound.Proposal(p), curve, (int) rows);
  }

  private static double[] finite(StateReader in, String name, int length) {
    if (!in.has(name)) {
      throw in.corrupt("'" + name + "' is missing");
    }
    double[] v = in.getDoubles(name, length);
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        throw in.corrupt("'" + name + "' value " + (i + 1) + " is " + v[i]
            + "; expected a finite number");
      }
    }
    return v;
  }
}
