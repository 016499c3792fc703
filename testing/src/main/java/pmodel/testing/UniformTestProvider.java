package pmodel.testing;

import java.math.BigInteger;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.Capability;
import pmodel.api.ExactDensity;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.api.data.ProductSpace;
import pmodel.api.data.Schema;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.ParameterSpec;
import pmodel.api.params.Parameters;
import pmodel.api.spi.StateReader;
import pmodel.api.spi.StateWriter;
import pmodel.api.spi.Support;

/**
 * A tiny provider for the api's own tests: the uniform distribution over the cells of a discrete
 * schema. It stores a weight array so that persistence of blobs is exercised.
 */
public final class UniformTestProvider implements ModelProvider {
  public static final String ID = "uniform-test";

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
    return "uniform over all cells (test only)";
  }

  @Override
  public int apiVersion() {
    return API_VERSION;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.SAMPLING, Capability.EXACT_DENSITY);
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(ParameterSpec.integer("size", 100, 0, 1_000_000, "length of the test array"));
  }

  @Override
  public Support supports(Schema schema, Parameters params) {
    return schema.allDiscrete() ? Support.yes() : Support.no("continuous features");
  }

  @Override
  public GenerativeModel fit(Dataset data, Parameters params, FitContext context) {
    double[] w = new double[(int) params.integer("size")];
    for (int i = 0; i < w.length; i++) {
      w[i] = i * 0.5;
    }
    return new Model(data.schema(), params, w);
  }

  @Override
  public void write(GenerativeModel model, StateWriter out) {
    Model m = (Model) model;
    out.putDoubles("weights", m.weights);
    out.putString("note", "uniform");
  }

  @Override
  public GenerativeModel read(StateReader in) {
    Parameters p = in.hyperparameters();
    double[] w = in.getDoubles("weights", (int) p.integer("size"));
    in.getString("note");
    return new Model(in.schema(), p, w);
  }

  /** The uniform model. */
  public static final class Model implements ExactDensity {
    final Schema schema;
    final Parameters params;
    public final double[] weights;
    final ProductSpace space;

    Model(Schema schema, Parameters params, double[] weights) {
      this.schema = schema;
      this.params = params;
      this.weights = weights;
      this.space = ProductSpace.of(schema);
    }

    @Override
    public Schema schema() {
      return schema;
    }

    @Override
    public Family family() {
      return Family.EXPLICIT_TRACTABLE;
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
      Object[] cols = new Object[schema.size()];
      for (int f = 0; f < cols.length; f++) {
        cols[f] = Dataset.newColumn(schema.feature(f), n);
        int k = schema.discrete(f).cardinality();
        for (int i = 0; i < n; i++) {
          if (cols[f] instanceof byte[] b) {
            b[i] = (byte) rng.nextInt(k);
          } else {
            ((int[]) cols[f])[i] = rng.nextInt(k);
          }
        }
      }
      return Dataset.of(schema, n, cols);
    }

    @Override
    public void logDensities(Dataset data, double[] out, int threads) {
      java.util.Arrays.fill(out, 0, data.rows(), -space.logSize());
    }
  }
}
