package pmodel.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import pmodel.api.Capability;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.api.data.ColumnRanges;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;
import pmodel.api.spi.CountingProvider;
import pmodel.api.spi.FitContext;
import pmodel.api.params.ParameterSpec;
import pmodel.api.params.Parameters;
import pmodel.api.spi.StateReader;
import pmodel.api.spi.StateWriter;
import pmodel.api.spi.Statistics;
import pmodel.api.spi.Support;

/** The byte form of counting statistics: every value type round-trips; damage fails cleanly. */
class StatisticsBytesTest {
  static final Schema SCHEMA = Schema.of(DiscreteFeature.integer("x", 3));
  static final ColumnRanges RANGES = ColumnRanges.empty(SCHEMA);

  /** Statistics holding one value of every type the state writer knows. */
  static final class AllTypes implements Statistics {
    long rows = 7;
    double mean = -0.25;
    String label = "naïve – ünïcode";
    int[] ints = {1, -2, Integer.MAX_VALUE};
    long[] longs = {Long.MIN_VALUE, 0, 42};
    double[] doubles = {Double.NaN, Double.NEGATIVE_INFINITY, 1e-300};
    float[] floats = {1.5f, -0f};
    byte[] bytes = {0, (byte) 255, 17};

    @Override
    public void add(Dataset data, int from, int to) {
      rows += to - from;
    }

    @Override
    public void merge(Statistics other) {
      rows += other.rows();
    }

    @Override
    public long rows() {
      return rows;
    }

    @Override
    public void write(StateWriter out) {
      out.putLong("rows", rows);
      out.putDouble("mean", mean);
      out.putString("label", label);
      out.putInts("ints", ints);
      out.putLongs("longs", longs);
      out.putDoubles("doubles", doubles);
      out.putFloats("floats", floats);
      out.putBytes("bytes", bytes);
    }
  }

  /** A counting provider whose statistics are {@link AllTypes}. */
  static class Provider implements CountingProvider {
    final String id;
    final boolean portable;
    final boolean trustsLengths;

