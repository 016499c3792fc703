package pmodel.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import pmodel.api.ExactDensity;
import pmodel.api.Family;
import pmodel.api.LatentSpace;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.api.params.Parameters;
import pmodel.djl.DjlEngine;
import pmodel.djl.Gaussians;
import pmodel.djl.NamedTensors;

/**
 * A fitted flow on continuous columns: x is standardized per column, u = (x − mean)/std, then
 * z = f(u) and log p(x) = log N(f(u); 0, I) + log |det ∂f/∂u| − Σ log std, an exact density
 * (the standardization is one more invertible layer, with its log-det). The latent space is z
 * itself (d dimensions): encode is x ↦ f(u) exactly and decode its exact inverse. Samples are
 * decode(T·ε) for ε ~ N(0, I) and the temperature T (T = 1 samples the model's own density).
 *
 * <p>Scoring, encoding, decoding and sampling run in float64 (the parameters were trained in
 * float32 and are widened exactly), in fixed blocks of rows, each call in its own manager, so
 * results depend neither on the thread count nor on other calls; the model holds only Java
 * arrays and is safe to share between threads.
 */
final class FlowModel implements ExactDensity, LatentSpace {
  /** Rows per block of scoring, encoding, decoding and sampling. */
  static final int BLOCK = 4096;
  /** The stream of the samples' latent points, one per block. */
  static final long SAMPLE_STREAM = 0x5a3dL;

  private final Schema schema;
  private final Parameters params;
  private final Flow flow;
  private final float[][] values;
  private final double[] mean;
  private final double[] std;
  private final Training.Curve curve;
  private final double temperature;
  private final double logDetStandardize;

  FlowModel(Schema schema, Parameters params, Flow flow, float[][] values, double[] mean,
      double[] std, Training.Curve curve) {
    this.schema = schema;
    this.params = params;
    this.flow = flow;
    this.values = values;
    this.mean = mean.clone();
    this.std = std.clone();
    this.curve = curve;
    this.temperature = params.real("temperature");
    double s = 0;
    for (double v : std) {
      s -= Math.log(v);
    }
    this.logDetStandardize = s;
  }

  Flow flow() {
    return flow;
  }

  float[][] values() {
    return values;
  }

  double[] mean() {
    return mean.clone();
  }

  double[] std() {
    return std.clone();
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
    return Family.EXPLICIT_TRACTABLE;
  }

  @Override
  public String providerId() {
    return FlowProvider.ID;
  }

  @Override
  public Parameters hyperparameters() {
    return params;
  }

  @Override
  public BigInteger freeParameters() {
    long n = NamedTensors.count(flow.tensors());
    // the LU layers' masked-out halves of L and U are stored but not free
    for (LuLinear lu : flow.mixings()) {
      n -= (long) lu.width() * (lu.width() + 1);
    }
    return BigInteger.valueOf(n);
  }

  @Override
  public int latentDimension() {
    return flow.width;
  }

  private void checkSchema(Dataset data) {
    if (!data.schema().equals(schema)) {
      throw PmodelException.badInput("the data's schema differs from the flow's ("
          + schema.difference(data.schema()) + ")");
    }
  }

  /** Standardized rows [from, to) of the data, row-major. */
  private double[] standardized(Dataset data, int from, int to) {
    int d = flow.width;
    double[] u = new double[(to - from) * d];
    for (int j = 0; j < d; j++) {
      double[] col = data.doubles(j);
      for (int i = from; i < to; i++) {
        u[(i - from) * d + j] = (col[i] - mean[j]) / std[j];
      }
    }
    return u;
  }

  /** The parameters as float64 arrays of {@code m}. */
  private NDList arrays(NDManager m) {
    NDList f = NamedTensors.arrays(m, flow.tensors(), values);
    NDList out = new NDList(f.size());
    for (NDArray a : f) {
      out.add(a.toType(DataType.FLOAT64, true));
    }
    return out;
  }

  /**
   * log p(row) in the data's units. Every finite row has a positive density (a flow's support is
   * all of R^d); a row so far out that the float64 arithmetic overflows scores −∞ (its density
   * underflows), never NaN.
   */
  @Override
  public void logDensities(Dataset data, double[] out, int threads) {
    checkSchema(data);
    if (out.length < data.rows()) {
      throw new IllegalArgumentException("out is shorter than the data");
    }
    int d = flow.width;
    try (NDManager m = DjlEngine.newManager()) {
      NDList p = arrays(m);
      Flow.Bound b = flow.bind(m, DataType.FLOAT64);
      for (int from = 0; from < data.rows(); from += BLOCK) {
        int to = Math.min(data.rows(), from + BLOCK);
        try (NDScope scope = new NDScope()) {
          double[] lp = b.logProb(p, m.create(standardized(data, from, to),
              new Shape(to - from, d))).toDoubleArray();
          for (int i = 0; i < lp.length; i++) {
            double v = lp[i] + logDetStandardize;
            out[from + i] = Double.isNaN(v) || v == Double.POSITIVE_INFINITY
                ? Double.NEGATIVE_INFINITY : v;
          }
        }
      }
    }
  }

