package pmodel.data.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Dataset;
import pmodel.data.DataSources;
import pmodel.data.io.ReadOptions;

class Ring8Test {
  @Test
  void pointsFollowTheEightGaussians() {
    int n = 80_000;
    Dataset d = Ring8.sample(n, 3, 0);
    Dataset meta = d.metadata().orElseThrow();
    long[] counts = new long[Ring8.MODES];
    double sumSq = 0;
    int within = 0;
    for (int i = 0; i < n; i++) {
      int k = meta.code(i, 0);
      double x = d.value(i, 0);
      double y = d.value(i, 1);
      assertEquals(k, Ring8.nearestMode(x, y), "row " + i + " is nearest another mode");
      double[] c = Ring8.centre(k);
      double dx = x - c[0];
      double dy = y - c[1];
      sumSq += dx * dx + dy * dy;
      within += Math.hypot(dx, dy) <= 3 * Ring8.SIGMA ? 1 : 0;
      counts[k]++;
    }
    // each count is Binomial(n, 1/8): sd = sqrt(n · 1/8 · 7/8) = 93.5; 5 sd = 468
    for (long c : counts) {
      assertEquals(n / 8.0, c, 468, "mode count");
    }
    // E‖e‖² = 2σ²; the mean of n values of σ²χ²₂ has sd 2σ²/√n: 5 sd is 3.5% of 2σ²
    assertEquals(2 * Ring8.SIGMA * Ring8.SIGMA, sumSq / n, 0.035 * 2 * Ring8.SIGMA
        * Ring8.SIGMA);
    // P(‖e‖ ≤ 3σ) = 1 − exp(−9/2) = 0.98889; sd of the fraction sqrt(p(1−p)/n) = 3.7e-4
    assertEquals(1 - Math.exp(-4.5), within / (double) n, 5 * 3.7e-4);
  }

  @Test
  void builtinSourceHasRowsSeedAndAnIndependentTestPart() {
    ReadOptions o = ReadOptions.defaults();
    Dataset a = DataSources.read("builtin:ring8?rows=100&seed=4", o);
    assertEquals(100, a.rows());
    assertEquals(Ring8.schema(), a.schema());
    assertEquals(a.fingerprint(), DataSources.read("builtin:ring8:train?rows=100&seed=4", o)
        .fingerprint());
    assertNotEquals(a.fingerprint(), DataSources.read("builtin:ring8:test?rows=100&seed=4", o)
        .fingerprint());
    assertNotEquals(a.fingerprint(), DataSources.read("builtin:ring8?rows=100&seed=5", o)
        .fingerprint());
    assertEquals(5000, DataSources.read("builtin:ring8", o).rows());
    PmodelException e = assertThrows(PmodelException.class,
        () -> DataSources.read("builtin:ring8?sigma=1", o));
    assertTrue(e.getMessage().contains("sigma"), e.getMessage());
  }
}
