package pmodel.gan;

import pmodel.djl.NamedTensors;
import pmodel.djl.DjlEngine;
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
import pmodel.data.builtin.Ring8;

/**
 * The gradient penalties are differentiated right: the critic's written-out input gradient
 * equals autograd's (MLP and convolutional critic), and the WGAN-GP critic loss's gradient with
 * respect to the parameters (a second derivative of D) equals central finite differences of an
 * independent double-precision implementation.
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
    DjlEngine.engine();
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(true);
    try (NDManager m = DjlEngine.newManager()) {
      long[][] shapes = {{HIDDEN, IN}, {HIDDEN}, {1, HIDDEN}, {1}};
      NDList params = new NDList();
      for (int i = 0; i < 4; i++) {
        params.add(m.create(t[i], new Shape(shapes[i])));
      }
      NDList leaves = Training.leaves(params);
      Training.Scalars c = Training.Scalars.of(m, LAMBDA, 0, DataType.FLOAT64);
      NDArray[] parts = Training.wganCriticLoss(nets, leaves,
          m.create(real, new Shape(ROWS, IN)), m.create(fake, new Shape(ROWS, IN)),
          m.create(eps, new Shape(ROWS, 1)), m.create(eps1, new Shape(ROWS, 1)),
          new Nets.Constants(m, nets.features), c);
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
    // ∂ΣD(x̂)/∂θ, which a double backward (create_graph) adds to the parameters' gradients
    // unless removed, is this large: the check above tells the two apart.
    assertTrue(largestJunk > 0.1, "the test could not tell: " + largestJunk);
  }

  @Test
  void writtenOutInputGradientEqualsAutogradForTheMlp() {
    Features f = new Features(pmodel.api.data.Schema.image(3, 4, 8), false, new double[12],
        new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
    compareSlopes(new Nets(Nets.Kind.MLP, 2, new int[] {9, 7}, 1, f), 1e-5);
  }

  @Test
  void writtenOutInputGradientEqualsAutogradForTheConvolutionalCritic() {
    Features f = new Features(pmodel.api.data.Schema.image(28, 28, 256), true, new double[784],
        new double[784]);
    compareSlopes(new Nets(Nets.Kind.CONV, 2, new int[] {1}, 3, f), 1e-4);
  }

  private static void compareSlopes(Nets nets, double tolerance) {
    int rows = 4;
    float[][] values = NamedTensors.initial(nets.critic(), 3, 4);
    Random r = new Random(5);
    for (float[] v : values) {
      for (int i = 0; i < v.length; i++) {
        v[i] += (float) (0.2 * r.nextGaussian()); // zero biases too
      }
    }
    float[] x = new float[rows * nets.width()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    DjlEngine.engine();
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(true);
    try (NDManager m = DjlEngine.newManager()) {
      NDList p = NamedTensors.arrays(m, nets.critic(), values);
      NDArray input = m.create(x, new Shape(rows, nets.width()));
      float[] written = nets.criticWithSlope(p, input, new Nets.Constants(m, nets.features))[1]
          .toFloatArray();
      NDArray leaf = m.create(x, new Shape(rows, nets.width()));
      leaf.setRequiresGradient(true);
      NDArray total = nets.criticize(p, leaf).sum();
      JniUtils.backward((PtNDArray) total, (PtNDArray) m.create(1f), false, false);
      float[] auto = leaf.getGradient().toFloatArray();
      assertEquals(auto.length, written.length);
      double scale = 0;
      for (float v : auto) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertTrue(scale > 1e-3, "a vanishing gradient proves nothing: " + scale);
      for (int i = 0; i < auto.length; i++) {
        assertEquals(auto[i], written[i], tolerance * scale, "input gradient " + i);
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
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
