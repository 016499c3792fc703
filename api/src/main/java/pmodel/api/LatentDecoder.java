package pmodel.api;

import pmodel.api.data.Dataset;

/**
 * Capability: a decoder (generator) f from a low-dimensional latent space to data, with no
 * encoder. A GAN has one: its generator maps Gaussian latent points to rows, but nothing maps
 * rows back. Decoding lets callers walk the latent space, e.g. interpolate between two points.
 * {@link LatentSpace} adds the encoder.
 */
public interface LatentDecoder extends GenerativeModel {
  /** The number of latent coordinates. */
  int latentDimension();

  /**
   * The data the decoder maps each latent point to ({@code latent} is row-major, count ×
   * {@link #latentDimension()}), as rows of this model's schema. The same points give the same
   * rows.
   */
  Dataset decode(double[] latent, int count);
}
