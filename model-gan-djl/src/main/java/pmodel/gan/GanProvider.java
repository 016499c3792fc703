package pmodel.gan;

import pmodel.djl.TensorSpec;
import pmodel.djl.NamedTensors;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pmodel.api.Capability;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Dataset;
import pmodel.api.data.ImageShape;
import pmodel.api.data.Schema;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.ParameterSpec;
import pmodel.api.params.Parameters;
import pmodel.api.spi.Progress;
import pmodel.api.spi.StateReader;
import pmodel.api.spi.StateWriter;
import pmodel.api.spi.Support;

/**
 * The generative adversarial network (Goodfellow et al. 2014) on DJL's PyTorch engine: a
 * generator G(z) of Gaussian latent points and a critic D(x), trained against each other with
 * the non-saturating loss or WGAN-GP. An implicit model: it samples and decodes latent points,
 * and has no likelihood. Constructing the provider, checking {@code supports}, reading a model
 * and sampling never load the native engine; only {@code fit} does.
 */
public final class GanProvider implements ModelProvider {
  static final String ID = "gan";
  /** The widest data vector accepted (one-hot columns of a table, or pixels). */
  static final int MAX_WIDTH = 1 << 16;
  /** The most weights either network may have (512 MB of floats). */
  static final long MAX_PARAMETERS = 1L << 27;

