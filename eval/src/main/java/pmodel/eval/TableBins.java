package pmodel.eval;

import java.util.ArrayList;
import java.util.List;
import pmodel.api.data.Binning;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;

/**
 * The discrete codes that table metrics compare: a discrete feature keeps its levels; a continuous
 * one is cut into equal-width bins over the range of the reference data (the held-out rows), plus
 * one bin below and one above that range, so that every model's samples are counted in the same
 * bins and samples outside the real data's range still count against the model. Fixed by the
 * reference alone, the bins are the same for every model compared with it.
 */
public final class TableBins {
  /** The default number of bins inside the reference range of a continuous feature. */
  public static final int DEFAULT_BINS = 20;

  private final Schema schema;
  private final Binning[] binnings; // null for discrete features
  private final int[] cardinality;

  private TableBins(Schema schema, Binning[] binnings) {
    this.schema = schema;
    this.binnings = binnings;
    this.cardinality = new int[schema.size()];
    for (int f = 0; f < cardinality.length; f++) {
      cardinality[f] = binnings[f] == null ? schema.discrete(f).cardinality()
          : binnings[f].bins() + 2;
    }
  }

  /** Bins fixed by the reference data, {@code bins} per continuous feature inside its range. */
  public static TableBins of(Dataset reference, int bins) {
    Schema schema = reference.schema();
    Binning[] b = new Binning[schema.size()];
    for (int f = 0; f < b.length; f++) {
      if (!schema.feature(f).isDiscrete()) {
        b[f] = Binning.fit(schema.feature(f).name(), reference.doubles(f), bins);
      }
    }
    return new TableBins(schema, b);
  }

  public Schema schema() {
    return schema;
  }

  /** The number of codes of feature f (levels, or bins plus the two outside ones). */
  public int cardinality(int f) {
    return cardinality[f];
  }

  /** The label of a code: a level name, or the interval of a bin. */
  public String label(int f, int code) {
    Binning b = binnings[f];
    if (b == null) {
      return ((DiscreteFeature) schema.feature(f)).level(code);
    }
    if (code == 0) {
      return "< " + fmt(b.lower());
    }
    if (code == cardinality[f] - 1) {
      return "> " + fmt(b.upper());
    }
    double lo = b.lower() + (code - 1) * b.width();
    return "[" + fmt(lo) + ", " + fmt(lo + b.width()) + ")";
  }

  /** All labels of feature f, in code order. */
  public List<String> labels(int f) {
    List<String> out = new ArrayList<>(cardinality[f]);
    for (int c = 0; c < cardinality[f]; c++) {
      out.add(label(f, c));
    }
    return out;
  }

  /** True when feature f is continuous (binned). */
  public boolean binned(int f) {
    return binnings[f] != null;
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.4g", v);
  }

  /** The codes of feature f for every row of {@code data}, which must have this schema. */
  public int[] codes(Dataset data, int f) {
    int n = data.rows();
    int[] out = new int[n];
    Binning b = binnings[f];
    if (b == null) {
      if (Dataset.storesBytes(schema.discrete(f))) {
        byte[] c = data.bytes(f);
        for (int i = 0; i < n; i++) {
          out[i] = c[i] & 0xFF;
        }
      } else {
        System.arraycopy(data.ints(f), 0, out, 0, n);
      }
      return out;
    }
    double[] v = data.doubles(f);
    for (int i = 0; i < n; i++) {
      double x = v[i];
      out[i] = x < b.lower() ? 0 : x > b.upper() ? b.bins() + 1 : b.bin(x) + 1;
    }
    return out;
  }

  /** The relative frequency of every code of feature f in {@code data}. */
  public double[] marginal(Dataset data, int f) {
    double[] p = new double[cardinality[f]];
    int[] codes = codes(data, f);
    for (int c : codes) {
      p[c]++;
    }
    for (int c = 0; c < p.length; c++) {
      p[c] /= Math.max(1, codes.length);
    }
    return p;
  }
}
