package org.example.latentclass;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import pmodel.api.Capability;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
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
 * The latent-class model: P(x) = Σ_k π_k Π_f θ_kf(x_f), a mixture of K classes within which the
 * categorical features are independent. Fitted by EM from several random starts; the
 * log-likelihood, sampling and conditional sampling (Bayes' rule over the classes) are exact.
 * With one class it is naive Bayes; with enough classes it captures how features depend on each
 * other through a hidden "style".
 */
public final class LatentClassProvider implements ModelProvider {
  static final String ID = "latent-class";
  /** The most class-level probabilities a model may hold (K times the number of levels). */
  static final long MAX_PARAMETERS = 1L << 24;

  static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.integer("classes", 5, 1, 256, "K, the number of latent classes"),
      ParameterSpec.integer("restarts", 5, 1, 1000,
          "EM runs from different random starts; the most likely fit is kept"),
      ParameterSpec.integer("iterations", 500, 1, 100_000, "the most EM iterations per run"),
      ParameterSpec.real("tolerance", 1e-8, 0, false, 1,
          "a run stops when the log-likelihood improves by less than this, relatively"),
      ParameterSpec.real("smoothing", 0.1, 0, true, 1e6,
          "pseudo-count added to every class weight and level count in the M-step"));

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
    return "a mixture of K latent classes, each a product of independent categoricals, fitted"
        + " by EM";
  }

  @Override
  public int apiVersion() {
    return API_VERSION;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.SAMPLING, Capability.EXACT_DENSITY,
        Capability.CONDITIONAL_SAMPLING);
  }

  @Override
  public List<ParameterSpec> parameters() {
    return PARAMETERS;
  }

  @Override
  public Support supports(Schema schema, Parameters params) {
    for (int f = 0; f < schema.size(); f++) {
      if (!schema.feature(f).isDiscrete()) {
        return Support.no("latent-class models categorical features; '"
            + schema.feature(f).name() + "' is continuous (naive-bayes and histogram bin it)");
      }
    }
    long levels = Layout.of(schema).levels();
    long k = params.integer("classes");
    if (k * levels > MAX_PARAMETERS) {
      return Support.no("classes=" + k + " over " + levels + " levels needs " + k * levels
          + " probabilities; the limit is " + MAX_PARAMETERS + ": use fewer classes");
    }
    return Support.yes();
  }

  @Override
  public GenerativeModel fit(Dataset data, Parameters params, FitContext context) {
    if (data.rows() == 0) {
      throw PmodelException.badInput("the data set is empty; latent-class needs at least one"
          + " row");
    }
    Support s = supports(data.schema(), params);
    if (!s.supported()) {
      throw PmodelException.badInput(s.reason());
    }
    return Em.fit(data, params, context);
  }

  @Override
  public void write(GenerativeModel model, StateWriter out) {
    LatentClassModel m = (LatentClassModel) model;
    out.putLong("rows", m.rows());
    out.putDouble("log_likelihood", m.logLikelihood());
    out.putDoubles("weights", m.weights());
    out.putDoubles("theta", m.theta());
  }

  @Override
  public GenerativeModel read(StateReader in) {
    Schema schema = in.schema();
    Parameters params = in.hyperparameters();
    Support s = supports(schema, params);
    if (!s.supported()) {
      throw in.corrupt(s.reason());
    }
    Layout layout = Layout.of(schema);
    int k = (int) params.integer("classes");
    long rows = in.getLong("rows");
    if (rows < 1) {
      throw in.corrupt("'rows' is " + rows + "; expected at least 1");
    }
    double logLikelihood = in.getDouble("log_likelihood");
    double[] weights = in.getDoubles("weights", k);
    double[] theta = in.getDoubles("theta", k * layout.levels());
    checkDistribution(in, "weights", weights, 0, k);
    for (int c = 0; c < k; c++) {
      for (int f = 0; f < schema.size(); f++) {
        checkDistribution(in, "theta of class " + (c + 1) + ", feature '"
            + schema.feature(f).name() + "'", theta, c * layout.levels() + layout.offset(f),
            layout.cardinality(f));
      }
    }
    return new LatentClassModel(schema, params, layout, weights, theta, logLikelihood, rows);
  }

  private static void checkDistribution(StateReader in, String what, double[] p, int from,
      int count) {
    double sum = 0;
    for (int i = from; i < from + count; i++) {
      if (!(p[i] >= 0 && p[i] <= 1)) {
        throw in.corrupt(what + " holds " + p[i] + "; expected probabilities in [0, 1]");
      }
      sum += p[i];
    }
    if (Math.abs(sum - 1) > 1e-9) {
      throw in.corrupt(what + " sums to " + sum + "; expected 1");
    }
  }
}
