package pmodel.eval;

/**
 * How much sampled images look like held-out images (see {@link SampleMetrics}); distances and
 * errors are on the pixel scale [0, 1].
 *
 * @param nearestTrainingDistance the mean distance (root mean square pixel difference) from each
 *     sample to its nearest training image: near 0 means the model copies its training data
 * @param heldOutNearestTrainingDistance the same for as many held-out images: what real, new
 *     images score, the reference to read the first number against
 * @param pixelMeanError the mean absolute difference of the per-pixel means
 * @param pixelVarianceError the mean absolute difference of the per-pixel variances
 * @param copyFraction the fraction of samples that equal a training image exactly
 */
public record ImageQuality(double nearestTrainingDistance, double heldOutNearestTrainingDistance,
    double pixelMeanError, double pixelVarianceError, double copyFraction) {
}
