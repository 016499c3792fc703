package pmodel.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pmodel.api.builtin.Ring8;

/**
 * The WGAN-GP critic gradient is right: DJL's double backward (create_graph, then the penalty's
 * backward) gives the same ∂L_D/∂θ as central finite differences of an independent
 * double-precision implementation of L_D with the critic's input gradient written out by hand.
 * This is the check that the second derivative is real and that the first backward's
 * contribution to the parameters' gradients is removed.
 */
class GradientPenaltyTest {
  private static final int IN = 2;
  private static final int HIDDEN = 5;
  private static final int ROWS = 6;
  private static final double LAMBDA = 10;

  /** Parameters: W1 (HIDDEN × IN), b1, w2 (1 × HIDDEN), b2. */
  private static double[][] theta(Random r) {
    double[][] t = {new double[HIDDEN * IN], new double[HIDDEN], new double[HIDDEN], new double[1]};
    for (double[] a : t) {
      for (int i = 0; i < a.length; i++) {
        a[i] = r.nextGaussian();
      }
    }
    return t;
  }

  private static double leaky(double a) {
    return a > 0 ? a : Nets.LEAK * a;
  }

  private static double critic(double[][] t, double[] x, int row) {
    double out = t[3][0];
    for (int j = 0; j < HIDDEN; j++) {
      double a = t[1][j];
      for (int i = 0; i < IN; i++) {
        a += t[0][j * IN + i] * x[row * IN + i];
      }
      out += t[2][j] * leaky(a);
    }
    return out;
  }

  /** L_D in double precision, with ∇_x D = W1ᵀ (w2 ⊙ leaky'(W1 x + b1)). */
  private static double loss(double[][] t, double[] real, double[] fake, double[] eps) {
    double penalty = 0;
    double w = 0;
    for (int r = 0; r < ROWS; r++) {
      double[] hat = new double[IN];
      for (int i = 0; i < IN; i++) {
        hat[i] = real[r * IN + i] * eps[r] + fake[r * IN + i] * (1 - eps[r]);
      }
      double[] g = new double[IN];
      for (int j = 0; j < HIDDEN; j++) {
        double a = t[1][j];
        for (int i = 0; i < IN; i++) {
          a += t[0][j * IN + i] * hat[i];
        }
        double slope = t[2][j] * (a > 0 ? 1 : Nets.LEAK);
        for (int i = 0; i < IN; i++) {
          g[i] += slope * t[0][j * IN + i];
        }
      }
      double norm = Math.sqrt(g[0] * g[0] + g[1] * g[1] + 1e-12);
      penalty += (norm - 1) * (norm - 1);
      w += critic(t, real, r) - critic(t, fake, r);
    }
    return LAMBDA * penalty / ROWS - w / ROWS;
  }

  @Test
  void doubleBackwardMatchesFiniteDifferences() {
    Random r = new Random(20261129);
    double[][] t = theta(r);
    double[] real = new double[ROWS * IN];
    double[] fake = new double[ROWS * IN];
    double[] eps = new double[ROWS];
    double[] eps1 = new double[ROWS];
    for (int i = 0; i < real.length; i++) {
      real[i] = 2 * r.nextGaussian();
      fake[i] = 2 * r.nextGaussian();
    }
    for (int i = 0; i < ROWS; i++) {
      eps[i] = r.nextDouble();
      eps1[i] = 1 - eps[i];
    }
    Nets nets = new Nets(Nets.Kind.MLP, 2, new int[] {HIDDEN}, 1,
        new Features(Ring8.schema(), false, new double[2], new double[] {1, 1}));
    double[][] djl = new double[4][];
    double djlLoss;
    Djl.engine();
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(true);
    try (NDManager m = Djl.newManager()) {
      long[][] shapes = {{HIDDEN, IN}, {HIDDEN}, {1, HIDDEN}, {1}};
      NDList params = new NDList();
      for (int i = 0; i < 4; i++) {
        params.add(m.create(t[i], new Shape(shapes[i])));
      }
      NDList leaves = Training.leaves(params);
      Training.Scalars c = Training.Scalars.of(m, LAMBDA, 0, DataType.FLOAT64);
      NDArray[] parts = Training.wganCriticLoss(nets, leaves,
          m.create(real, new Shape(ROWS, IN)), m.create(fake, new Shape(ROWS, IN)),
          m.create(eps, new Shape(ROWS, 1)), m.create(eps1, new Shape(ROWS, 1)), c);
      JniUtils.backward((PtNDArray) parts[0], (PtNDArray) c.one(), false, false);
      djlLoss = parts[0].getDouble();
      for (int i = 0; i < 4; i++) {
        djl[i] = leaves.get(i).getGradient().toDoubleArray();
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
    assertEquals(loss(t, real, fake, eps), djlLoss, 1e-10, "the loss itself");
    // Central differences: truncation error O(h²·L''') ≈ 1e-12 and rounding ≈ 1e-16·|L|/h ≈
    // 1e-10 at h = 1e-6; leaky' is piecewise constant, and no pre-activation lies within
    // 1e-6·|x| of its kink (checked below by the agreement itself: a kink crossing would show
    // as an O(1) error). So 1e-6 relative is a wide margin for both.
    double h = 1e-6;
    double largestJunk = 0;
    for (int k = 0; k < 4; k++) {
      for (int i = 0; i < t[k].length; i++) {
        double keep = t[k][i];
        t[k][i] = keep + h;
        double up = loss(t, real, fake, eps);
        t[k][i] = keep - h;
        double down = loss(t, real, fake, eps);
        t[k][i] = keep;
        double fd = (up - down) / (2 * h);
        assertEquals(fd, djl[k][i], 1e-6 * (1 + Math.abs(fd)), "∂L/∂θ of tensor " + k
            + " value " + i);
        // the gradient of ΣD(x̂) that the first backward also produced, by differences
        t[k][i] = keep + h;
        double hu = sumCriticAtHat(t, real, fake, eps);
        t[k][i] = keep - h;
        double hd = sumCriticAtHat(t, real, fake, eps);
        t[k][i] = keep;
        largestJunk = Math.max(largestJunk, Math.abs((hu - hd) / (2 * h)));
      }
    }
    // Had the first backward's ∂ΣD(x̂)/∂θ stayed in the gradients, the check above would have
    // failed by this much:
    assertTrue(largestJunk > 0.1, "the test could not tell: " + largestJunk);
  }

  private static double sumCriticAtHat(double[][] t, double[] real, double[] fake, double[] eps) {
    double[] hat = new double[ROWS * IN];
    for (int i = 0; i < hat.length; i++) {
      int row = i / IN;
      hat[i] = real[i] * eps[row] + fake[i] * (1 - eps[row]);
    }
    double s = 0;
    for (int r = 0; r < ROWS; r++) {
      s += critic(t, hat, r);
    }
    return s;
  }
}
