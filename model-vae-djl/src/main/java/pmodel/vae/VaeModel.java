package pmodel.vae;

import pmodel.djl.Gaussians;
import pmodel.djl.DjlEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.DensityBound;
import pmodel.api.Family;
import pmodel.api.LatentSpace;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.api.params.Parameters;

/**
 * A fitted variational autoencoder: p(z) = N(0, I), a decoder p(x | z) and an encoder
 * q(z | x) = N(μ(x), diag σ²(x)). It bounds log p(x) from below by the ELBO, estimates it more
 * tightly by importance sampling, encodes rows to their posterior means and decodes latent
 * points. {@link #sample} draws z from the prior and x from the decoder (true samples);
 * {@link #decode} returns the decoder's mean image of each latent point.
 *
 * <p>Every random quantity of row i comes from its own stream of (seed, i), so results do not
 * depend on how rows are batched. Each call runs in its own scoped NDManager: the model itself
 * holds only Java arrays and is safe to share between threads.
 */
final class VaeModel implements DensityBound, LatentSpace {
  /**
   * Rows per batch for encoding and bounds; latent points per batch for decoding. These are
   * upper limits: a wide convolutional network gets smaller batches
   * ({@link Network.Layout#rowsPerBatch}).
   */
  static final int BATCH = 512;
  /** Rows per independent block of samples (the unit of their random streams). */
  static final int SAMPLE_BLOCK = 256;
  /** Decoder evaluations per batch of the importance-weighted estimate. */
  static final int IW_BATCH = 4096;
  private static final double LOG_2PI = Math.log(2 * Math.PI);

  private final Schema schema;
  private final Parameters params;
  private final Likelihood likelihood;
  private final Network network;
  private final Training.Curve curve;
  private final int levels;

  VaeModel(Schema schema, Parameters params, Likelihood likelihood, Network network,
      Training.Curve curve) {
    this.schema = schema;
    this.params = params;
    this.likelihood = likelihood;
    this.network = network;
    this.curve = curve;
    int k = Likelihood.commonLevels(schema);
    this.levels = Math.max(2, k);
  }

  Likelihood likelihood() {
    return likelihood;
  }

  Network network() {
    return network;
  }

