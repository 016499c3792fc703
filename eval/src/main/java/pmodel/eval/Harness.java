package pmodel.eval;

import pmodel.api.Capability;
import pmodel.api.DensityBound;
import pmodel.api.ExactDensity;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.api.data.ProductSpace;
import pmodel.api.data.Schema;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.Parameters;
import pmodel.api.spi.ProgressListener;
import pmodel.api.spi.Support;

/**
 * The evaluation harness: fits a model on training rows, then measures it on held-out rows in the
 * same units as every other family (held-out NLL, exact KL when P_data is known, sample quality).
 * Every figure except the fit time depends only on the data, the parameters and the seed.
 */
public final class Harness {
  /** The largest number of samples drawn for the sample metrics. */
  public static final int MAX_SAMPLES = 1_000_000;

  private Harness() {
  }

  /**
   * How to evaluate.
   *
   * @param seed the seed of the fit; samples and stochastic bounds use seeds derived from it
   * @param samples how many samples the sample metrics are measured on (at least 1)
   * @param threads threads to use
   * @param importanceSamples samples per row of the importance-weighted bound (models with a
   *     {@link DensityBound}); 0 to skip it
   * @param tableBins bins per continuous feature for the table metrics
   * @param knownProbabilities P_data of every cell in {@link ProductSpace} order when known (the
   *     built-in outfits), else null
   */
  public record Settings(long seed, int samples, int threads, int importanceSamples,
      int tableBins, double[] knownProbabilities) {
    public Settings {
      if (samples < 1 || samples > MAX_SAMPLES) {
        throw PmodelException.badInput("--samples " + samples + " is out of range; expected 1.."
            + MAX_SAMPLES);
      }
      if (threads < 1) {
        throw PmodelException.badInput("threads " + threads + " is out of range; expected >= 1");
      }
      if (importanceSamples < 0) {
        throw PmodelException.badInput("importance samples " + importanceSamples
            + " is out of range; expected >= 0");
      }
      if (tableBins < 1) {
        throw PmodelException.badInput("table bins " + tableBins + " is out of range;"
            + " expected >= 1");
      }
    }
  }

  /**
   * Checks, before anything is fitted, that the data can be evaluated: train and test have one
   * schema and rows, and the model supports that schema with these parameters.
   */
  public static void check(ModelProvider provider, Parameters params, Dataset train,
      Dataset test, String trainName, String testName) {
    String diff = train.schema().difference(test.schema());
    if (diff != null) {
      throw PmodelException.badInput("--train " + trainName + " and --test " + testName
          + " have different schemas (" + diff + "); expected the same features");
    }
    if (train.rows() == 0) {
      throw PmodelException.badInput(trainName + ": no data rows; expected at least one");
    }
    if (test.rows() == 0) {
      throw PmodelException.badInput(testName + ": no data rows; expected at least one");
    }
    Support support = provider.supports(train.schema(), params);
    if (!support.supported()) {
      throw PmodelException.badInput("model '" + provider.id() + "' cannot model " + trainName
          + ": " + support.reason());
    }
  }

  /** Fits {@code provider} on {@code train} and evaluates it on {@code test}. */
  public static ModelResult evaluate(ModelProvider provider, Parameters params, Dataset train,
      Dataset test, Settings s, ProgressListener progress) {
    check(provider, params, train, test, "training data", "test data");
    long start = System.nanoTime();
    GenerativeModel model = provider.fit(train, params,
        new FitContext(s.seed(), s.threads(), progress, null));
    double seconds = (System.nanoTime() - start) / 1e9;
    return measure(model, seconds, train, test, s);
  }

  /** Evaluates an already fitted model (fit time as given). */
  public static ModelResult measure(GenerativeModel model, double fitSeconds, Dataset train,
      Dataset test, Settings s) {
    String kind = Capability.likelihoodKind(model);
    LikelihoodReport nll = null;
    LikelihoodReport iw = null;
    int dims = test.schema().size();
    if (model instanceof ExactDensity exact) {
      nll = Evaluation.exactNll(exact, test, s.threads());
    } else if (model instanceof DensityBound bound) {
      double[] out = new double[test.rows()];
      bound.lowerBounds(test, out, RandomStreams.mix(s.seed(), 0x656c626fL));
      nll = LikelihoodReport.of("bound", test.rows(), dims, sum(out));
      if (s.importanceSamples() > 0) {
        bound.importanceWeighted(test, s.importanceSamples(), out,
            RandomStreams.mix(s.seed(), 0x69776165L));
        iw = LikelihoodReport.of("bound", test.rows(), dims, sum(out));
      }
    }
    Double kl = null;
    Schema schema = test.schema();
    if (s.knownProbabilities() != null && model instanceof ExactDensity exact
        && schema.allDiscrete()) {
      ProductSpace space = ProductSpace.of(schema);
      if (space.indexable() && space.size() == s.knownProbabilities().length) {
        kl = Evaluation.klDivergence(s.knownProbabilities(), exact);
      }
    }
    Dataset samples = model.sample(s.samples(), RandomStreams.mix(s.seed(), 0x73616d70L),
        s.threads());
    TableQuality table = null;
    ImageQuality images = null;
    if (schema.isImage()) {
      images = SampleMetrics.images(samples, test, train, s.threads());
    } else {
      table = SampleMetrics.table(samples, test, train, s.tableBins(), s.threads());
    }
    return new ModelResult(model.providerId(), model.family(), kind, fitSeconds,
        model.freeParameters(), nll, iw, iw == null ? 0 : s.importanceSamples(), kl, table,
        images, samples, model);
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }
}
