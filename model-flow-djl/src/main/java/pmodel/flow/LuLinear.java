package pmodel.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.djl.Gaussians;
import pmodel.djl.TensorSpec;

/**
 * An invertible linear map y = W x with an LU-parametrised weight (Glow's invertible 1×1
 * convolution, here mixing the features of a table between couplings):
 * W = P · (L ⊙ M_lower + I) · (U ⊙ M_upper + diag(sign ⊙ exp(log|s|))), so that
 * log |det W| = Σ log|s| costs O(d) instead of O(d³). P (a permutation) and sign (±1) stay
 * fixed; L, U and log|s| train. W starts as a random rotation (seeded), decomposed with
 * partial pivoting, as in Glow.
 *
 * @param perm P as a row permutation: row i of P has its 1 in column perm[i]
 * @param sign the fixed signs of the diagonal of U
 */
record LuLinear(String name, int width, int[] perm, double[] sign) implements Layer {
  LuLinear {
    perm = perm.clone();
    sign = sign.clone();
  }

  @Override
  public int[] perm() {
    return perm.clone();
  }

  @Override
  public double[] sign() {
    return sign.clone();
  }

  @Override
  public List<TensorSpec> tensors() {
    long[] square = {width, width};
    return List.of(new TensorSpec(name + ".lower", square, TensorSpec.Init.ZERO, 1),
        new TensorSpec(name + ".upper", square, TensorSpec.Init.ZERO, 1),
        new TensorSpec(name + ".logscale", new long[] {width}, TensorSpec.Init.ZERO, 1));
  }

  @Override
  public double[] scalars() {
    return new double[0];
  }

  /** A layer whose W starts as a random rotation: its fixed P and signs, and L, U, log|s|. */
  static Start randomRotation(String name, int d, UniformRandomProvider rng) {
    // Gram–Schmidt on a Gaussian matrix gives a random orthogonal matrix Q
    double[][] q = new double[d][d];
    float[] g = new float[d * d];
    Gaussians.fill(rng, g, 0, g.length);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        q[i][j] = g[i * d + j];
      }
      for (int k = 0; k < i; k++) {
        double dot = 0;
        for (int j = 0; j < d; j++) {
          dot += q[i][j] * q[k][j];
        }
        for (int j = 0; j < d; j++) {
          q[i][j] -= dot * q[k][j];
        }
      }
      double norm = 0;
      for (int j = 0; j < d; j++) {
        norm += q[i][j] * q[i][j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < d; j++) {
        q[i][j] /= norm;
      }
    }
    // Q = Pᵀ L U by Doolittle elimination with partial pivoting (rows of A = PQ swapped in)
    double[][] a = new double[d][];
    int[] rowOf = new int[d];
    for (int i = 0; i < d; i++) {
      a[i] = q[i].clone();
      rowOf[i] = i;
    }
    double[][] lower = new double[d][d];
    for (int c = 0; c < d; c++) {
      int best = c;
      for (int r = c + 1; r < d; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[best][c])) {
          best = r;
        }
      }
      double[] t = a[c];
      a[c] = a[best];
      a[best] = t;
      double[] tl = lower[c];
      lower[c] = lower[best];
      lower[best] = tl;
      int ti = rowOf[c];
      rowOf[c] = rowOf[best];
      rowOf[best] = ti;
      for (int r = c + 1; r < d; r++) {
        double f = a[r][c] / a[c][c];
        lower[r][c] = f;
        for (int j = c; j < d; j++) {
          a[r][j] -= f * a[c][j];
        }
      }
    }
    // row i of (L U) is row rowOf[i] of Q, so Q = P (L U) with P's row rowOf[i] having its 1 in
    // column i
    int[] perm = new int[d];
    for (int i = 0; i < d; i++) {
      perm[rowOf[i]] = i;
    }
    double[] sign = new double[d];
    float[] l = new float[d * d];
    float[] u = new float[d * d];
    float[] logs = new float[d];
    for (int i = 0; i < d; i++) {
      sign[i] = a[i][i] < 0 ? -1 : 1;
      logs[i] = (float) Math.log(Math.abs(a[i][i]));
      for (int j = 0; j < d; j++) {
        if (j < i) {
          l[i * d + j] = (float) lower[i][j];
        } else if (j > i) {
          u[i * d + j] = (float) a[i][j];
        }
      }
    }
    return new Start(new LuLinear(name, d, perm, sign), new float[][] {l, u, logs});
  }

  /** A layer with its starting values. */
  record Start(LuLinear layer, float[][] values) {
  }

  /** W in double precision from the layer's three tensors (for tests and descriptions). */
  double[][] weight(float[] lower, float[] upper, float[] logScale) {
    int d = width;
    double[][] lu = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = 0;
        for (int m = 0; m <= Math.min(i, j); m++) {
          double lim = m == i ? 1 : lower[i * d + m];
          double umj = m == j ? sign[j] * Math.exp(logScale[j]) : m < j ? upper[m * d + j] : 0;
          s += lim * umj;
        }
        lu[i][j] = s;
      }
    }
    double[][] w = new double[d][];
    for (int i = 0; i < d; i++) {
      w[i] = lu[perm[i]];
    }
    return w;
  }

  @Override
  public Op bind(NDManager manager, Scalars k) {
    int d = width;
    double[] p = new double[d * d];
    double[] lowerMask = new double[d * d];
    double[] upperMask = new double[d * d];
    double[] eye = new double[d * d];
    for (int i = 0; i < d; i++) {
      p[i * d + perm[i]] = 1;
      eye[i * d + i] = 1;
      for (int j = 0; j < d; j++) {
        lowerMask[i * d + j] = j < i ? 1 : 0;
        upperMask[i * d + j] = j > i ? 1 : 0;
      }
    }
    Shape square = new Shape(d, d);
    NDArray pm = manager.create(p, square).toType(k.type(), false);
    NDArray lm = manager.create(lowerMask, square).toType(k.type(), false);
    NDArray um = manager.create(upperMask, square).toType(k.type(), false);
    NDArray id = manager.create(eye, square).toType(k.type(), false);
    NDArray sg = manager.create(sign, new Shape(1, d)).toType(k.type(), false);
    return new Op() {
      private NDArray weight(NDList t) {
        NDArray l = t.get(0).mul(lm).add(id);
        NDArray u = t.get(1).mul(um).add(id.mul(t.get(2).exp().reshape(1, d).mul(sg)));
        return pm.matMul(l.matMul(u));
      }

      @Override
      public NDArray[] forward(NDList t, NDArray x) {
        NDArray y = x.matMul(weight(t).transpose());
        return new NDArray[] {y, rows(x).add(t.get(2).sum())};
      }

      @Override
      public NDArray[] inverse(NDList t, NDArray y) {
        NDArray x = y.matMul(weight(t).inverse().transpose());
        return new NDArray[] {x, rows(y).sub(t.get(2).sum())};
      }

      private NDArray rows(NDArray x) {
        return x.getManager().zeros(new Shape(x.getShape().get(0)), k.type());
      }
    };
  }
}
