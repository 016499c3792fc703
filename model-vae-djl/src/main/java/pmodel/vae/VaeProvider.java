package pmodel.vae;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import pmodel.api.Capability;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.Feature;
import pmodel.api.data.ImageShape;
import pmodel.api.data.Schema;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.ParameterSpec;
import pmodel.api.params.Parameters;
import pmodel.api.spi.StateReader;
import pmodel.api.spi.StateWriter;
import pmodel.api.spi.Support;

/**
 * The variational autoencoder (Kingma and Welling 2014) on DJL's PyTorch engine: an encoder
 * q(z | x), a decoder p(x | z) and the prior N(0, I), fitted by maximizing the ELBO with Adam.
 * Constructing the provider is cheap: the engine loads on the first fit or read.
 */
public final class VaeProvider implements ModelProvider {
  static final String ID = "vae";
  static final String MLP = "mlp";
  static final String CONV = "conv";
  static final String AUTO = "auto";
  /**
   * The convolutional network's default widths (docs/models.md): on cans these learn the 2-D
   * code (R² 0.93 to 0.97 in the runs of docs/models.md) at a fraction of the cost of 32
   * channels and 512,256, whose steps were too slow for a default (2.3 s a step on a busy 2-core
   * machine).
   */
  static final int CONV_CHANNELS = 8;
  static final int CONV_HIDDEN = 64;
  /**
   * The default budget in Adam steps (docs/models.md): enough for cans' 2-D latent code to
   * explain height and width and for the bound to fall well below naive Bayes', at 3,000 rows
   * as at 60,000; the old default of 10 epochs gave 3,000 rows only 240 steps.
   */
  static final int STEPS = 3000;
  /** The largest encoder input or decoder output width accepted. */
  static final int MAX_WIDTH = 1 << 16;
  /** The most weights a network may have (1 GB of floats). */
  static final long MAX_PARAMETERS = 1L << 28;

