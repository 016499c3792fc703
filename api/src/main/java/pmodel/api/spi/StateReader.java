package pmodel.api.spi;

import pmodel.api.params.Parameters;

import pmodel.api.error.PmodelException;
import pmodel.api.data.Schema;

/**
 * Reads back what a {@link StateWriter} wrote, checking as it goes: a missing value, a wrong type
 * or an array of the wrong length fails with a {@link PmodelException} that names the model file
 * and the value. Array lengths are checked before anything is allocated.
 */
public interface StateReader {
  /** The schema the model was fitted on. */
  Schema schema();

  /** The hyperparameters the model was fitted with, validated against the provider's specs. */
  Parameters hyperparameters();

  /** Where the state comes from, for messages (the model file's path). */
  String source();

  boolean has(String name);

  long getLong(String name);

  double getDouble(String name);

  String getString(String name);

  /** The number of elements of a stored array (or bytes of a byte value). */
  long length(String name);

  int[] getInts(String name, int expectedLength);

  long[] getLongs(String name, int expectedLength);

  double[] getDoubles(String name, int expectedLength);

  float[] getFloats(String name, int expectedLength);

  /** Opaque bytes of at most {@code maxLength}. */
  byte[] getBytes(String name, long maxLength);

  /** A bad-input error about this model file: "model file F: " + what. */
  default PmodelException corrupt(String what) {
    return PmodelException.badInput("model file " + source() + ": " + what);
  }
}
