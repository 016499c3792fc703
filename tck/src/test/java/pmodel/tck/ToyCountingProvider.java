package pmodel.tck;

import java.util.List;
import java.util.Set;
import pmodel.api.Capability;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.data.ColumnRanges;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.api.spi.CountingProvider;
import pmodel.api.params.ParameterSpec;
import pmodel.api.params.Parameters;
import pmodel.api.spi.StateReader;
import pmodel.api.spi.StateWriter;
import pmodel.api.spi.Statistics;
import pmodel.api.spi.Support;

/**
 * The exact toy mixture of {@link ToyProvider} fitted by counting, with portable statistics, for
 * the kit's statistics checks; each {@link Defect} plants one bug in how counts travel.
 */
final class ToyCountingProvider implements CountingProvider {
  /** Bugs of written statistics the kit must catch. */
  enum Defect {
    /** write() leaves one row out of the first count. */
    LOSES_A_COUNT,
    /** readStatistics() trusts the stored length of the counts. */
    TRUSTS_STORED_LENGTH
  }

  private final ToyProvider base = new ToyProvider(ToyProvider.Kind.EXACT);
  private final Defect defect;

  ToyCountingProvider(Defect defect) {
    this.defect = defect;
  }

  @Override
  public String id() {
    return "toy-counting";
  }

  @Override
  public Family family() {
    return base.family();
  }

  @Override
  public String description() {
    return "the exact toy mixture, fitted by counting";
  }

  @Override
  public int apiVersion() {
    return API_VERSION;
  }

  @Override
  public Set<Capability> capabilities() {
    return base.capabilities();
  }

  @Override
  public List<ParameterSpec> parameters() {
    return base.parameters();
  }

  @Override
  public Support supports(Schema schema, Parameters params) {
    return base.supports(schema, params);
  }

  /** Component sizes and per-component value counts. */
  final class Counts implements Statistics {
    final Schema schema;
    final long[] n = new long[2];
    final long[] counts;

    Counts(Schema schema) {
      this.schema = schema;
      counts = new long[2 * ToyProvider.offsets(schema)[schema.size()]];
    }

    @Override
    public void add(Dataset data, int from, int to) {
      ToyProvider.count(data, from, to, n, counts);
    }

    @Override
    public void merge(Statistics other) {
      Counts o = (Counts) other;
      n[0] += o.n[0];
      n[1] += o.n[1];
      for (int i = 0; i < counts.length; i++) {
        counts[i] += o.counts[i];
      }
    }

    @Override
    public long rows() {
      return n[0] + n[1];
    }

    @Override
    public void write(StateWriter out) {
      long[] c = counts.clone();
      if (defect == Defect.LOSES_A_COUNT && c.length > 0 && c[0] > 0) {
        c[0]--;
      }
      out.putLongs("n", n);
      out.putLongs("counts", c);
    }
  }

  @Override
  public Statistics newStatistics(Schema schema, Parameters params, ColumnRanges ranges) {
    return new Counts(schema);
  }

  @Override
  public GenerativeModel fromStatistics(Statistics statistics, Parameters params) {
    Counts c = (Counts) statistics;
    return base.fromCounts(c.schema, params, c.n, c.counts);
  }

  @Override
  public boolean portableStatistics() {
    return true;
  }

  @Override
  public Statistics readStatistics(StateReader in, ColumnRanges ranges) {
    Counts s = new Counts(in.schema());
    long[] n = in.getLongs("n", 2);
    long[] counts = defect == Defect.TRUSTS_STORED_LENGTH
        ? in.getLongs("counts", (int) in.length("counts")) : in.getLongs("counts",
            s.counts.length);
    for (int i = 0; i < s.counts.length; i++) {
      if (counts[i] < 0) {
        throw in.corrupt("a count is negative");
      }
      s.counts[i] = counts[i];
    }
    if (n[0] < 0 || n[1] < 0) {
      throw in.corrupt("a component size is negative");
    }
    s.n[0] = n[0];
    s.n[1] = n[1];
    return s;
  }

  @Override
  public void write(GenerativeModel model, StateWriter out) {
    base.write(model, out);
  }

  @Override
  public GenerativeModel read(StateReader in) {
    return base.read(in);
  }
}
