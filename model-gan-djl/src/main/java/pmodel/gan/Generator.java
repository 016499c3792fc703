package pmodel.gan;

import pmodel.djl.JavaLayers;

/**
 * A fitted generator run in plain Java (no native engine, so loading a model and sampling never
 * start PyTorch): its tensors' values and the fixed batch-normalization statistics measured after
 * training. Each output sums its terms in one fixed order ({@link JavaLayers}), so samples are the
 * same on any number of threads.
 */
record Generator(Nets nets, float[][] values, float[][] stats) {
  /**
   * G(z) for {@code rows} latent points (row-major in {@code z}), after the output activation:
   * rows × width values. Deterministic: each output is summed in one fixed order.
   */
  float[] generate(float[] z, int rows) {
    return nets.kind == Nets.Kind.MLP ? mlp(z, rows) : conv(z, rows);
  }

  private float[] mlp(float[] z, int rows) {
    int[] hidden = nets.hidden;
    int width = nets.width();
    float[] out = new float[rows * width];
    int maxWidth = Math.max(width, nets.latent);
    for (int h : hidden) {
      maxWidth = Math.max(maxWidth, h);
    }
    float[] a = new float[maxWidth];
    float[] b = new float[maxWidth];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(z, r * nets.latent, a, 0, nets.latent);
      int in = nets.latent;
      int i = 0;
      for (int l = 0; l < hidden.length; l++, i += 2) {
        JavaLayers.dense(values[i], values[i + 1], a, in, b, hidden[l]);
        JavaLayers.relu(b, hidden[l]);
        float[] t = a;
        a = b;
        b = t;
        in = hidden[l];
      }
      JavaLayers.dense(values[i], values[i + 1], a, in, b, width);
      System.arraycopy(b, 0, out, r * width, width);
    }
    activate(out, rows);
    return out;
  }

  private float[] conv(float[] z, int rows) {
    int c = nets.channels;
    int canvas = Features.CANVAS * Features.CANVAS;
    float[] out = new float[rows * canvas];
    // weights rearranged for channel-last loops: (ky, kx, ci, co)
    float[] w1 = JavaLayers.channelLast3x3(values[4], 2 * c, 4 * c);
    float[] w2 = JavaLayers.channelLast3x3(values[7], c, 2 * c);
    float[] w3 = JavaLayers.channelLast3x3(values[10], 1, c);
    float[] fc = new float[4 * c * 16];
    float[] h0 = new float[16 * 4 * c];
    float[] h1 = new float[64 * 2 * c];
    float[] h2 = new float[256 * c];
    float[] h3 = new float[1024];
    float[] zr = new float[nets.latent];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(z, r * nets.latent, zr, 0, nets.latent);
      JavaLayers.dense(values[0], values[1], zr, nets.latent, fc, 4 * c * 16);
      // PyTorch's reshape is channel-first (C, 4, 4): to channel-last (4, 4, C)
      for (int ch = 0; ch < 4 * c; ch++) {
        for (int s = 0; s < 16; s++) {
          h0[s * 4 * c + ch] = fc[ch * 16 + s];
        }
      }
      JavaLayers.batchNormRelu(h0, 16, 4 * c, values[2], values[3], stats[0], stats[1],
          Nets.BN_EPS);
      JavaLayers.upsampleConv3x3(h0, 4, 4 * c, w1, 2 * c, h1);
      JavaLayers.batchNormRelu(h1, 64, 2 * c, values[5], values[6], stats[2], stats[3],
          Nets.BN_EPS);
      JavaLayers.upsampleConv3x3(h1, 8, 2 * c, w2, c, h2);
      JavaLayers.batchNormRelu(h2, 256, c, values[8], values[9], stats[4], stats[5],
          Nets.BN_EPS);
      JavaLayers.upsampleConv3x3(h2, 16, c, w3, 1, h3);
      float bias = values[11][0];
      for (int i = 0; i < 1024; i++) {
        out[r * canvas + i] = h3[i] + bias;
      }
    }
    activate(out, rows);
    return out;
  }

  /** The output activation, in place: as {@link Nets#activate}. */
  private void activate(float[] out, int rows) {
    Features f = nets.features;
    int width = nets.width();
    if (f.image) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) Math.tanh(out[i]);
      }
      return;
    }
    for (int r = 0; r < rows; r++) {
      for (int g = 0; g < f.levels.length; g++) {
        int k = f.levels[g];
        if (k == 0) {
          continue;
        }
        int from = r * width + f.offset[g];
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          max = Math.max(max, out[from + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
          double e = Math.exp(out[from + j] - max);
          out[from + j] = (float) e;
          sum += e;
        }
        for (int j = 0; j < k; j++) {
          out[from + j] = (float) (out[from + j] / sum);
        }
      }
    }
  }
}