  static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.integer("latent", 2, 1, 4096,
          "latent dimension z (2 draws a latent map)"),
      ParameterSpec.integers("hidden", "0", 0, 1 << 14,
          "hidden layer widths of the encoder; the decoder uses them reversed; 0 = automatic:"
          + " 512,256 for the MLP, " + CONV_HIDDEN + " after the convolutions"),
      ParameterSpec.choice("architecture", AUTO, List.of(AUTO, MLP, CONV),
          "network type: mlp = fully connected layers with ReLU; conv = two strided 4x4"
          + " convolutions before the hidden layers and two upsampling 3x3 convolutions after"
          + " them (images with sides divisible by 4); auto = conv for such images with a"
          + " per-pixel likelihood, else mlp"),
      ParameterSpec.integer("channels", CONV_CHANNELS, 1, 1024,
          "conv only: channels of the first convolution (the second has twice as many)"),
      ParameterSpec.choice("likelihood", "auto",
          List.of("auto", Likelihood.LOGISTIC, Likelihood.BERNOULLI, Likelihood.TABLE),
          "p(x|z): logistic = discretized logistic over integer levels (8-bit images),"
          + " bernoulli = binary pixels (with binarize for 8-bit ones), table = softmax per"
          + " discrete and Gaussian per continuous feature; auto picks from the schema"),
      ParameterSpec.bool("binarize", false,
          "threshold integer levels at half their range (128 of 256) and model the binary"
          + " image with a Bernoulli likelihood"),
      ParameterSpec.integer("steps", STEPS, 1, 10_000_000, "the training budget in Adam"
          + " steps (one minibatch each), whatever the number of rows; epochs > 0 replaces it"),
      ParameterSpec.integer("epochs", 0, 0, 100_000, "0 = train for 'steps'; > 0 = that many"
          + " passes over the training data instead (how models of earlier versions were"
          + " trained)"),
      ParameterSpec.integer("batch", 0, 0, 1 << 16, "rows per Adam step; 0 = automatic: 128"
          + " for the MLP, 64 for the convolutional network"),
      ParameterSpec.real("lr", 0, 0, true, 1, "Adam's learning rate; 0 = automatic: 1e-3 for"
          + " the MLP, 2e-3 for the convolutional network"),
      ParameterSpec.real("beta", 1.0, 0, true, 1000,
          "weight of the KL term in the training loss (1 = the ELBO; the reported bound"
          + " always uses 1)"),
      ParameterSpec.integer("importance", 100, 1, 100_000,
          "importance samples k for the importance-weighted estimate when none is given"));

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
    return "variational autoencoder (DJL/PyTorch): latent space, ELBO bound, importance-weighted"
        + " estimate";
  }

  @Override
  public int apiVersion() {
    return API_VERSION;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.SAMPLING, Capability.DENSITY_BOUND, Capability.LATENT_DECODING,
        Capability.LATENT_SPACE);
  }

  @Override
  public List<ParameterSpec> parameters() {
    return PARAMETERS;
  }

  /** The likelihood {@code params} ask for on this schema ("auto" resolved). */
  static String likelihoodFor(Schema schema, Parameters params) {
    String l = params.choice("likelihood");
    if (!l.equals("auto")) {
      return l;
    }
    int k = Likelihood.commonLevels(schema);
    if (k >= 2 && (schema.isImage() || params.bool("binarize"))) {
      return k == 2 || params.bool("binarize") ? Likelihood.BERNOULLI : Likelihood.LOGISTIC;
    }
    return Likelihood.TABLE;
  }

  /**
   * The network {@code params} ask for ("auto" resolved): the convolutional network for images
   * with sides divisible by 4 and a per-pixel likelihood (weight sharing across positions is
   * what an MLP lacks on pixels: on cans it learns the 2-D code in far fewer steps), else the
   * MLP. Depends only on the schema and the hyperparameters, so a model file rebuilds it.
   */
  static String architectureFor(Schema schema, Parameters params) {
    String a = params.choice("architecture");
    if (!a.equals(AUTO)) {
      return a;
    }
    boolean conv = schema.isImage() && !likelihoodFor(schema, params).equals(Likelihood.TABLE)
        && schema.image().map(s -> s.height() % 4 == 0 && s.width() % 4 == 0).orElse(false);
    return conv ? CONV : MLP;
  }

  /**
   * Rows per step: as given, or 128 for the MLP and 64 for the convolutional network, whose
   * steps cost more: on cans 3,000 steps of 64 reached a lower bound than 1,500 of 128 in the
   * same time (1.60 against 2.15 bits/dim at the same rate).
   */
  static int batch(Schema schema, Parameters params) {
    long given = params.integer("batch");
    if (given > 0) {
      return (int) given;
    }
    return architectureFor(schema, params).equals(CONV) ? 64 : 128;
  }

  /**
   * Adam's rate: as given, or 1e-3 for the MLP and 2e-3 for the convolutional network: on cans
   * (3,000 steps of 64) 2e-3 gave a bound of 1.29 bits/dim against 1.60 at 1e-3.
   */
  static double learningRate(Schema schema, Parameters params) {
    double given = params.real("lr");
    if (given > 0) {
      return given;
    }
    return architectureFor(schema, params).equals(CONV) ? 2e-3 : 1e-3;
  }

  /** The hidden widths: as given, or the automatic ones for the architecture (hidden=0). */
  static int[] hidden(Schema schema, Parameters params) {
    int[] given = params.integers("hidden");
    if (given.length != 1 || given[0] != 0) {
      return given;
    }
    return architectureFor(schema, params).equals(CONV) ? new int[] {CONV_HIDDEN}
        : new int[] {512, 256};
  }

  @Override
  public Support supports(Schema schema, Parameters params) {
    int[] h = params.integers("hidden");
    for (int w : h) {
      if (w == 0 && h.length > 1) {
        return Support.no("hidden=0 means automatic widths and must stand alone; got "
            + params.asStrings().get("hidden"));
      }
    }
    String l = likelihoodFor(schema, params);
    boolean binarize = params.bool("binarize");
    int k = Likelihood.commonLevels(schema);
    String continuous = null;
    for (Feature f : schema.features()) {
      if (f instanceof ContinuousFeature) {
        continuous = f.name();
        break;
      }
    }
    switch (l) {
      case Likelihood.LOGISTIC, Likelihood.BERNOULLI -> {
        String name = l.equals(Likelihood.LOGISTIC) ? "a discretized-logistic" : "a Bernoulli";
        if (continuous != null) {
          return Support.no(name + " likelihood needs integer levels; feature '" + continuous
              + "' is continuous (use likelihood=table)");
        }
        if (k < 2) {
          return Support.no(name + " likelihood needs every feature to have the same number"
              + " (2..256) of integer levels, as image pixels do (use likelihood=table)");
        }
        if (l.equals(Likelihood.LOGISTIC) && binarize) {
          return Support.no("binarize=true makes the pixels binary: use likelihood=bernoulli"
              + " (or auto)");
        }
        if (l.equals(Likelihood.BERNOULLI) && k > 2 && !binarize) {
          return Support.no("a Bernoulli likelihood needs binary pixels; these have " + k
              + " levels: add --set binarize=true or use likelihood=logistic");
        }
      }
      case Likelihood.TABLE -> {
        if (binarize) {
          return Support.no("binarize applies to integer-level pixels with likelihood=bernoulli,"
              + " not to likelihood=table");
        }
      }
      default -> throw new IllegalStateException(l);
    }
    long width = l.equals(Likelihood.TABLE) ? Likelihood.Table.oneHotWidth(schema)
        : schema.size();
    if (width > MAX_WIDTH) {
      return Support.no("the network's input would be " + width + " wide; the limit is "
          + MAX_WIDTH);
    }
    if (architectureFor(schema, params).equals(CONV)) {
      if (!schema.isImage() || l.equals(Likelihood.TABLE)) {
        return Support.no("architecture=conv needs an image schema with a per-pixel likelihood"
            + " (use architecture=mlp for tables)");
      }
      ImageShape shape = schema.image().orElseThrow();
      if (shape.height() % 4 != 0 || shape.width() % 4 != 0) {
        return Support.no("architecture=conv needs image sides divisible by 4; this image is "
            + shape.height() + "x" + shape.width() + " (use architecture=mlp)");
      }
    }
    Network.Layout net = layout(schema, (int) width, 0, params);
    if (net.activationsPerRow() > Network.MAX_ACTIVATIONS_PER_ROW) {
      return Support.no("the convolutional network's feature maps would hold "
          + net.activationsPerRow() + " values per image; the limit is "
          + Network.MAX_ACTIVATIONS_PER_ROW + " (use fewer channels)");
    }
    long weights = net.parameterCount();
    if (weights > MAX_PARAMETERS) {
      return Support.no("the network would have " + weights + " weights; the limit is "
          + MAX_PARAMETERS + " (use smaller hidden layers or fewer channels)");
    }
    return Support.yes();
  }

  @Override
  public GenerativeModel fit(Dataset data, Parameters params, FitContext context) {
    Support s = supports(data.schema(), params);
    if (!s.supported()) {
      throw PmodelException.badInput("model 'vae' cannot model this data: " + s.reason());
    }
    if (data.rows() == 0) {
      throw PmodelException.badInput("the data set is empty; the VAE needs at least one row");
    }
    String name = likelihoodFor(data.schema(), params);
    double[][] standard = name.equals(Likelihood.TABLE)
        ? Likelihood.Table.standardization(data) : new double[2][0];
    Likelihood lik = Likelihood.of(name, data.schema(), params.bool("binarize"), standard[0],
        standard[1]);
    Network.Layout layout = layout(data.schema(), lik, params);
    Training.Settings settings = new Training.Settings((int) params.integer("epochs"),
        params.integer("steps"), batch(data.schema(), params), learningRate(data.schema(), params),
        params.real("beta"));
    Training.Result r = Training.fit(new Likelihood.Source(data, !name.equals(Likelihood.TABLE)),
        lik, layout, settings, context, Math.max(2, Likelihood.commonLevels(data.schema())));
    return new VaeModel(data.schema(), params, lik, r.network(), r.curve());
  }

  /** The network for data of {@code width} values (the likelihood's) and these parameters. */
  private static Network.Layout layout(Schema schema, int width, int scale,
      Parameters params) {
    int[] hidden = hidden(schema, params);
    int latent = (int) params.integer("latent");
    if (!architectureFor(schema, params).equals(CONV)) {
      return new Network.Layout(width, hidden, latent, width, scale);
    }
    ImageShape shape = schema.image().orElseThrow();
    return new Network.Layout(width, hidden, latent, width, scale,
        (int) params.integer("channels"), shape.height(), shape.width());
  }

  private static Network.Layout layout(Schema schema, Likelihood lik, Parameters params) {
    return layout(schema, lik.width(), lik.scaleWidth(), params);
  }

  @Override
  public void write(GenerativeModel model, StateWriter out) {
    VaeModel m = (VaeModel) model;
    Likelihood lik = m.likelihood();
    out.putString("architecture", m.network().layout.convolutional() ? CONV : MLP);
    out.putString("likelihood", lik.id());
    if (lik instanceof Likelihood.Table t) {
      out.putDoubles("standardize_mean", t.mean());
      out.putDoubles("standardize_std", t.std());
    }
    Training.Curve c = m.curve();
    out.putDoubles("curve_loss", c.loss());
    out.putDoubles("curve_reconstruction", c.reconstruction());
    out.putDoubles("curve_kl", c.kl());
    out.putDoubles("curve_seconds", c.seconds());
    out.putBytes("network", m.network().encodeDjl());
  }

  @Override
  public GenerativeModel read(StateReader in) {
    Schema schema = in.schema();
    Parameters params = in.hyperparameters();
    String architecture = in.getString("architecture");
    String name = in.getString("likelihood");
    if (!List.of(Likelihood.LOGISTIC, Likelihood.BERNOULLI, Likelihood.TABLE).contains(name)
        || !name.equals(likelihoodFor(schema, params))) {
      throw in.corrupt("likelihood '" + name + "' does not fit the schema and hyperparameters");
    }
    if (!architecture.equals(architectureFor(schema, params))) {
      throw in.corrupt("architecture '" + architecture + "' differs from the hyperparameter"
          + " architecture=" + params.choice("architecture") + " on this schema ("
          + architectureFor(schema, params) + ")");
    }
    Support s = supports(schema, params);
    if (!s.supported()) {
      throw in.corrupt(s.reason());
    }
    double[] mean = new double[0];
    double[] std = new double[0];
    if (name.equals(Likelihood.TABLE)) {
      int c = 0;
      for (Feature f : schema.features()) {
        c += f instanceof ContinuousFeature ? 1 : 0;
      }
      mean = in.getDoubles("standardize_mean", c);
      std = in.getDoubles("standardize_std", c);
      for (double v : std) {
        if (!(v > 0) || !Double.isFinite(v)) {
          throw in.corrupt("a standard deviation is " + v + "; expected a positive number");
        }
      }
    }
    Likelihood lik = Likelihood.of(name, schema, params.bool("binarize"), mean, std);
    Network.Layout layout = layout(schema, lik, params);
    // one entry per epoch run: a step budget's count depends on the row count
    long stored = in.length("curve_loss");
    if (stored < 1 || stored > Training.MAX_EPOCHS) {
      throw in.corrupt("the training curve has " + stored + " epochs; expected 1.."
          + Training.MAX_EPOCHS);
    }
    int epochs = (int) stored;
    Training.Curve curve = new Training.Curve(in.getDoubles("curve_loss", epochs),
        in.getDoubles("curve_reconstruction", epochs), in.getDoubles("curve_kl", epochs),
        in.getDoubles("curve_seconds", epochs));
    if (!in.has("network")) {
      throw in.corrupt("the network's parameters ('network') are missing");
    }
    long expected = 4 + 4 * layout.parameterCount() + 64L * layout.shapes().size();
    byte[] bytes = in.getBytes("network", expected + 1024);
    Network net = Network.decodeDjl(layout, bytes, in, "network");
    return new VaeModel(schema, params, lik, net, curve);
  }
}
