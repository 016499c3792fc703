package pmodel.gan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pmodel.api.GenerativeModel;
import pmodel.api.builtin.Ring8;
import pmodel.api.data.Dataset;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.Parameters;

/**
 * The standard mode-coverage check: a GAN fitted on ring8 (eight Gaussians of σ = 0.05 on a
 * circle of radius 2) covers the modes and puts its samples on them, not between them.
 */
class Ring8ModesTest {
  /** Samples drawn from the fitted model. */
  static final int N = 4000;

  /**
   * Thresholds, for N = 4000 samples. Under P_data a sample lies within 3σ of its mode's centre
   * with probability P(χ²₂ ≤ 9) = 1 − e^(−4.5) = 0.9889 (both coordinates N(0, σ²)), so the
   * count within 3σ of one mode is Binomial(N, p) with p = 0.9889/8 = 0.1236: mean 494, sd 20.8.
   * <ul>
   *   <li>A mode is covered when at least {@value #COVERED} samples lie within 3σ of it, a fifth
   *       of its share: 19 sd below what P_data gives, so a model that matches P_data never
   *       misses a mode by chance, while a model that dropped a mode puts (almost) nothing
   *       there. At least 7 of the 8 modes must be covered.</li>
   *   <li>At least 80% of all samples must lie within 3σ of some mode (P_data: 98.9%, sd
   *       0.17%). This measures sharpness, as the issue demands; the fraction's own sampling
   *       noise at N = 4000 is at most sd 0.8 percentage points, far below the margin of the
   *       fitted model (measured: see the settings' comment).</li>
   * </ul>
   */
  static final int COVERED = 100;

  static final double WITHIN = 0.80;

  @Test
  void samplesCoverAtLeastSevenModesAndSitOnThem() {
    // Settings (docs/benchmarks.md, "GAN"): the non-saturating loss with the R1 penalty
    // (gamma 0.1) and the generator's weight average (ema 0.999); 10,000 rows in batches of 256
    // for 90 epochs = 3,600 critic and generator steps, under 45 s of CPU. Measured with this
    // seed: 86.8% of samples within 3 sigma, 382..472 per mode. Without R1 the same settings
    // collapsed (fit seeds 8, 9: under 1% within 3 sigma); with R1 computed by PyTorch's
    // double backward (before the written-out input gradient) fit seeds 8 and 9 gave 89.9%
    // and 88.2%.
    Map<String, String> set = new HashMap<>();
    set.put("latent", "16");
    set.put("hidden", "128,128,128");
    set.put("epochs", "90");
    set.put("batch", "256");
    set.put("lr-g", "1e-3");
    set.put("lr-d", "1e-3");
    set.put("r1", "0.1");
    GanProvider p = new GanProvider();
    GenerativeModel m = p.fit(Ring8.sample(10_000, 1, 0), Parameters.parse("gan",
        p.parameters(), set), FitContext.of(9, 2));
    Dataset s = m.sample(N, 3, 2);
    int[] counts = new int[Ring8.MODES];
    int within = 0;
    for (int i = 0; i < N; i++) {
      double x = s.value(i, 0);
      double y = s.value(i, 1);
      int k = Ring8.nearestMode(x, y);
      double[] c = Ring8.centre(k);
      if (Math.hypot(x - c[0], y - c[1]) <= 3 * Ring8.SIGMA) {
        counts[k]++;
        within++;
      }
    }
    int covered = 0;
    for (int c : counts) {
      covered += c >= COVERED ? 1 : 0;
    }
    String report = "samples within 3 sigma per mode: " + Arrays.toString(counts) + ", in all "
        + within / (double) N;
    System.out.println("ring8: " + report);
    assertTrue(covered >= 7, "only " + covered + " modes covered; " + report);
    assertTrue(within >= WITHIN * N, report);
  }
}
