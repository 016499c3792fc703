package pmodel.cli.testing;

import java.math.BigInteger;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.Capability;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.compute.RandomStreams;
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
 * A test-only implicit model: it remembers the training rows of a discrete schema with at most 256
 * levels per feature and samples by drawing them again with replacement. It has no likelihood,
 * and every sample copies a training row, so its copy fraction is 1 by construction.
 */
public final class ResamplingTestProvider implements ModelProvider {
  public static final String ID = "implicit-test";

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
    return "resamples the training rows (test only)";
  }

  @Override
  public int apiVersion() {
    return API_VERSION;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.SAMPLING);
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of();
  }

  @Override
  public Support supports(Schema schema, Parameters params) {
    for (int f = 0; f < schema.size(); f++) {
      if (!schema.feature(f).isDiscrete() || !Dataset.storesBytes(schema.discrete(f))) {
        return Support.no("feature '" + schema.feature(f).name() + "' is not a discrete feature"
            + " of at most 256 levels");
      }
    }
    return Support.yes();
  }

  @Override
  public GenerativeModel fit(Dataset data, Parameters params, FitContext context) {
    if (Boolean.getBoolean(OVERFLOW_PROPERTY)) {
      recurse(0);
    }
    return new Model(data.slice(0, data.rows()), params);
  }

  /** Set to "true" to make fit fail as a broken plugin does: with a StackOverflowError. */
  public static final String OVERFLOW_PROPERTY = "pmodel.test.implicit-test.overflow";

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }

  @Override
  public void write(GenerativeModel model, StateWriter out) {
    Dataset d = ((Model) model).rows;
    out.putLong("rows", d.rows());
    for (int f = 0; f < d.schema().size(); f++) {
      out.putBytes("f" + f, d.bytes(f));
    }
  }

  @Override
  public GenerativeModel read(StateReader in) {
    int n = (int) in.getLong("rows");
    Schema s = in.schema();
    Object[] cols = new Object[s.size()];
    for (int f = 0; f < cols.length; f++) {
      cols[f] = in.getBytes("f" + f, n);
    }
    return new Model(Dataset.of(s, n, cols), in.hyperparameters());
  }

  /** The remembered rows. */
  static final class Model implements GenerativeModel {
    final Dataset rows;
    final Parameters params;

    Model(Dataset rows, Parameters params) {
      this.rows = rows;
      this.params = params;
    }

    @Override
    public Schema schema() {
      return rows.schema();
    }

    @Override
    public Family family() {
      return Family.IMPLICIT;
    }

    @Override
    public String providerId() {
      return ID;
    }

    @Override
    public Parameters hyperparameters() {
      return params;
    }

    @Override
    public BigInteger freeParameters() {
      return BigInteger.ZERO;
    }

    @Override
    public Dataset sample(int n, long seed, int threads) {
      UniformRandomProvider rng = RandomStreams.create(seed, 0);
      int[] pick = new int[n];
      for (int i = 0; i < n; i++) {
        pick[i] = rng.nextInt(rows.rows());
      }
      return rows.select(pick).withMetadata(null);
    }
  }
}
