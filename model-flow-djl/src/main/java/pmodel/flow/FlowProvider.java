package pmodel.flow;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import pmodel.api.Capability;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
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
 * The normalizing flow: an invertible map f from continuous rows x to a standard normal z,
 * trained by exact maximum likelihood, log p(x) = log N(f(x); 0, I) + log |det ∂f/∂x|, with
 * rational-quadratic spline couplings (Durkan et al. 2019) or affine ones (RealNVP), ActNorm and
 * LU-parametrised mixing (Glow), on DJL's PyTorch engine. Constructing the provider is cheap:
 * the engine loads on the first fit or read.
 */
public final class FlowProvider implements ModelProvider {
  static final String ID = "flow";
  static final String SPLINE = "spline";
  static final String AFFINE = "affine";
  /** The most features a flow accepts (its LU layers are d × d). */
  static final int MAX_WIDTH = 4096;
  /** The most weights a flow may have (1 GB of floats). */
  static final long MAX_PARAMETERS = 1L << 28;

  static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.choice("coupling", SPLINE, List.of(SPLINE, AFFINE),
          "coupling transform: spline = rational-quadratic spline (neural spline flow),"
          + " affine = RealNVP's scale and shift"),
      ParameterSpec.integer("blocks", 6, 1, 64,
          "blocks of ActNorm, LU mixing and coupling"),
      ParameterSpec.integers("hidden", "128,128", 1, 4096,
          "hidden layer widths of each coupling's MLP"),
      ParameterSpec.integer("bins", 16, 2, 256, "spline bins K"),
      ParameterSpec.real("tail-bound", 4.0, 0.5, true, 1000,
          "the spline acts on [-B, B] of the standardized data and is the identity outside"),
      ParameterSpec.real("min-bin-width", 1e-3, 1e-6, true, 0.5,
          "smallest spline bin width, as a fraction of 2B (bins x this must stay below 1)"),
      ParameterSpec.real("min-bin-height", 1e-3, 1e-6, true, 0.5,
          "smallest spline bin height, as a fraction of 2B (bins x this must stay below 1)"),
      ParameterSpec.real("min-derivative", 1e-3, 1e-6, true, 0.5,
          "smallest spline derivative at a knot"),
      ParameterSpec.integer("steps", 2000, 1, 100_000_000,
          "Adam steps (the budget; epochs = steps x batch / rows)"),
      ParameterSpec.integer("batch", 256, 1, 1 << 16, "rows per Adam step"),
      ParameterSpec.real("lr", 1e-3, 1e-7, true, 1,
          "Adam's initial learning rate (cosine decay to 0 over the steps)"),
      ParameterSpec.real("temperature", 1.0, 1e-3, true, 100,
          "sampling temperature T: samples are f^-1(T z), z ~ N(0, I); 1 samples the density"));

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Family family() {
    return Family.EXPLICIT_TRACTABLE;
  }

  @Override
  public String description() {
    return "normalizing flow (DJL/PyTorch): exact density of continuous columns, spline or"
        + " affine couplings, exact latent space";
  }

  @Override
  public int apiVersion() {
    return API_VERSION;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.SAMPLING, Capability.EXACT_DENSITY, Capability.LATENT_DECODING,
        Capability.LATENT_SPACE);
  }

  @Override
  public List<ParameterSpec> parameters() {
    return PARAMETERS;
  }

  /** The flow's shape for a schema and parameters. */
  static Flow.Shape shape(Schema schema, Parameters params) {
    Spline spline = params.choice("coupling").equals(SPLINE)
        ? new Spline((int) params.integer("bins"), params.real("tail-bound"),
            params.real("min-bin-width"), params.real("min-bin-height"),
            params.real("min-derivative"))
        : null;
    return new Flow.Shape(schema.size(), (int) params.integer("blocks"),
        params.integers("hidden"), spline);
  }

  @Override
  public Support supports(Schema schema, Parameters params) {
    if (schema.isImage()) {
      return Support.no("this flow models continuous columns; 8-bit images (dequantized,"
          + " scored as a bound in bits/dim) are not implemented yet");
    }
    for (Feature f : schema.features()) {
      if (f instanceof DiscreteFeature d) {
        return Support.no("a flow needs continuous columns (it has a density on R^d, not"
            + " probabilities of levels); feature '" + f.name() + "' is "
            + (d.hasLevelNames() ? "categorical" : "discrete with " + d.cardinality()
            + " integer levels"));
      }
    }
    if (schema.size() > MAX_WIDTH) {
      return Support.no("the data has " + schema.size() + " columns; the flow's limit is "
          + MAX_WIDTH);
    }
    long bins = params.integer("bins");
    for (String name : new String[] {"min-bin-width", "min-bin-height"}) {
      if (params.choice("coupling").equals(SPLINE) && bins * params.real(name) >= 1) {
        return Support.no("bins=" + bins + " times " + name + "=" + params.real(name)
            + " is at least 1, so the bins cannot fit in [-B, B]; expected a product below 1");
      }
    }
    long weights = NamedTensors.count(Flow.restore(shape(schema, params),
        identityPerms(schema.size(), (int) params.integer("blocks")),
        unitSigns(schema.size(), (int) params.integer("blocks"))).tensors());
    if (weights > MAX_PARAMETERS) {
      return Support.no("the flow would have " + weights + " weights; the limit is "
          + MAX_PARAMETERS + " (use fewer blocks or smaller hidden layers)");
    }
    return Support.yes();
  }

  private static int[][] identityPerms(int d, int blocks) {
    int[][] p = new int[blocks][d];
    for (int[] row : p) {
      for (int i = 0; i < d; i++) {
        row[i] = i;
      }
    }
    return p;
  }

  private static double[][] unitSigns(int d, int blocks) {
    double[][] s = new double[blocks][d];
    for (double[] row : s) {
      java.util.Arrays.fill(row, 1);
    }
    return s;
  }

  @Override
  public GenerativeModel fit(Dataset data, Parameters params, FitContext context) {
    Support s = supports(data.schema(), params);
    if (!s.supported()) {
      throw PmodelException.badInput("model 'flow' cannot model this data: " + s.reason());
    }
    int n = data.rows();
    int d = data.schema().size();
    if (n < 2) {
      throw PmodelException.badInput("the data set has " + n + " rows; the flow needs at least"
          + " 2 (to standardize its columns)");
    }
    double[] mean = new double[d];
    double[] std = new double[d];
    for (int j = 0; j < d; j++) {
      double[] col = data.doubles(j);
      double sum = 0;
      for (int i = 0; i < n; i++) {
        if (!Double.isFinite(col[i])) {
          throw PmodelException.badInput("column '" + data.schema().feature(j).name() + "' row "
              + (i + 1) + " is " + col[i] + "; expected a finite number");
        }
        sum += col[i];
      }
      mean[j] = sum / n;
      double ss = 0;
      for (int i = 0; i < n; i++) {
        double e = col[i] - mean[j];
        ss += e * e;
      }
      std[j] = Math.sqrt(ss / n);
      if (!(std[j] > 1e-12 * Math.max(1, Math.abs(mean[j])))) {
        throw PmodelException.badInput("column '" + data.schema().feature(j).name()
            + "' is constant (" + mean[j] + " in every row): it has no density; drop it");
      }
    }
    float[] rows = new float[Math.multiplyExact(n, d)];
    double offset = 0;
    for (int j = 0; j < d; j++) {
      double[] col = data.doubles(j);
      for (int i = 0; i < n; i++) {
        rows[i * d + j] = (float) ((col[i] - mean[j]) / std[j]);
      }
      offset += Math.log(std[j]);
    }
    Flow.Shape shape = shape(data.schema(), params);
    Flow.Start start = Flow.create(shape, context.seed());
    int widest = d;
    for (int h : shape.hidden()) {
      widest = Math.max(widest, h);
    }
    Training.Settings settings = new Training.Settings(params.integer("steps"),
        (int) params.integer("batch"), params.real("lr"));
    Training.Result r = Training.fit(rows, n, start.flow(), start.values(), settings, offset,
        widest, context);
    return new FlowModel(data.schema(), params, start.flow(), r.values(), mean, std,
        r.curve());
  }

  @Override
  public void write(GenerativeModel model, StateWriter out) {
    FlowModel m = (FlowModel) model;
    out.putDoubles("standardize_mean", m.mean());
    out.putDoubles("standardize_std", m.std());
    List<LuLinear> mix = m.flow().mixings();
    for (int b = 0; b < mix.size(); b++) {
      out.putInts("block" + b + ".mix.perm", mix.get(b).perm());
      out.putDoubles("block" + b + ".mix.sign", mix.get(b).sign());
    }
    out.putLong("epochs", m.curve().loss().length);
    out.putDoubles("curve_loss", m.curve().loss());
    out.putDoubles("curve_seconds", m.curve().seconds());
    NamedTensors.write(out, m.flow().tensors(), m.values());
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
    double[] mean = in.getDoubles("standardize_mean", d);
    double[] std = in.getDoubles("standardize_std", d);
    for (int j = 0; j < d; j++) {
      if (!Double.isFinite(mean[j]) || !(std[j] > 0) || !Double.isFinite(std[j])) {
        throw in.corrupt("the standardization of column " + (j + 1) + " is mean " + mean[j]
            + ", std " + std[j] + "; expected finite numbers and a positive std");
      }
    }
    Flow.Shape shape = shape(schema, params);
    int blocks = shape.blocks();
    int[][] perms = identityPerms(d, blocks);
    double[][] signs = unitSigns(d, blocks);
    if (d >= 2) {
      for (int b = 0; b < blocks; b++) {
        perms[b] = in.getInts("block" + b + ".mix.perm", d);
        boolean[] seen = new boolean[d];
        for (int v : perms[b]) {
          if (v < 0 || v >= d || seen[v]) {
            throw in.corrupt("block " + b + "'s permutation is not a permutation of 0.."
                + (d - 1));
          }
          seen[v] = true;
        }
        signs[b] = in.getDoubles("block" + b + ".mix.sign", d);
        for (double v : signs[b]) {
          if (v != 1 && v != -1) {
            throw in.corrupt("block " + b + "'s signs hold " + v + "; expected 1 or -1");
          }
        }
      }
    }
    long epochs = in.getLong("epochs");
    long steps = params.integer("steps");
    if (epochs < 1 || epochs > steps) {
      throw in.corrupt("epochs is " + epochs + "; expected 1.." + steps);
    }
    double[] loss = in.getDoubles("curve_loss", (int) epochs);
    double[] seconds = in.getDoubles("curve_seconds", (int) epochs);
    Flow flow = Flow.restore(shape, perms, signs);
    float[][] values = NamedTensors.read(in, flow.tensors());
    return new FlowModel(schema, params, flow, values, mean, std,
        new Training.Curve(loss, seconds));
  }
}
