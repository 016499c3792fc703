package pmodel.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import pmodel.api.compute.RandomStreams;

/**
 * The Java inference layers against DJL's own operators on random inputs. Both sum the same
 * float32 products in different orders; with |terms| ≤ 4 (inputs and weights N(0, 1)) and at
 * most 9·ci = 72 terms per output, float32 rounding (ε = 6e-8 per operation) bounds the
 * difference by about 72 · 2 · 6e-8 · Σ|terms| ≲ 72 · 1.2e-7 · 72 · 4 ≈ 2.5e-3 in the worst case;
 * typical errors are far smaller, and a wrong index moves outputs by O(1).
 */
class JavaLayersTest {
  private static float[] normals(int n, long seed) {
    float[] v = new float[n];
    Gaussians.fill(RandomStreams.create(seed, 0), v, 0, n);
    return v;
  }

  @Test
  void denseMatchesAMatrixProduct() {
    int ins = 13;
    int outs = 5;
    float[] w = normals(ins * outs, 1);
    float[] b = normals(outs, 2);
    float[] x = normals(ins, 3);
    float[] y = new float[outs];
    JavaLayers.dense(w, b, x, ins, y, outs);
    try (NDManager m = DjlEngine.newManager()) {
      NDArray ref = m.create(w, new Shape(outs, ins)).matMul(m.create(x, new Shape(ins, 1)))
          .reshape(outs).add(m.create(b));
      float[] r = ref.toFloatArray();
      for (int j = 0; j < outs; j++) {
        assertThat((double) y[j]).isCloseTo(r[j], org.assertj.core.data.Offset.offset(1e-4));
      }
    }
  }

  @Test
  void upsampleConvMatchesNearestUpsamplingThenConvolution() {
    int side = 4;
    int ci = 8;
    for (int co : new int[] {3, 1}) {
      float[] xChw = normals(ci * side * side, 4 + co);
      float[] w = normals(co * ci * 9, 5 + co);
      // channel-last input for the Java layer
      float[] xHwc = new float[xChw.length];
      for (int c = 0; c < ci; c++) {
        for (int p = 0; p < side * side; p++) {
          xHwc[p * ci + c] = xChw[c * side * side + p];
        }
      }
      float[] y = new float[4 * side * side * co];
      JavaLayers.upsampleConv3x3(xHwc, side, ci, JavaLayers.channelLast3x3(w, co, ci), co, y);
      try (NDManager m = DjlEngine.newManager()) {
        NDArray x = m.create(xChw, new Shape(1, ci, side, side));
        // nearest-neighbour ×2: repeat rows and columns
        NDArray up = x.repeat(2, 2).repeat(3, 2);
        NDArray out = up.getNDArrayInternal().convolution(up, m.create(w,
            new Shape(co, ci, 3, 3)), m.zeros(new Shape(co)), new Shape(1, 1), new Shape(1, 1),
            new Shape(1, 1), 1).singletonOrThrow();
        float[] r = out.toFloatArray(); // (co, 2s, 2s)
        int s2 = 2 * side;
        for (int o = 0; o < co; o++) {
          for (int p = 0; p < s2 * s2; p++) {
            assertThat((double) y[p * co + o]).isCloseTo(r[o * s2 * s2 + p],
                org.assertj.core.data.Offset.offset(2.5e-3));
          }
        }
      }
    }
  }

  @Test
  void batchNormReluUsesTheFixedStatistics() {
    float[] h = {1f, -2f, 3f, 4f};
    JavaLayers.batchNormRelu(h, 2, 2, new float[] {2f, 1f}, new float[] {0f, 0.5f},
        new float[] {1f, 0f}, new float[] {4f, 1f}, 0f);
    // channel 0: 2·(x − 1)/2 + 0; channel 1: 1·(x − 0)/1 + 0.5; then ReLU
    assertThat(h).containsExactly(0f, 0f, 2f, 4.5f);
  }
}
