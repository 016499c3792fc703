package pmodel.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import pmodel.data.builtin.Ring8;
import pmodel.api.data.Dataset;
import pmodel.api.params.Parameters;

/**
 * The collapse check ({@link Spread}) on generators whose output is known exactly: one that maps
 * every latent point to the same row, and one whose output in the standardized space is the
 * latent point itself, which spreads exactly as much as standardized data.
 */
class CollapseDetectionTest {
  static final Dataset DATA = Ring8.sample(4000, 1, 0);

  /** latent 2 → hidden [z1, −z1, z2, −z2] (ReLU) → out [h0 − h1, h2 − h3] + bias. */
  static Generator generator(float scale, float[] bias) {
    Nets nets = new Nets(Nets.Kind.MLP, 2, new int[] {4}, 1, Features.fitted(DATA, false));
    float[] w0 = {1, 0, -1, 0, 0, 1, 0, -1};
    float[] b0 = new float[4];
    float[] w1 = {scale, -scale, 0, 0, 0, 0, scale, -scale};
    return new Generator(nets, new float[][] {w0, b0, w1, bias}, new float[0][]);
  }

  @Test
  void aGeneratorOfOnePointIsCollapsedAndTheModelSaysSoWithAdvice() {
    Generator g = generator(0, new float[] {0.3f, -0.2f});
    double r = Spread.ratio(g, DATA, 1);
    // every sample is the same row: zero variance, exactly
    assertEquals(0.0, r);
    assertTrue(Spread.collapsed(r));
    GanProvider p = new GanProvider();
    GanModel m = new GanModel(DATA.schema(), Parameters.parse("gan", p.parameters(), Map.of()),
        g, new Training.Curve(new double[1], new double[1], new double[1]), r);
    String line = m.describe(3).get(1);
    assertTrue(line.startsWith("WARNING: the samples collapsed") && line.contains("r1=1")
        && line.contains("steps"), line);
  }

  @Test
  void aGeneratorThatSpreadsLikeStandardizedDataIsNotCollapsed() {
    // The output is z ~ N(0, I) in the standardized space, where the data's columns have
    // variance 1 each: the ratio √(Σ var samples / Σ var data) is 1 up to sampling noise. With
    // 2048 rows each variance estimate has relative sd √(2/2047) = 3%, so the ratio is within
    // 0.1 of 1 (over 3 sd) on either side.
    Generator g = generator(1, new float[2]);
    double r = Spread.ratio(g, DATA, 1);
    assertEquals(1.0, r, 0.1);
    assertFalse(Spread.collapsed(r));
    // a generator at a fifth of the data's scale spreads a fifth as much: collapsed
    double small = Spread.ratio(generator(0.2f, new float[2]), DATA, 1);
    assertEquals(0.2, small, 0.02);
    assertTrue(Spread.collapsed(small));
  }
}
