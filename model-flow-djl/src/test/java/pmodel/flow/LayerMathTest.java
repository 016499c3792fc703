package pmodel.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pmodel.api.compute.RandomStreams;
import pmodel.djl.DjlEngine;
import pmodel.djl.Gaussians;
import pmodel.djl.TensorSpec;

/**
 * The math of every layer and of a whole small flow, in float64: the log-determinant each layer
 * reports equals log |det J| of its Jacobian J computed independently by autodiff (one backward
 * pass per output coordinate, through the layer's forward code only, never through its log-det
 * formula), and the inverse undoes the forward pass.
 *
 * <p>Tolerances: every quantity is a float64 computation of at most a few hundred operations on
 * values of magnitude below 10³ (parameters are drawn N(0, 0.5²), inputs N(0, 1.5²) plus a few
 * rows beyond the spline's tail bound), so each carries a relative rounding error below
 * ~300 · 1.1e-16 ≈ 3e-14 of its magnitude; log |det J| by LU of a d ≤ 4 Jacobian whose entries
 * are accurate to that, and whose condition number stays below 10³ for such parameters (the
 * spline's derivatives are bounded below by min-derivative and the bins by their minimum
 * widths), is accurate to about 10³ · 3e-14 = 3e-11. We allow 1e-9: well above these errors and
 * far below the smallest error a wrong formula makes (a missing term changes log |det| by the
 * log of a derivative, typically 1e-2 or more). The inverse is a quadratic solved in its stable
 * form, so x is recovered to ~1e-13 relative; we allow 1e-9 absolute on |x| ≤ 10.
 */
class LayerMathTest {
  static final double TOL = 1e-9;
  static NDManager manager;

