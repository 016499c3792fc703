package pmodel.spark;

import java.util.List;
import java.util.Set;
import pmodel.api.Capability;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.data.ColumnRanges;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.api.spi.CountingProvider;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.ParameterSpec;
import pmodel.api.params.Parameters;
import pmodel.api.spi.StateReader;
import pmodel.api.spi.StateWriter;
import pmodel.api.spi.Statistics;
import pmodel.api.spi.Support;

/**
 * Test-only providers (listed in the tests' META-INF/services) that Spark must refuse to fit
 * before anything runs: one that does not count, one whose counts cannot leave its JVM. They are
 * never asked to fit.
 */
final class TestProviders {
  private TestProviders() {
  }

  abstract static class Base implements ModelProvider {
    @Override
    public Family family() {
      return Family.EXPLICIT_TRACTABLE;
    }

    @Override
    public String description() {
      return "a provider the Spark tests refuse (test only)";
    }

    @Override
    public int apiVersion() {
      return API_VERSION;
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of(Capability.SAMPLING);
    }

    @Override
    public List<ParameterSpec> parameters() {
      return List.of();
    }

    @Override
    public Support supports(Schema schema, Parameters params) {
      return Support.yes();
    }

    @Override
    public GenerativeModel fit(Dataset data, Parameters params, FitContext context) {
      throw new AssertionError("the Spark fit must refuse this provider before fitting");
    }

    @Override
    public void write(GenerativeModel model, StateWriter out) {
      throw new AssertionError("never fitted");
    }

    @Override
    public GenerativeModel read(StateReader in) {
      throw new AssertionError("never fitted");
    }
  }

  /** A provider whose fit is not a count. */
  public static final class NotCounting extends Base {
    @Override
    public String id() {
      return "not-counting-test";
    }
  }

  /** A counting provider whose statistics are not portable (the SPI's default). */
  public static final class LocalCounting extends Base implements CountingProvider {
    @Override
    public String id() {
      return "local-counting-test";
    }

    @Override
    public Statistics newStatistics(Schema schema, Parameters params, ColumnRanges ranges) {
      throw new AssertionError("the Spark fit must refuse this provider before counting");
    }

    @Override
    public GenerativeModel fromStatistics(Statistics statistics, Parameters params) {
      throw new AssertionError("never counted");
    }

    @Override
    public GenerativeModel fit(Dataset data, Parameters params, FitContext context) {
      throw new AssertionError("the Spark fit must refuse this provider before fitting");
    }
  }
}
