package pmodel.diffusion;

/**
 * ε_θ(x_t, t): predicts the noise in x_t. The samplers and the variational bound see the network
 * only through this interface, so the same trained network samples with any sampler (the shape
 * of diffusers' UNet and schedulers), and the tests can plug in the exact optimal predictor of
 * a known distribution.
 */
interface NoisePredictor extends AutoCloseable {
  /**
   * Writes ε̂ for {@code rows} rows of {@code dim} values: row r is
   * {@code x[r·dim .. (r+1)·dim)} at step index {@code t[r]} (0-based: index i is step i + 1).
   */
  void predict(double[] x, int[] t, int rows, double[] out);

  /** The values per row. */
  int dim();

  /** Releases native memory, if any. */
  @Override
  default void close() {
  }
}