  static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.choice("architecture", "auto", List.of("auto", "mlp", "conv"),
          "networks: mlp = fully connected (tables, small problems), conv = the DCGAN-style"
          + " convolutional pair on a 32x32 canvas (images up to 32x32); auto = conv for such"
          + " images, else mlp"),
      ParameterSpec.choice("loss", Training.NS, List.of(Training.NS, Training.WGAN_GP),
          "ns = non-saturating GAN loss, wgan-gp = Wasserstein critic with gradient penalty"),
      ParameterSpec.integer("latent", 0, 0, 1024, "latent dimension of z ~ N(0, I); 0 ="
          + " automatic (docs/models.md): 64 for the convolutional pair, else the data vector's"
          + " width within 16..64"),
      ParameterSpec.integers("hidden", "0", 0, 8192,
          "hidden layer widths of the MLP generator; the MLP critic uses the same widths;"
          + " 0 = automatic: three layers of 8 x the data vector's width (a power of two within"
          + " 128..512)"),
      ParameterSpec.integer("channels", 16, 1, 512,
          "base width c of the convolutional pair (G: 4c, 2c, c channels; D: c, 2c, 4c)"),
      ParameterSpec.integer("steps", Defaults.STEPS, 1, 10_000_000,
          "the training budget in generator steps (each after critic-steps critic steps),"
          + " whatever the number of rows; epochs > 0 replaces it"),
      ParameterSpec.integer("epochs", 0, 0, 100_000,
          "0 = train for 'steps'; > 0 = that many passes over the data instead, each"
          + " minibatch one critic step (how models of earlier versions were trained)"),
      ParameterSpec.integer("batch", 0, 0, 1 << 16, "rows per critic step and latent points"
          + " per generator step; 0 = automatic: 256 for the MLP, 64 for the convolutional pair"),
      ParameterSpec.real("lr-g", 0, 0, true, 1, "Adam's learning rate for the generator;"
          + " 0 = automatic: 2e-4 for the convolutional pair, for the MLP 1e-3 x"
          + " sqrt(64 / width) within 2e-4..1e-3"),
      ParameterSpec.real("lr-d", 0, 0, true, 1, "Adam's learning rate for the critic;"
          + " 0 = automatic, as lr-g"),
      ParameterSpec.real("beta1", 0.5, 0, true, 0.9999, "Adam's first-moment decay"),
      ParameterSpec.real("beta2", 0.999, 0, true, 0.9999, "Adam's second-moment decay"),
      ParameterSpec.integer("critic-steps", 1, 1, 100,
          "critic steps per generator step (5 is usual with wgan-gp)"),
      ParameterSpec.real("penalty", 10, 0, true, 1e6,
          "lambda, the weight of WGAN-GP's gradient penalty (ignored by ns)"),
      ParameterSpec.real("r1", Defaults.R1, 0, true, 1e6, "gamma, the weight of the R1 penalty"
          + " gamma/2 E|grad D(x)|^2 on real rows (ns only; 0 = none)"),
      ParameterSpec.real("ema", 0.999, 0, true, 0.99999, "decay of the moving average of the"
          + " generator's weights that becomes the fitted generator (0 = the last weights)"));

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Family family() {
    return Family.IMPLICIT;
  }

  @Override
  public String description() {
    return "generative adversarial network (DJL/PyTorch): sampler and latent decoder, no"
        + " likelihood; non-saturating or WGAN-GP loss, MLP or DCGAN networks";
  }

  @Override
  public int apiVersion() {
    return API_VERSION;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.SAMPLING, Capability.LATENT_DECODING);
  }

  @Override
  public List<ParameterSpec> parameters() {
    return PARAMETERS;
  }

  /** The network family {@code params} ask for on this schema ("auto" resolved). */
  static Nets.Kind kind(Schema schema, Parameters params) {
    return switch (params.choice("architecture")) {
      case "mlp" -> Nets.Kind.MLP;
      case "conv" -> Nets.Kind.CONV;
      default -> fitsCanvas(schema) ? Nets.Kind.CONV : Nets.Kind.MLP;
    };
  }

  private static boolean fitsCanvas(Schema schema) {
    return schema.image().map(s -> s.height() <= Features.CANVAS
        && s.width() <= Features.CANVAS).orElse(false);
  }

  @Override
  public Support supports(Schema schema, Parameters params) {
    String hidden = Defaults.checkHidden(params);
    if (hidden != null) {
      return Support.no(hidden);
    }
    Nets.Kind kind = kind(schema, params);
    if (kind == Nets.Kind.CONV) {
      if (!schema.isImage()) {
        return Support.no("the convolutional pair draws images; this schema is a table (use"
            + " architecture=mlp)");
      }
      ImageShape s = schema.image().orElseThrow();
      if (!fitsCanvas(schema)) {
        return Support.no("the convolutional pair draws images of at most " + Features.CANVAS
            + "x" + Features.CANVAS + " pixels; these are " + s.height() + "x" + s.width()
            + " (use architecture=mlp)");
      }
    }
    long width = kind == Nets.Kind.CONV ? (long) Features.CANVAS * Features.CANVAS
        : Features.tableWidth(schema);
    if (width > MAX_WIDTH) {
      return Support.no("the networks' data vector would be " + width + " wide (a discrete"
          + " feature takes one column per level); the limit is " + MAX_WIDTH);
    }
    Nets nets = nets(kind, params, new Features(schema, kind == Nets.Kind.CONV,
        new double[schema.size()], ones(schema.size())));
    long g = NamedTensors.count(nets.generator());
    long d = NamedTensors.count(nets.critic());
    if (Math.max(g, d) > MAX_PARAMETERS) {
      return Support.no("the " + (g >= d ? "generator" : "critic") + " would have "
          + Math.max(g, d) + " weights; the limit is " + MAX_PARAMETERS
          + " (use smaller hidden layers or channels)");
    }
    return Support.yes();
  }

  private static double[] ones(int n) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, 1);
    return a;
  }

  private static Nets nets(Nets.Kind kind, Parameters params, Features features) {
    long width = Features.tableWidth(features.schema);
    return new Nets(kind, Defaults.latent(kind, width, params),
        Defaults.hidden(width, params), (int) params.integer("channels"), features);
  }

  @Override
  public GenerativeModel fit(Dataset data, Parameters params, FitContext context) {
    Support s = supports(data.schema(), params);
    if (!s.supported()) {
      throw PmodelException.badInput("model 'gan' cannot model this data: " + s.reason());
    }
    if (data.rows() == 0) {
      throw PmodelException.badInput("the data set is empty; the GAN needs at least one row");
    }
    Nets.Kind kind = kind(data.schema(), params);
    Nets nets = nets(kind, params, Features.fitted(data, kind == Nets.Kind.CONV));
    long width = Features.tableWidth(data.schema());
    Training.Settings settings = new Training.Settings(params.choice("loss"),
        (int) params.integer("epochs"), params.integer("steps"),
        Defaults.batch(kind, params), Defaults.learningRate(kind, width, params, "lr-g"),
        Defaults.learningRate(kind, width, params, "lr-d"), params.real("beta1"),
        params.real("beta2"), (int) params.integer("critic-steps"), params.real("penalty"),
        params.real("r1"), params.real("ema"));
    Training.Result r = Training.fit(data, nets, settings, context);
    Generator generator = new Generator(nets, r.generator(), r.stats());
    double spread = Spread.ratio(generator, data, context.seed());
    context.progress().onProgress(new Progress("sample-spread", 1, 1, Map.of(
        "ratio_to_data", spread, "collapsed", Spread.collapsed(spread) ? 1.0 : 0.0)));
    return new GanModel(data.schema(), params, generator, r.curve(), spread);
  }

  @Override
  public void write(GenerativeModel model, StateWriter out) {
    GanModel m = (GanModel) model;
    Generator g = m.generator();
    Nets nets = g.nets();
    out.putString("architecture", nets.kind.id);
    out.putDoubles("standardize_mean", nets.features.mean);
    out.putDoubles("standardize_sd", nets.features.sd);
    Training.Curve c = m.curve();
    out.putDoubles("curve_critic", c.critic());
    out.putDoubles("curve_generator", c.generator());
    out.putDoubles("curve_seconds", c.seconds());
    if (!Double.isNaN(m.spread())) {
      out.putDouble("sample_spread", m.spread());
    }
    NamedTensors.write(out, nets.generator(), g.values());
    int[] widths = nets.batchNorms();
    for (int i = 0; i < widths.length; i++) {
      out.putFloats("g.bn" + i + ".mean", g.stats()[2 * i]);
      out.putFloats("g.bn" + i + ".var", g.stats()[2 * i + 1]);
    }
  }

  @Override
  public GenerativeModel read(StateReader in) {
    Schema schema = in.schema();
    Parameters params = in.hyperparameters();
    Support s = supports(schema, params);
    if (!s.supported()) {
      throw in.corrupt(s.reason());
    }
    Nets.Kind kind = kind(schema, params);
    String arch = in.getString("architecture");
    if (!kind.id.equals(arch)) {
      throw in.corrupt("architecture '" + arch + "' does not fit the schema and"
          + " hyperparameters; expected " + kind.id);
    }
    int d = schema.size();
    double[] mean = in.getDoubles("standardize_mean", d);
    double[] sd = in.getDoubles("standardize_sd", d);
    for (int f = 0; f < d; f++) {
      if (!Double.isFinite(mean[f]) || !(sd[f] > 0) || !Double.isFinite(sd[f])) {
        throw in.corrupt("the standardization of feature '" + schema.feature(f).name()
            + "' is mean " + mean[f] + ", sd " + sd[f] + "; expected finite numbers, sd > 0");
      }
    }
    Nets nets = nets(kind, params, new Features(schema, kind == Nets.Kind.CONV, mean, sd));
    // the curve has one entry per epoch run: a step budget's count depends on the row count
    long stored = in.length("curve_critic");
    if (stored < 1 || stored > Training.MAX_EPOCHS) {
      throw in.corrupt("the training curve has " + stored + " epochs; expected 1.."
          + Training.MAX_EPOCHS);
    }
    int epochs = (int) stored;
    Training.Curve curve = new Training.Curve(in.getDoubles("curve_critic", epochs),
        in.getDoubles("curve_generator", epochs), in.getDoubles("curve_seconds", epochs));
    float[][] values = NamedTensors.read(in, nets.generator());
    int[] widths = nets.batchNorms();
    float[][] stats = new float[2 * widths.length][];
    for (int i = 0; i < widths.length; i++) {
      stats[2 * i] = NamedTensors.readFinite(in, "g.bn" + i + ".mean", widths[i]);
      stats[2 * i + 1] = NamedTensors.readFinite(in, "g.bn" + i + ".var", widths[i]);
      for (float v : stats[2 * i + 1]) {
        if (v < 0) {
          throw in.corrupt("parameter 'g.bn" + i + ".var' holds a negative variance");
        }
      }
    }
    double spread = Double.NaN;
    if (in.has("sample_spread")) {
      spread = in.getDouble("sample_spread");
      if (!(spread >= 0) || !Double.isFinite(spread)) {
        throw in.corrupt("sample_spread is " + spread + "; expected a finite number >= 0");
      }
    }
    return new GanModel(schema, params, new Generator(nets, values, stats), curve, spread);
  }
}
