package pmodel.api.spi;

/**
 * Where a provider writes a fitted model's parameters, as named typed values. Small values go
 * into {@code model.json}; large arrays become binary blobs beside it. Names are lowercase words
 * ({@code [a-z0-9_.-]+}), each used once. Nothing here can name a class: a model file is data.
 */
public interface StateWriter {
  /**
   * The most bytes one array (blob) may hold: a model file must be readable by the pmodel that
   * writes it, so writers and readers apply this one limit, and a provider whose state would
   * exceed it refuses the schema in {@code supports} before the fit.
   */
  long MAX_BLOB_BYTES = Integer.MAX_VALUE - 16;

  void putLong(String name, long value);

  void putDouble(String name, double value);

  void putString(String name, String value);

  void putInts(String name, int[] values);

  void putLongs(String name, long[] values);

  void putDoubles(String name, double[] values);

  void putFloats(String name, float[] values);

  /** Opaque bytes, e.g. a neural network's parameter file. */
  void putBytes(String name, byte[] values);
}