    Provider(String id, boolean portable, boolean trustsLengths) {
      this.id = id;
      this.portable = portable;
      this.trustsLengths = trustsLengths;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public Family family() {
      return Family.EXPLICIT_TRACTABLE;
    }

    @Override
    public String description() {
      return "statistics of every type (test only)";
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
    public Statistics newStatistics(Schema schema, Parameters params, ColumnRanges ranges) {
      return new AllTypes();
    }

    @Override
    public GenerativeModel fromStatistics(Statistics statistics, Parameters params) {
      throw new UnsupportedOperationException("not needed here");
    }

    @Override
    public GenerativeModel fit(Dataset data, Parameters params, FitContext context) {
      throw new UnsupportedOperationException("not needed here");
    }

    @Override
    public void write(GenerativeModel model, StateWriter out) {
      throw new UnsupportedOperationException("not needed here");
    }

    @Override
    public GenerativeModel read(StateReader in) {
      throw new UnsupportedOperationException("not needed here");
    }

    @Override
    public boolean portableStatistics() {
      return portable;
    }

    @Override
    public Statistics readStatistics(StateReader in, ColumnRanges ranges) {
      AllTypes s = new AllTypes();
      s.rows = in.getLong("rows");
      s.mean = in.getDouble("mean");
      s.label = in.getString("label");
      s.ints = in.getInts("ints", trustsLengths ? (int) in.length("ints") : 3);
      if (trustsLengths) {
        s.ints[2] = s.ints[2] + 0; // crashes when the stored array is shorter than expected
      }
      s.longs = in.getLongs("longs", 3);
      s.doubles = in.getDoubles("doubles", 3);
      s.floats = in.getFloats("floats", 2);
      s.bytes = in.getBytes("bytes", 3);
      return s;
    }
  }

  static final Provider PROVIDER = new Provider("all-types", true, false);

  static Statistics read(Provider p, byte[] bytes) {
    return StatisticsBytes.read(p, SCHEMA, Parameters.defaults(List.of()), RANGES, bytes,
        "partition 3");
  }

  @Test
  void everyValueTypeRoundTrips() {
    AllTypes a = new AllTypes();
    AllTypes b = (AllTypes) read(PROVIDER, StatisticsBytes.write(PROVIDER, a));
    assertThat(b.rows).isEqualTo(a.rows);
    assertThat(b.mean).isEqualTo(a.mean);
    assertThat(b.label).isEqualTo(a.label);
    assertThat(b.ints).containsExactly(a.ints);
    assertThat(b.longs).containsExactly(a.longs);
    assertThat(Arrays.equals(b.doubles, a.doubles)).isTrue();
    assertThat(Arrays.equals(b.floats, a.floats)).isTrue();
    assertThat(b.bytes).containsExactly(a.bytes);
  }

  static void assertClean(Throwable t) {
    assertThat(t).isInstanceOf(PmodelException.class);
    PmodelException e = (PmodelException) t;
    assertThat(e.exitCode()).isEqualTo(PmodelException.BAD_INPUT);
    assertThat(e.getMessage()).startsWith("partition 3: ").doesNotContain("\n");
  }

  @Test
  void everyCutFailsWithOneLine() {
    byte[] bytes = StatisticsBytes.write(PROVIDER, new AllTypes());
    for (int cut = 0; cut < bytes.length; cut++) {
      byte[] part = Arrays.copyOf(bytes, cut);
      assertThatThrownBy(() -> read(PROVIDER, part)).satisfies(StatisticsBytesTest::assertClean);
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> read(PROVIDER, longer)).satisfies(StatisticsBytesTest::assertClean)
        .hasMessageContaining("1 bytes follow the last value");
  }

  @Test
  void everyFlippedByteFailsCleanlyOrReads() {
    byte[] bytes = StatisticsBytes.write(PROVIDER, new AllTypes());
    for (int i = 0; i < bytes.length; i++) {
      byte[] damaged = bytes.clone();
      damaged[i] ^= (byte) 0xA5;
      try {
        read(PROVIDER, damaged);
      } catch (PmodelException e) {
        assertClean(e);
      }
    }
  }

  @Test
  void statisticsOfAnotherProviderAreRefused() {
    byte[] bytes = StatisticsBytes.write(new Provider("other", true, false), new AllTypes());
    assertThatThrownBy(() -> read(PROVIDER, bytes)).satisfies(StatisticsBytesTest::assertClean)
        .hasMessageContaining("written by model 'other'; expected 'all-types'");
  }

  @Test
  void aProviderWithoutPortableStatisticsIsRefusedWithAReason() {
    Provider p = new Provider("local-only", false, false);
    assertThatThrownBy(() -> StatisticsBytes.write(p, new AllTypes()))
        .isInstanceOf(PmodelException.class)
        .hasMessageContaining("model 'local-only' cannot move its counts between machines");
  }

  @Test
  void aReaderThatCrashesIsReportedAsAClearError() {
    AllTypes shortInts = new AllTypes();
    shortInts.ints = new int[] {1};
    Provider trusting = new Provider("all-types", true, true);
    byte[] bytes = StatisticsBytes.write(trusting, shortInts);
    assertThatThrownBy(() -> read(trusting, bytes)).satisfies(StatisticsBytesTest::assertClean)
        .hasMessageContaining("model 'all-types' could not read its statistics");
  }

  @Test
  void aWrongTypeOrLengthIsNamed() {
    AllTypes s = new AllTypes();
    s.longs = new long[] {1, 2};
    byte[] bytes = StatisticsBytes.write(PROVIDER, s);
    assertThatThrownBy(() -> read(PROVIDER, bytes)).satisfies(StatisticsBytesTest::assertClean)
        .hasMessageContaining("value 'longs' has 2 elements; expected 3");
  }
}