  @BeforeAll
  static void start() {
    manager = DjlEngine.newManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  static Spline spline() {
    return new Spline(5, 2.0, 1e-3, 1e-3, 1e-3);
  }

  /** Every tensor N(0, 0.5²) (the ZERO starts would make every coupling the identity). */
  static NDList randomParams(List<TensorSpec> tensors, long seed) {
    NDList p = new NDList();
    for (int i = 0; i < tensors.size(); i++) {
      TensorSpec t = tensors.get(i);
      float[] v = new float[t.size()];
      Gaussians.fill(RandomStreams.create(seed, i), v, 0, v.length);
      double[] d = new double[v.length];
      for (int j = 0; j < v.length; j++) {
        d[j] = 0.5 * v[j];
      }
      p.add(manager.create(d, new Shape(t.shape())));
    }
    return p;
  }

  /** Rows N(0, 1.5²), and the last rows placed beyond and on the tail bound ±2. */
  static double[] rows(int n, int d, long seed) {
    UniformRandomProvider rng = RandomStreams.create(seed, 77);
    double[] x = new double[n * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = 1.5 * Gaussians.next(rng);
    }
    x[(n - 1) * d] = 3.7;
    x[(n - 2) * d] = -2.5;
    x[(n - 3) * d] = 1.9999;
    return x;
  }

  @Test
  void actNormLogDetAndInverse() {
    for (int d : new int[] {1, 3}) {
      check(new ActNorm("a", d), d, 11);
    }
  }

  @Test
  void luLinearLogDetAndInverse() {
    for (int d : new int[] {2, 4}) {
      LuLinear.Start s = LuLinear.randomRotation("m", d, RandomStreams.create(5, d));
      check(s.layer(), d, 12);
    }
  }

  @Test
  void randomRotationDecomposesARotation() {
    int d = 4;
    LuLinear.Start s = LuLinear.randomRotation("m", d, RandomStreams.create(9, 1));
    double[][] w = s.layer().weight(s.values()[0], s.values()[1], s.values()[2]);
    // W Wᵀ = I: the LU start is a rotation (float32 storage of L, U, log|s|: about 1e-7)
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double dot = 0;
        for (int m = 0; m < d; m++) {
          dot += w[i][m] * w[j][m];
        }
        assertThat(dot).isCloseTo(i == j ? 1 : 0, within(1e-5));
      }
    }
  }

  @Test
  void affineCouplingLogDetAndInverse() {
    for (int d : new int[] {1, 2, 3}) {
      for (boolean odd : new boolean[] {false, true}) {
        check(new Coupling("c", d, odd, new int[] {7, 5}, null), d, 13);
      }
    }
  }

  @Test
  void splineCouplingLogDetAndInverse() {
    for (int d : new int[] {1, 2, 3}) {
      for (boolean odd : new boolean[] {false, true}) {
        check(new Coupling("c", d, odd, new int[] {7}, spline()), d, 14);
      }
    }
  }

  @Test
  void zeroOutputSplineIsTheIdentity() {
    Coupling c = new Coupling("c", 2, false, new int[] {4}, spline());
    NDList p = randomParams(c.tensors(), 3);
    // zero the output layer: equal bins and unit derivatives, the identity map
    p.set(p.size() - 2, p.get(p.size() - 2).zerosLike());
    p.set(p.size() - 1, p.get(p.size() - 1).zerosLike());
    Flow flow = new Flow(2, List.of(c));
    Flow.Bound b = flow.bind(manager, DataType.FLOAT64);
    double[] x = rows(20, 2, 4);
    NDArray[] r = b.forward(p, manager.create(x, new Shape(20, 2)));
    double[] y = r[0].toDoubleArray();
    for (int i = 0; i < x.length; i++) {
      assertThat(y[i]).isCloseTo(x[i], within(TOL));
    }
    for (double v : r[1].toDoubleArray()) {
      assertThat(v).isCloseTo(0, within(TOL));
    }
  }

  @Test
  void wholeFlowLogDetAndInverse() {
    for (Spline s : new Spline[] {spline(), null}) {
      Flow.Start st = Flow.create(new Flow.Shape(3, 3, new int[] {6}, s), 21);
      NDList p = randomParams(st.flow().tensors(), 22);
      // keep the LU layers' rotations (random N(0, 0.5²) L and U are fine too, but well
      // conditioned starts keep the Jacobian's condition number small)
      check(st.flow(), p, 3, 23);
    }
  }

  private void check(Layer layer, int d, long seed) {
    check(new Flow(d, List.of(layer)), randomParams(layer.tensors(), seed), d, seed);
  }

  /** log |det J| and the inverse round trip of a flow on 12 rows. */
  private void check(Flow flow, NDList p, int d, long seed) {
    int n = 12;
    double[] x = rows(n, d, seed);
    Flow.Bound b = flow.bind(manager, DataType.FLOAT64);
    NDArray xa = manager.create(x, new Shape(n, d));
    NDArray[] fwd = b.forward(p, xa);
    double[] z = fwd[0].toDoubleArray();
    double[] logDet = fwd[1].toDoubleArray();
    double[][][] jac = jacobians(b, p, x, n, d);
    for (int r = 0; r < n; r++) {
      assertThat(logDet[r]).as("log |det J| of row %d", r)
          .isCloseTo(logAbsDet(jac[r]), within(TOL));
    }
    NDArray[] inv = b.inverse(p, manager.create(z, new Shape(n, d)));
    double[] back = inv[0].toDoubleArray();
    double[] invDet = inv[1].toDoubleArray();
    for (int i = 0; i < x.length; i++) {
      assertThat(back[i]).as("x after inverse(forward(x)), value %d", i)
          .isCloseTo(x[i], within(TOL));
    }
    for (int r = 0; r < n; r++) {
      assertThat(invDet[r]).as("inverse log-det of row %d", r)
          .isCloseTo(-logDet[r], within(TOL));
    }
  }

  /** J[r][i][j] = ∂z_i/∂x_j at row r, by autodiff: one backward pass per output i. */
  private static double[][][] jacobians(Flow.Bound b, NDList p, double[] x, int n, int d) {
    Engine engine = DjlEngine.engine();
    double[][][] jac = new double[n][d][d];
    for (int i = 0; i < d; i++) {
      try (NDManager m = manager.newSubManager()) {
        NDArray xa = m.create(x, new Shape(n, d));
        xa.setRequiresGradient(true);
        try (GradientCollector gc = engine.newGradientCollector()) {
          NDArray z = b.forward(p, xa)[0];
          gc.backward(z.get(":, " + i).sum());
        }
        double[] g = xa.getGradient().toDoubleArray();
        for (int r = 0; r < n; r++) {
          for (int j = 0; j < d; j++) {
            jac[r][i][j] = g[r * d + j];
          }
        }
      }
    }
    return jac;
  }

  /** log |det A| by Gaussian elimination with partial pivoting. */
  static double logAbsDet(double[][] a0) {
    int d = a0.length;
    double[][] a = new double[d][];
    for (int i = 0; i < d; i++) {
      a[i] = a0[i].clone();
    }
    double sum = 0;
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
      sum += Math.log(Math.abs(a[c][c]));
      for (int r = c + 1; r < d; r++) {
        double f = a[r][c] / a[c][c];
        for (int j = c; j < d; j++) {
          a[r][j] -= f * a[c][j];
        }
      }
    }
    return sum;
  }
}
