package pmodel.djl;

import java.util.Arrays;

/**
 * Inference layers in plain Java on float arrays, for sampling without the native engine: each
 * output sums its terms in one fixed order, so results are the same on any number of threads
 * and on any machine (the DJL forward pass may sum in another order). Images are channel-last
 * (y, x, channel) here; {@link #channelLast3x3} rearranges PyTorch's (co, ci, ky, kx) kernels.
 */
public final class JavaLayers {
  private JavaLayers() {
  }

  /** y = W x + b for W of shape (outs, ins), row-major; writes {@code y[0, outs)}. */
  public static void dense(float[] w, float[] bias, float[] x, int ins, float[] y, int outs) {
    for (int j = 0; j < outs; j++) {
      float s = 0;
      int base = j * ins;
      for (int i = 0; i < ins; i++) {
        s += w[base + i] * x[i];
      }
      y[j] = s + bias[j];
    }
  }

  /** ReLU on {@code x[0, n)}, in place. */
  public static void relu(float[] x, int n) {
    for (int j = 0; j < n; j++) {
      x[j] = Math.max(0f, x[j]);
    }
  }

  /** A 3×3 kernel (co, ci, ky, kx) rearranged to (ky, kx, ci, co) for channel-last loops. */
  public static float[] channelLast3x3(float[] w, int co, int ci) {
    float[] out = new float[w.length];
    for (int o = 0; o < co; o++) {
      for (int i = 0; i < ci; i++) {
        for (int k = 0; k < 9; k++) {
          out[(k * ci + i) * co + o] = w[(o * ci + i) * 9 + k];
        }
      }
    }
    return out;
  }

  /**
   * Nearest-neighbour upsampling by 2 and convolution 3×3 with padding 1, channel-last, in
   * one pass: input side × side × ci, output (written, not accumulated) 2side × 2side × co,
   * without bias. Each output sums its terms in the order (ky, kx, ci).
   */
  public static void upsampleConv3x3(float[] x, int side, int ci, float[] w, int co, float[] y) {
    int outSide = 2 * side;
    Arrays.fill(y, 0, outSide * outSide * co, 0f);
    if (co == 1) {
      upsampleConv3x3ToOne(x, side, ci, w, y);
      return;
    }
    for (int oy = 0; oy < outSide; oy++) {
      for (int ox = 0; ox < outSide; ox++) {
        int yBase = (oy * outSide + ox) * co;
        for (int ky = 0; ky < 3; ky++) {
          int uy = oy + ky - 1;
          if (uy < 0 || uy >= outSide) {
            continue;
          }
          for (int kx = 0; kx < 3; kx++) {
            int ux = ox + kx - 1;
            if (ux < 0 || ux >= outSide) {
              continue;
            }
            int xBase = ((uy >> 1) * side + (ux >> 1)) * ci;
            int wBase = (ky * 3 + kx) * ci * co;
            for (int i = 0; i < ci; i++) {
              float v = x[xBase + i];
              int wi = wBase + i * co;
              for (int o = 0; o < co; o++) {
                y[yBase + o] += v * w[wi + o];
              }
            }
          }
        }
      }
    }
  }

  /** {@link #upsampleConv3x3} for one output channel: a dot product per tap, same order. */
  private static void upsampleConv3x3ToOne(float[] x, int side, int ci, float[] w, float[] y) {
    int outSide = 2 * side;
    for (int oy = 0; oy < outSide; oy++) {
      for (int ox = 0; ox < outSide; ox++) {
        float s = 0;
        for (int ky = 0; ky < 3; ky++) {
          int uy = oy + ky - 1;
          if (uy < 0 || uy >= outSide) {
            continue;
          }
          for (int kx = 0; kx < 3; kx++) {
            int ux = ox + kx - 1;
            if (ux < 0 || ux >= outSide) {
              continue;
            }
            int xBase = ((uy >> 1) * side + (ux >> 1)) * ci;
            int wBase = (ky * 3 + kx) * ci;
            for (int i = 0; i < ci; i++) {
              s += x[xBase + i] * w[wBase + i];
            }
          }
        }
        y[oy * outSide + ox] = s;
      }
    }
  }

  /**
   * Batch normalization with fixed statistics, then ReLU, channel-last, in place:
   * h ← max(0, γ (h − mean)/√(var + eps) + β).
   */
  public static void batchNormRelu(float[] h, int positions, int channels, float[] gamma,
      float[] beta, float[] mean, float[] var, float eps) {
    float[] scale = new float[channels];
    float[] shift = new float[channels];
    for (int ch = 0; ch < channels; ch++) {
      scale[ch] = (float) (gamma[ch] / Math.sqrt(var[ch] + eps));
      shift[ch] = beta[ch] - mean[ch] * scale[ch];
    }
    for (int p = 0; p < positions; p++) {
      int base = p * channels;
      for (int ch = 0; ch < channels; ch++) {
        h[base + ch] = Math.max(0f, h[base + ch] * scale[ch] + shift[ch]);
      }
    }
  }
}
