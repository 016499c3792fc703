package pmodel.histogram;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import pmodel.api.Capability;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.api.data.ColumnRanges;
import pmodel.api.data.Discretizer;
import pmodel.api.data.Feature;
import pmodel.api.data.ProductSpace;
import pmodel.api.data.Schema;
import pmodel.api.spi.CountingProvider;
import pmodel.api.params.ParameterSpec;
import pmodel.api.params.Parameters;
import pmodel.api.spi.StateReader;
import pmodel.api.spi.StateWriter;
import pmodel.api.spi.Statistics;
import pmodel.api.spi.Support;

/**
 * The histogram: one probability per cell of the product space, θ_j = (n_j + α)/(N + α·d).
 * Continuous features are binned; with one bin per feature it is the uniform "box" model.
 */
public final class HistogramProvider implements CountingProvider {
  static final String ID = "histogram";
  /** The most cells a dense table holds (8 bytes of counts and 24 of tables per cell). */
  static final long DENSE_LIMIT = 1L << 20;

  static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.real("alpha", 1.0, 0, true, Double.MAX_VALUE,
          "additive (Laplace) smoothing: theta = (n + alpha)/(N + alpha*d); 0 is maximum"
          + " likelihood"),
      ParameterSpec.integer("bins", 10, 1, 65536,
          "equal-width bins per continuous feature over the training data's range; 1 is the"
          + " uniform box"),
      ParameterSpec.choice("storage", "auto", List.of("auto", "dense", "sparse"),
          "dense: a table of every cell (at most 2^20 cells); sparse: counts of the observed"
          + " cells only; auto: dense when it fits. Both give the same model"));

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
    return "one probability per cell of the product space (additive smoothing)";
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

  private static ProductSpace spaceOf(Schema schema, int bins) {
    int[] k = new int[schema.size()];
    for (int f = 0; f < k.length; f++) {
      Feature feature = schema.feature(f);
      k[f] = feature.isDiscrete() ? schema.discrete(f).cardinality() : bins;
    }
    return ProductSpace.of(k);
  }

  private static boolean fitsDense(ProductSpace space) {
    return space.indexable() && space.size() <= DENSE_LIMIT;
  }

  @Override
  public Support supports(Schema schema, Parameters params) {
    ProductSpace space = spaceOf(schema, (int) params.integer("bins"));
    if (params.choice("storage").equals("dense") && !fitsDense(space)) {
      return Support.no("storage=dense holds at most " + DENSE_LIMIT + " cells; this schema has"
          + " about e^" + Math.round(space.logSize()) + " cells: use storage=sparse or auto");
    }
    return Support.yes();
  }

  private static boolean dense(Schema schema, Parameters params) {
    ProductSpace space = spaceOf(schema, (int) params.integer("bins"));
    return switch (params.choice("storage")) {
      case "dense" -> {
        if (!fitsDense(space)) {
          throw PmodelException.badInput("histogram storage=dense holds at most " + DENSE_LIMIT
              + " cells; this schema has about e^" + Math.round(space.logSize()));
        }
        yield true;
      }
      case "sparse" -> false;
      default -> fitsDense(space);
    };
  }

  @Override
  public Statistics newStatistics(Schema schema, Parameters params, ColumnRanges ranges) {
    return new HistogramStatistics(
        Discretizer.of(schema, ranges, (int) params.integer("bins")), dense(schema, params));
  }

  @Override
  public GenerativeModel fromStatistics(Statistics statistics, Parameters params) {
    HistogramStatistics s = (HistogramStatistics) statistics;
    if (s.rows() == 0) {
      throw PmodelException.badInput("the data set is empty; the histogram needs at least one"
          + " row");
    }
    if (!s.dense()) {
      s.table().sort();
    }
    return new HistogramModel(s.discretizer(), params, s.rows(), s.denseCounts(),
        s.dense() ? null : s.table());
  }

  @Override
  public void write(GenerativeModel model, StateWriter out) {
    HistogramModel m = (HistogramModel) model;
    out.putLong("rows", m.rows());
    out.putDoubles("lower", m.discretizer().lowerBounds());
    out.putDoubles("upper", m.discretizer().upperBounds());
    if (m.dense()) {
      out.putString("storage", "dense");
      out.putLongs("counts", m.denseCounts());
    } else {
      out.putString("storage", "sparse");
      out.putLong("cells", m.table().size());
      out.putBytes("keys", m.table().packedKeys());
      out.putLongs("counts", m.table().packedCounts());
    }
  }

  @Override
  public GenerativeModel read(StateReader in) {
    Schema schema = in.schema();
    Parameters params = in.hyperparameters();
    int continuous = Discretizer.continuousCount(schema);
    Discretizer disc = Discretizer.of(schema, in.getDoubles("lower", continuous),
        in.getDoubles("upper", continuous), (int) params.integer("bins"));
    long rows = in.getLong("rows");
    if (rows < 1) {
      throw in.corrupt("'rows' is " + rows + "; expected at least 1");
    }
    String storage = in.getString("storage");
    ProductSpace space = ProductSpace.of(disc.cardinalities());
    if (storage.equals("dense")) {
      if (!fitsDense(space)) {
        throw in.corrupt("a dense histogram of e^" + Math.round(space.logSize())
            + " cells is larger than the limit of " + DENSE_LIMIT);
      }
      long[] counts = in.getLongs("counts", (int) space.size());
      checkCounts(in, counts, rows, "'rows'");
      return new HistogramModel(disc, params, rows, counts, null);
    }
    if (!storage.equals("sparse")) {
      throw in.corrupt("'storage' is '" + storage + "'; expected dense or sparse");
    }
    long cells = in.getLong("cells");
    CellKeys keys = new CellKeys(disc);
    if (cells < 1 || cells > rows || cells * keys.width() > Integer.MAX_VALUE - 16) {
      throw in.corrupt("'cells' is " + cells + "; expected 1.." + rows);
    }
    int u = (int) cells;
    long[] counts = in.getLongs("counts", u);
    checkCounts(in, counts, rows, "'rows'");
    if (in.length("keys") != (long) u * keys.width()) {
      throw in.corrupt("'keys' holds " + in.length("keys") + " bytes; expected " + u + " keys of "
          + keys.width() + " bytes");
    }
    byte[] k = in.getBytes("keys", (long) u * keys.width());
    checkKeys(in, disc, keys, k, u, true);
    return new HistogramModel(disc, params, rows, null, RowTable.of(keys.width(), k, counts));
  }

  /**
   * Checks that every one of the {@code u} stored cell keys holds a valid value for each feature
   * and, when {@code sorted}, that the keys are strictly increasing.
   */
  static void checkKeys(StateReader in, Discretizer disc, CellKeys keys, byte[] k, int u,
      boolean sorted) {
    Schema schema = disc.schema();
    int w = keys.width();
    for (int e = 0; e < u; e++) {
      for (int f = 0; f < schema.size(); f++) {
        if (keys.value(k, e * w, f) >= disc.cardinality(f)) {
          throw in.corrupt("cell " + (e + 1) + " has value " + keys.value(k, e * w, f)
              + " for feature '" + schema.feature(f).name() + "'; expected 0.."
              + (disc.cardinality(f) - 1));
        }
      }
      if (sorted && e > 0 && java.util.Arrays.compareUnsigned(k, (e - 1) * w, e * w, k, e * w,
          (e + 1) * w) >= 0) {
        throw in.corrupt("cells are not in increasing order at cell " + (e + 1));
      }
    }
  }

  @Override
  public boolean portableStatistics() {
    return true;
  }

  @Override
  public Statistics readStatistics(StateReader in, ColumnRanges ranges) {
    HistogramStatistics s = (HistogramStatistics) newStatistics(in.schema(),
        in.hyperparameters(), ranges);
    long rows = in.getLong("rows");
    long outOfRange = in.getLong("out_of_range");
    if (rows < 0 || outOfRange < 0 || outOfRange > rows) {
      throw in.corrupt("'rows' is " + rows + " and 'out_of_range' " + outOfRange
          + "; expected 0 <= out_of_range <= rows");
    }
    String storage = in.getString("storage");
    String expected = s.dense() ? "dense" : "sparse";
    if (!storage.equals(expected)) {
      throw in.corrupt("'storage' is '" + storage + "'; these parameters and ranges count in"
          + " a " + expected + " table");
    }
    long[] counts;
    if (s.dense()) {
      counts = in.getLongs("counts", s.denseCounts().length);
      checkCounts(in, counts, rows - outOfRange, "'rows' - 'out_of_range'");
      System.arraycopy(counts, 0, s.denseCounts(), 0, counts.length);
    } else {
      CellKeys keys = s.keys();
      long cells = in.length("counts");
      if (cells > rows || cells * keys.width() > Integer.MAX_VALUE - 16) {
        throw in.corrupt("'counts' holds " + cells + " cells; expected at most 'rows' = "
            + rows);
      }
      int u = (int) cells;
      counts = in.getLongs("counts", u);
      if (in.length("keys") != (long) u * keys.width()) {
        throw in.corrupt("'keys' holds " + in.length("keys") + " bytes; expected " + u
            + " keys of " + keys.width() + " bytes");
      }
      byte[] k = in.getBytes("keys", (long) u * keys.width());
      checkKeys(in, s.discretizer(), keys, k, u, false);
      for (long c : counts) {
        if (c < 1) {
          throw in.corrupt("a stored cell count is " + c + "; expected at least 1");
        }
      }
      checkCounts(in, counts, rows - outOfRange, "'rows' - 'out_of_range'");
      for (int e = 0; e < u; e++) {
        s.table().add(k, e * keys.width(), counts[e]);
      }
      if (s.table().size() != u) {
        throw in.corrupt("a cell appears twice in 'keys'");
      }
    }
    s.restore(rows, outOfRange);
    return s;
  }

  private static void checkCounts(StateReader in, long[] counts, long rows, String what) {
    long sum = 0;
    for (long c : counts) {
      if (c < 0) {
        throw in.corrupt("a cell count is negative (" + c + ")");
      }
      sum += c;
      if (sum < 0) {
        throw in.corrupt("the cell counts overflow a 64-bit sum");
      }
    }
    if (sum != rows) {
      throw in.corrupt("the cell counts sum to " + sum + "; expected " + what + " = " + rows);
    }
  }
}
