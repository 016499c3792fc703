package pmodel.naivebayes;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import pmodel.api.Capability;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.data.ColumnRanges;
import pmodel.api.data.Discretizer;
import pmodel.api.data.Schema;
import pmodel.api.spi.CountingProvider;
import pmodel.api.params.ParameterSpec;
import pmodel.api.params.Parameters;
import pmodel.api.spi.StateReader;
import pmodel.api.spi.StateWriter;
import pmodel.api.spi.Statistics;
import pmodel.api.spi.Support;

/**
 * Naive Bayes: every feature independent, θ_kl = (n_kl + α)/(N + α·K_k). Continuous features are
 * binned. Its sufficient statistics are one count per feature value, so it fits by counting.
 */
public final class NaiveBayesProvider implements CountingProvider {
  static final String ID = "naive-bayes";

  static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.real("alpha", 1.0, 0, true, Double.MAX_VALUE,
          "additive (Laplace) smoothing: theta = (n + alpha)/(N + alpha*K); 0 is maximum"
          + " likelihood"),
      ParameterSpec.integer("bins", 10, 1, 65536,
          "equal-width bins per continuous feature, over the training data's range"));

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
    return "every feature independent: one categorical distribution per feature";
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
    // one 64-bit count per feature value, written as one blob: the limit a model file can read
    // back (ModelFiles.MAX_BLOB_BYTES) is checked here, before the data is counted
    long values = 0;
    for (int f = 0; f < schema.size(); f++) {
      values += schema.feature(f).isDiscrete() ? schema.discrete(f).cardinality()
          : params.integer("bins");
    }
    if (values > MAX_VALUES) {
      return Support.no("naive Bayes keeps one count per feature value and this schema has "
          + values + " values (" + schema.size() + " features); a model file holds at most "
          + MAX_VALUES + " (2 GB of 64-bit counts): use fewer features, levels or bins");
    }
    return Support.yes();
  }

  /** The most feature values whose counts fit one blob of a model file. */
  static final long MAX_VALUES = StateWriter.MAX_BLOB_BYTES / Long.BYTES;

  @Override
  public Statistics newStatistics(Schema schema, Parameters params, ColumnRanges ranges) {
    return new NaiveBayesStatistics(Discretizer.of(schema, ranges, (int) params.integer("bins")));
  }

  @Override
  public GenerativeModel fromStatistics(Statistics statistics, Parameters params) {
    NaiveBayesStatistics s = (NaiveBayesStatistics) statistics;
    if (s.rows() == 0) {
      throw pmodel.api.error.PmodelException.badInput("the data set is empty; naive Bayes needs at"
          + " least one row");
    }
    return new NaiveBayesModel(s.discretizer(), params, s.counts(), s.rows());
  }

  @Override
  public boolean portableStatistics() {
    return true;
  }

  @Override
  public Statistics readStatistics(StateReader in, ColumnRanges ranges) {
    Schema schema = in.schema();
    NaiveBayesStatistics s = (NaiveBayesStatistics) newStatistics(schema, in.hyperparameters(),
        ranges);
    long rows = in.getLong("rows");
    long outOfRange = in.getLong("out_of_range");
    if (rows < 0 || outOfRange < 0) {
      throw in.corrupt("'rows' is " + rows + " and 'out_of_range' " + outOfRange
          + "; expected neither negative");
    }
    long[] counts = in.getLongs("counts", s.counts().length);
    // every row adds one count to each feature, except continuous values outside the bins,
    // which 'out_of_range' counts instead
    long missing = 0;
    for (int f = 0; f < schema.size(); f++) {
      long sum = 0;
      for (int i = s.offset(f); i < s.offset(f + 1); i++) {
        if (counts[i] < 0 || counts[i] > rows - sum) {
          throw in.corrupt("the counts of feature '" + schema.feature(f).name() + "' are"
              + " negative or sum to more than 'rows' = " + rows);
        }
        sum += counts[i];
      }
      missing += rows - sum;
      if (missing > outOfRange || missing < 0) {
        break;
      }
    }
    if (missing != outOfRange) {
      throw in.corrupt("the counts miss " + missing + " values; 'out_of_range' says "
          + outOfRange);
    }
    s.restore(rows, outOfRange, counts);
    return s;
  }

  @Override
  public void write(GenerativeModel model, StateWriter out) {
    NaiveBayesModel m = (NaiveBayesModel) model;
    out.putLong("rows", m.rows());
    out.putLongs("counts", m.counts());
    out.putDoubles("lower", m.discretizer().lowerBounds());
    out.putDoubles("upper", m.discretizer().upperBounds());
  }

  @Override
  public GenerativeModel read(StateReader in) {
    Schema schema = in.schema();
    Parameters params = in.hyperparameters();
    int continuous = Discretizer.continuousCount(schema);
    Discretizer disc = Discretizer.of(schema, in.getDoubles("lower", continuous),
        in.getDoubles("upper", continuous), (int) params.integer("bins"));
    long total = 0;
    for (int f = 0; f < schema.size(); f++) {
      total += disc.cardinality(f);
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw in.corrupt("the schema has too many values for naive Bayes");
    }
    long rows = in.getLong("rows");
    long[] counts = in.getLongs("counts", (int) total);
    if (rows < 1) {
      throw in.corrupt("'rows' is " + rows + "; expected at least 1");
    }
    int off = 0;
    for (int f = 0; f < schema.size(); f++) {
      long sum = 0;
      for (int l = 0; l < disc.cardinality(f); l++) {
        long c = counts[off + l];
        if (c < 0) {
          throw in.corrupt("count " + c + " of feature '" + schema.feature(f).name()
              + "' is negative");
        }
        // a sum that wraps past 2^63 could otherwise come back round to 'rows' exactly
        if (c > Long.MAX_VALUE - sum) {
          throw in.corrupt("the counts of feature '" + schema.feature(f).name()
              + "' overflow a 64-bit integer; expected them to sum to 'rows' = " + rows);
        }
        sum += c;
      }
      if (sum != rows) {
        throw in.corrupt("the counts of feature '" + schema.feature(f).name() + "' sum to "
            + sum + "; expected 'rows' = " + rows);
      }
      off += disc.cardinality(f);
    }
    return new NaiveBayesModel(disc, params, counts, rows);
  }
}