  Training.Curve curve() {
    return curve;
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public Family family() {
    return Family.EXPLICIT_APPROXIMATE;
  }

  @Override
  public String providerId() {
    return VaeProvider.ID;
  }

  @Override
  public Parameters hyperparameters() {
    return params;
  }

  @Override
  public BigInteger freeParameters() {
    return BigInteger.valueOf(network.layout.parameterCount());
  }

  @Override
  public int latentDimension() {
    return network.layout.latent();
  }

  private void checkSchema(Dataset data) {
    if (!data.schema().equals(schema)) {
      throw PmodelException.badInput("the data's schema differs from the VAE's ("
          + schema.difference(data.schema()) + ")");
    }
  }

  private Likelihood.Source source(Dataset data) {
    return new Likelihood.Source(data, !(likelihood instanceof Likelihood.Table));
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  @Override
  public void lowerBounds(Dataset data, double[] out, long seed) {
    importanceWeighted(data, 1, out, seed);
  }

  /**
   * With k = 1 this is the ELBO log p(x|z) + log p(z) − log q(z|x) at one z per row (the
   * single-sample estimate whose expectation is the ELBO); with k > 1 the importance-weighted
   * bound log (1/k) Σ p(x, z_j)/q(z_j | x) (Burda et al. 2016), which is ≥ the ELBO in
   * expectation and tends to log p(x) as k grows.
   */
  @Override
  public void importanceWeighted(Dataset data, int k, double[] out, long seed) {
    checkSchema(data);
    if (k < 1) {
      throw PmodelException.badInput("importance samples k = " + k + "; expected k >= 1");
    }
    if (out.length < data.rows()) {
      throw new IllegalArgumentException("out is shorter than the data");
    }
    Network.Layout lay = network.layout;
    int z = lay.latent();
    int in = lay.input();
    int ow = lay.output();
    int decoderRows = lay.rowsPerBatch(IW_BATCH);
    int rowsPerBatch = Math.max(1, Math.min(lay.rowsPerBatch(BATCH), decoderRows / k));
    Likelihood.Source src = source(data);
    int[] order = identity(data.rows());
    double offset = likelihood.logOffset();
    float[] input = new float[rowsPerBatch * in];
    float[] target = new float[rowsPerBatch * ow];
    try (NDManager m = DjlEngine.newManager()) {
      NDList p = network.arrays(m);
      NDArray logScale = Network.logScale(lay, p);
      Likelihood.Constants c = new Likelihood.Constants(m, levels, 1);
      for (int from = 0; from < data.rows(); from += rowsPerBatch) {
        int to = Math.min(data.rows(), from + rowsPerBatch);
        int b = to - from;
        likelihood.fill(src, order, from, to, input, target);
        try (NDScope scope = new NDScope()) {
          NDList mv = Network.encode(lay, p, m.create(slice(input, b * in), new Shape(b, in)));
          float[] mu = mv.get(0).toFloatArray();
          float[] logVar = mv.get(1).toFloatArray();
          float[] zs = new float[b * k * z];
          double[] logPz = new double[b * k];
          double[] logQ = new double[b * k];
          float[] eps = new float[k * z];
          for (int r = 0; r < b; r++) {
            Gaussians.fill(RandomStreams.create(seed, 0xe1b0L, from + r), eps, 0, k * z);
            for (int j = 0; j < k; j++) {
              double lpz = 0;
              double lq = 0;
              for (int d = 0; d < z; d++) {
                double lv = logVar[r * z + d];
                double e = eps[j * z + d];
                double zz = mu[r * z + d] + e * Math.exp(0.5 * lv);
                zs[(r * k + j) * z + d] = (float) zz;
                lpz += -0.5 * zz * zz - 0.5 * LOG_2PI;
                lq += -0.5 * e * e - 0.5 * lv - 0.5 * LOG_2PI;
              }
              logPz[r * k + j] = lpz;
              logQ[r * k + j] = lq;
            }
          }
          // the decoder runs on at most decoderRows latent points at a time (row r's j-th point
          // is decoder row r·k + j, its target row r of the batch)
          float[] logPx = new float[b * k];
          float[] tiled = new float[Math.min(b * k, decoderRows) * ow];
          for (int d0 = 0; d0 < b * k; d0 += decoderRows) {
            int d1 = Math.min(b * k, d0 + decoderRows);
            for (int d = d0; d < d1; d++) {
              System.arraycopy(target, (d / k) * ow, tiled, (d - d0) * ow, ow);
            }
            try (NDScope chunk = new NDScope()) {
              NDArray dec = Network.decode(lay, p, m.create(
                  java.util.Arrays.copyOfRange(zs, d0 * z, d1 * z), new Shape(d1 - d0, z)));
              float[] part = likelihood.logLikelihood(c, dec, m.create(
                  slice(tiled, (d1 - d0) * ow), new Shape(d1 - d0, ow)), logScale)
                  .toFloatArray();
              System.arraycopy(part, 0, logPx, d0, d1 - d0);
            }
          }
          for (int r = 0; r < b; r++) {
            double max = Double.NEGATIVE_INFINITY;
            double[] w = new double[k];
            for (int j = 0; j < k; j++) {
              int i = r * k + j;
              w[j] = logPx[i] + offset + logPz[i] - logQ[i];
              max = Math.max(max, w[j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
              sum += Math.exp(w[j] - max);
            }
            out[from + r] = max + Math.log(sum) - Math.log(k);
          }
        }
      }
    }
  }

  private static float[] slice(float[] a, int n) {
    return a.length == n ? a : java.util.Arrays.copyOf(a, n);
  }

  @Override
  public double[] encode(Dataset data) {
    checkSchema(data);
    Network.Layout lay = network.layout;
    int z = lay.latent();
    double[] out = new double[Math.multiplyExact(data.rows(), z)];
    Likelihood.Source src = source(data);
    int[] order = identity(data.rows());
    int batch = lay.rowsPerBatch(BATCH);
    float[] input = new float[batch * lay.input()];
    float[] target = new float[batch * lay.output()];
    try (NDManager m = DjlEngine.newManager()) {
      NDList p = network.arrays(m);
      for (int from = 0; from < data.rows(); from += batch) {
        int to = Math.min(data.rows(), from + batch);
        int b = to - from;
        likelihood.fill(src, order, from, to, input, target);
        try (NDScope scope = new NDScope()) {
          float[] mu = Network.encode(lay, p, m.create(slice(input, b * lay.input()),
              new Shape(b, lay.input()))).get(0).toFloatArray();
          for (int i = 0; i < mu.length; i++) {
            out[from * z + i] = mu[i];
          }
        }
      }
    }
    return out;
  }

  @Override
  public Dataset decode(double[] latent, int count) {
    int z = network.layout.latent();
    if (count < 0 || latent.length < (long) count * z) {
      throw PmodelException.badInput("decode needs " + count + " x " + z + " latent values; got "
          + latent.length);
    }
    float[] zs = new float[count * z];
    for (int i = 0; i < zs.length; i++) {
      zs[i] = (float) latent[i];
    }
    return generate(zs, count, null);
  }

  @Override
  public Dataset sample(int n, long seed, int threads) {
    if (n < 0) {
      throw PmodelException.badInput("cannot draw " + n + " samples");
    }
    int z = network.layout.latent();
    float[] zs = new float[Math.multiplyExact(n, z)];
    for (int b = 0; b * SAMPLE_BLOCK < n; b++) {
      int from = b * SAMPLE_BLOCK;
      int to = Math.min(n, from + SAMPLE_BLOCK);
      Gaussians.fill(RandomStreams.create(seed, 0x9a11L, b), zs, from * z, to * z);
    }
    return generate(zs, n, seed);
  }

  /** Decoder outputs of the latent rows; means when {@code seed} is null, else samples. */
  private Dataset generate(float[] zs, int n, Long seed) {
    Network.Layout lay = network.layout;
    int z = lay.latent();
    Object[] cols = new Object[schema.size()];
    for (int f = 0; f < cols.length; f++) {
      cols[f] = Dataset.newColumn(schema.feature(f), n);
    }
    float[] logScale = network.logScale();
    int part = lay.rowsPerBatch(SAMPLE_BLOCK);
    int ow = lay.output();
    try (NDManager m = DjlEngine.newManager()) {
      NDList p = network.arrays(m);
      for (int from = 0; from < n; from += SAMPLE_BLOCK) {
        int to = Math.min(n, from + SAMPLE_BLOCK);
        int b = to - from;
        // the block's decoder outputs, in parts of at most `part` rows (see rowsPerBatch);
        // the block's random stream then draws its samples in one pass, as for any part size
        float[] out = new float[b * ow];
        for (int r0 = 0; r0 < b; r0 += part) {
          int r1 = Math.min(b, r0 + part);
          try (NDScope scope = new NDScope()) {
            float[] o = Network.decode(lay, p, m.create(java.util.Arrays.copyOfRange(zs,
                (from + r0) * z, (from + r1) * z), new Shape(r1 - r0, z))).toFloatArray();
            System.arraycopy(o, 0, out, r0 * ow, o.length);
          }
        }
        UniformRandomProvider rng = seed == null ? null
            : RandomStreams.create(seed, 0x5a3dL, from / SAMPLE_BLOCK);
        likelihood.decode(out, logScale, b, rng, cols, from);
      }
    }
    return Dataset.of(schema, n, cols);
  }

  @Override
  public List<String> describe(int limit) {
    List<String> out = new ArrayList<>();
    Network.Layout l = network.layout;
    out.add(l.describe() + ", likelihood " + likelihood.id() + ", latent dimension "
        + l.latent());
    int epochs = curve.loss().length;
    for (int e = Math.max(0, epochs - (limit - 1)); e < epochs && out.size() < limit; e++) {
      out.add(String.format(Locale.ROOT, "epoch %d: loss %.4f, reconstruction %.4f, kl %.4f"
          + " nats per row (%.1f s)", e + 1, curve.loss()[e], curve.reconstruction()[e],
          curve.kl()[e], curve.seconds()[e]));
    }
    return out;
  }
}
