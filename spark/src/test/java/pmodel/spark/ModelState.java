package pmodel.spark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import pmodel.api.GenerativeModel;
import pmodel.api.spi.ModelProvider;
import pmodel.api.spi.StateWriter;

/**
 * Everything a provider writes about a fitted model (what goes into its model file's
 * "parameters"), as printable values: two models with equal states are the same model, count for
 * count.
 */
final class ModelState {
  private ModelState() {
  }

  static Map<String, String> of(ModelProvider provider, GenerativeModel model) {
    Map<String, String> values = new LinkedHashMap<>();
    provider.write(model, new StateWriter() {
      @Override
      public void putLong(String name, long value) {
        values.put(name, Long.toString(value));
      }

      @Override
      public void putDouble(String name, double value) {
        values.put(name, Double.toString(value));
      }

      @Override
      public void putString(String name, String value) {
        values.put(name, value);
      }

      @Override
      public void putInts(String name, int[] v) {
        values.put(name, Arrays.toString(v));
      }

      @Override
      public void putLongs(String name, long[] v) {
        values.put(name, Arrays.toString(v));
      }

      @Override
      public void putDoubles(String name, double[] v) {
        values.put(name, Arrays.toString(v));
      }

      @Override
      public void putFloats(String name, float[] v) {
        values.put(name, Arrays.toString(v));
      }

      @Override
      public void putBytes(String name, byte[] v) {
        values.put(name, Arrays.toString(v));
      }
    });
    return values;
  }
}