  @Override
  public double[] encode(Dataset data) {
    checkSchema(data);
    int d = flow.width;
    double[] out = new double[Math.multiplyExact(data.rows(), d)];
    try (NDManager m = DjlEngine.newManager()) {
      NDList p = arrays(m);
      Flow.Bound b = flow.bind(m, DataType.FLOAT64);
      for (int from = 0; from < data.rows(); from += BLOCK) {
        int to = Math.min(data.rows(), from + BLOCK);
        try (NDScope scope = new NDScope()) {
          double[] z = b.forward(p, m.create(standardized(data, from, to),
              new Shape(to - from, d)))[0].toDoubleArray();
          System.arraycopy(z, 0, out, from * d, z.length);
        }
      }
    }
    return out;
  }

  @Override
  public Dataset decode(double[] latent, int count) {
    int d = flow.width;
    if (count < 0 || latent.length < (long) count * d) {
      throw PmodelException.badInput("decode needs " + count + " x " + d + " latent values; got "
          + latent.length);
    }
    for (int i = 0; i < count * d; i++) {
      if (!Double.isFinite(latent[i])) {
        throw PmodelException.badInput("latent value " + (i + 1) + " is " + latent[i]
            + "; expected a finite number");
      }
    }
    return rows(latent, count);
  }

  /** x = f⁻¹(z) · std + mean for latent rows z. */
  private Dataset rows(double[] z, int count) {
    int d = flow.width;
    double[][] cols = new double[d][count];
    try (NDManager m = DjlEngine.newManager()) {
      NDList p = arrays(m);
      Flow.Bound b = flow.bind(m, DataType.FLOAT64);
      for (int from = 0; from < count; from += BLOCK) {
        int to = Math.min(count, from + BLOCK);
        try (NDScope scope = new NDScope()) {
          double[] u = b.inverse(p, m.create(java.util.Arrays.copyOfRange(z, from * d, to * d),
              new Shape(to - from, d)))[0].toDoubleArray();
          for (int i = 0; i < to - from; i++) {
            for (int j = 0; j < d; j++) {
              double v = u[i * d + j] * std[j] + mean[j];
              if (!Double.isFinite(v)) {
                throw PmodelException.failure("the flow's inverse overflowed at latent point "
                    + (from + i + 1) + " (a point far outside the latent mass)", null);
              }
              cols[j][from + i] = v;
            }
          }
        }
      }
    }
    return Dataset.of(schema, count, cols);
  }

  /** Latent points T·ε, ε ~ N(0, I), block b of {@value #BLOCK} from stream (seed, b). */
  @Override
  public Dataset sample(int n, long seed, int threads) {
    if (n < 0) {
      throw PmodelException.badInput("cannot draw " + n + " samples");
    }
    int d = flow.width;
    float[] eps = new float[Math.multiplyExact(n, d)];
    for (int b = 0; (long) b * BLOCK < n; b++) {
      int from = b * BLOCK;
      int to = Math.min(n, from + BLOCK);
      Gaussians.fill(RandomStreams.create(seed, SAMPLE_STREAM, b), eps, from * d, to * d);
    }
    double[] z = new double[eps.length];
    for (int i = 0; i < z.length; i++) {
      z[i] = temperature * eps[i];
    }
    return rows(z, n);
  }

  @Override
  public List<String> describe(int limit) {
    List<String> out = new ArrayList<>();
    Flow.Shape s = FlowProvider.shape(schema, params);
    out.add(String.format(Locale.ROOT, "%s flow on %d columns: %d blocks of ActNorm,%s %s"
        + " coupling (MLP %s)%s", s.spline() == null ? "affine" : "spline", flow.width,
        s.blocks(), flow.width >= 2 ? " LU mixing," : "", s.spline() == null ? "affine"
        : "rational-quadratic", params.asStrings().get("hidden"), s.spline() == null ? ""
        : String.format(Locale.ROOT, ", %d bins on [-%s, %s] of the standardized data",
            s.spline().bins, fmt(s.spline().bound), fmt(s.spline().bound))));
    int epochs = curve.loss().length;
    double seconds = 0;
    for (double v : curve.seconds()) {
      seconds += v;
    }
    if (out.size() < limit && epochs > 0) {
      out.add(String.format(Locale.ROOT, "training: %d steps in %d epochs (%.1f s), last"
          + " epoch's loss %.4f nats per row", params.integer("steps"), epochs, seconds,
          curve.loss()[epochs - 1]));
    }
    if (out.size() < limit && temperature != 1) {
      out.add(String.format(Locale.ROOT, "samples at temperature %s (1 samples the density)",
          fmt(temperature)));
    }
    return out.subList(0, Math.min(limit, out.size()));
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
