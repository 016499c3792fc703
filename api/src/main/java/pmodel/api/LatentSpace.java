package pmodel.api;

import pmodel.api.data.Dataset;

/**
 * Capability: a low-dimensional latent space with an encoder (data to latent points) and a
 * decoder f (latent points to data): a {@link LatentDecoder} that can also encode.
 */
public interface LatentSpace extends LatentDecoder {
  /** The posterior mean of each row, row-major: rows × {@link #latentDimension()} values. */
  double[] encode(Dataset data);

  /**
   * The decoder's mean for each latent point ({@code latent} is row-major, count ×
   * {@link #latentDimension()}), as data of this model's schema.
   */
  @Override
  Dataset decode(double[] latent, int count);
}
