package pmodel.tck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pmodel.api.data.Dataset;
import pmodel.api.spi.StateWriter;
import pmodel.api.spi.Statistics;

/**
 * Damaged copies of written statistics for the kit: the values a provider's
 * {@link Statistics#write} produces are recorded, then replayed with one change each (a value
 * missing, an array cut to half or one element longer, a count made negative or one larger), so
 * that the provider's {@code readStatistics} sees well-formed bytes holding wrong values.
 */
final class StatisticsEdits {
  /** One damaged copy and what was done to it. */
  record Variant(String what, Statistics statistics) {
  }

  private StatisticsEdits() {
  }

  /** The values {@code s} writes, in order. */
  static Map<String, Object> record(Statistics s) {
    Map<String, Object> values = new LinkedHashMap<>();
    s.write(new StateWriter() {
      @Override
      public void putLong(String name, long value) {
        values.put(name, value);
      }

      @Override
      public void putDouble(String name, double value) {
        values.put(name, value);
      }

      @Override
      public void putString(String name, String value) {
        values.put(name, value);
      }

      @Override
      public void putInts(String name, int[] v) {
        values.put(name, v.clone());
      }

      @Override
      public void putLongs(String name, long[] v) {
        values.put(name, v.clone());
      }

      @Override
      public void putDoubles(String name, double[] v) {
        values.put(name, v.clone());
      }

      @Override
      public void putFloats(String name, float[] v) {
        values.put(name, v.clone());
      }

      @Override
      public void putBytes(String name, byte[] v) {
        values.put(name, v.clone());
      }
    });
    return values;
  }

  static List<Variant> variants(Map<String, Object> values) {
    List<Variant> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      String name = e.getKey();
      Object v = e.getValue();
      Map<String, Object> missing = new LinkedHashMap<>(values);
      missing.remove(name);
      out.add(new Variant("value '" + name + "' is missing", new Replay(missing)));
      if (v instanceof Long x) {
        out.add(edit(values, name, x + 1, "is one larger"));
        out.add(edit(values, name, -1L - Math.abs(x), "is negative"));
      } else if (v instanceof String) {
        out.add(edit(values, name, "unexpected", "is another word"));
      } else if (v instanceof Double) {
        out.add(edit(values, name, Double.NaN, "is NaN"));
      } else if (!(v instanceof Number)) {
        int len = java.lang.reflect.Array.getLength(v);
        out.add(edit(values, name, resized(v, len / 2), "is cut to half its length"));
        out.add(edit(values, name, resized(v, len + 1), "is one element longer"));
        if (v instanceof long[] a && a.length > 0) {
          long[] plus = a.clone();
          plus[0]++;
          out.add(edit(values, name, plus, "has its first count one larger"));
          long[] neg = a.clone();
          neg[0] = -1;
          out.add(edit(values, name, neg, "has a negative first count"));
        }
      }
    }
    return out;
  }

  private static Variant edit(Map<String, Object> values, String name, Object value,
      String what) {
    Map<String, Object> copy = new LinkedHashMap<>(values);
    copy.put(name, value);
    return new Variant("value '" + name + "' " + what, new Replay(copy));
  }

  private static Object resized(Object array, int length) {
    if (array instanceof int[] a) {
      return Arrays.copyOf(a, length);
    }
    if (array instanceof long[] a) {
      return Arrays.copyOf(a, length);
    }
    if (array instanceof double[] a) {
      return Arrays.copyOf(a, length);
    }
    if (array instanceof float[] a) {
      return Arrays.copyOf(a, length);
    }
    return Arrays.copyOf((byte[]) array, length);
  }

  /** Statistics that only write the given values (they cannot count or merge). */
  static final class Replay implements Statistics {
    private final Map<String, Object> values;

    Replay(Map<String, Object> values) {
      this.values = values;
    }

    @Override
    public void add(Dataset data, int from, int to) {
      throw new UnsupportedOperationException("replayed statistics cannot count");
    }

    @Override
    public void merge(Statistics other) {
      throw new UnsupportedOperationException("replayed statistics cannot merge");
    }

    @Override
    public long rows() {
      return 0;
    }

    @Override
    public void write(StateWriter out) {
      for (Map.Entry<String, Object> e : values.entrySet()) {
        String n = e.getKey();
        Object v = e.getValue();
        if (v instanceof Long x) {
          out.putLong(n, x);
        } else if (v instanceof Double x) {
          out.putDouble(n, x);
        } else if (v instanceof String x) {
          out.putString(n, x);
        } else if (v instanceof int[] x) {
          out.putInts(n, x);
        } else if (v instanceof long[] x) {
          out.putLongs(n, x);
        } else if (v instanceof double[] x) {
          out.putDoubles(n, x);
        } else if (v instanceof float[] x) {
          out.putFloats(n, x);
        } else {
          out.putBytes(n, (byte[]) v);
        }
      }
    }
  }
}
