package pmodel.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import pmodel.data.builtin.Ring8;
import pmodel.api.data.Dataset;
import pmodel.api.sampling.ChiSquare;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The flow at its DEFAULT hyperparameters on ring8 (20,000 rows, the size the issue names; the
 * budget is in optimizer steps, so the row count does not change the time): held-out NLL, mode
 * coverage, the density's integral over a grid, and samples against the density.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ring8FlowTest {
  static final double GRID_HALF = 5.0;
  static final double H = 0.01;
  FlowModel model;
  /** The density integrated over each grid cell, by cell of {@link #cell}; last: the total. */
  double[] cellMass;

  @BeforeAll
  void fit() {
    FlowProvider p = new FlowProvider();
    model = (FlowModel) p.fit(Ring8.sample(20_000, 1, 0),
        Parameters.parse("flow", p.parameters(), Map.of()), FitContext.of(1, 2));
    cellMass = integrate();
  }

  /**
   * ring8's true entropy is −1.07 nats (computed here by Monte Carlo from the mixture); the
   * issue asks for a held-out NLL ≤ −0.8 at the defaults (an affine RealNVP reached +0.06).
   * The NLL is a mean over 20,000 held-out points whose −log p has a standard deviation near 1,
   * so it is known to ±0.007: the margin to −0.8 is not noise.
   */
  @Test
  void heldOutNllAtTheDefaultsBeatsMinusPointEight() {
    Dataset test = Ring8.sample(20_000, 1, 1);
    double nll = -model.totalLogDensity(test, 2) / test.rows();
    double entropy = RingMath.entropy(200_000, 99);
    System.out.printf(java.util.Locale.ROOT, "ring8 at the defaults: held-out NLL %.4f, true"
        + " entropy (MC) %.4f, grid integral %.5f%n", nll, entropy, cellMass[24]);
    assertThat(entropy).isCloseTo(-1.074, within(0.01));
    assertThat(nll).as("held-out NLL (true entropy %.4f)", entropy).isLessThanOrEqualTo(-0.8)
        .isGreaterThan(entropy - 0.05);
  }

  /** Every mode holds at least a quarter of its share of the samples (a collapse holds none). */
  @Test
  void samplesCoverAllEightModes() {
    Dataset s = model.sample(10_000, 5, 2);
    int[] counts = RingMath.modeCounts(s);
    assertThat(RingMath.covered(counts, s.rows())).isEqualTo(8);
    assertThat(RingMath.inModeFraction(s)).isGreaterThan(0.8);
  }

  /**
   * ∫ p = 1 over a grid covering the mass: the midpoint rule with h = 0.01 on [−5, 5]²
   * (the data lie within 2.3 of the origin; the flow's tails are Gaussian in the standardized
   * coordinates, whose std ≈ 1.4 puts ±5 beyond 3.5 std). The midpoint rule errs by O(h²·p'')
   * relative, about h²/(24σ²) ≈ 0.2% for modes of σ = 0.05 (less where the density is
   * smoother), and the spline's kinks add errors of the same order; the 1% bounds both.
   */
  @Test
  void densityIntegratesToOneOverAGrid() {
    assertThat(cellMass[cellMass.length - 1]).isCloseTo(1.0, within(0.01));
  }

  /**
   * Samples follow the model's own density: 20,000 samples in 24 cells (8 sectors centred on
   * the modes × radius below 1.85, 1.85 to 2.15, above 2.15, the last unbounded) against the
   * grid integral of the density over each cell (the mass beyond the grid, a few 1e-4 at
   * most, falls in outer cells that the test pools with other small cells); Pearson's chi-square at
   * significance 0.001. The grid's relative error (≤ 0.2%, see above) biases an expected count
   * of ~2,500 by ~5, a tenth of its standard deviation, so it adds about 0.01 per cell.
   */
  @Test
  void samplesAgreeWithTheDensity() {
    Dataset s = model.sample(20_000, 17, 2);
    long[] counts = new long[24];
    int outside = 0;
    for (int i = 0; i < s.rows(); i++) {
      double x = s.value(i, 0);
      double y = s.value(i, 1);
      counts[cell(x, y)]++;
      outside += Math.abs(x) < GRID_HALF && Math.abs(y) < GRID_HALF ? 0 : 1;
    }
    double[] prob = java.util.Arrays.copyOf(cellMass, 24);
    ChiSquare.Result r = ChiSquare.test(counts, prob);
    System.out.printf(java.util.Locale.ROOT, "ring8 samples vs density: %s; %d of %d samples"
        + " beyond the grid%n", r, outside, s.rows());
    assertThat(r.pValue()).as("%s; %d samples beyond the grid", r, outside)
        .isGreaterThan(ChiSquare.SIGNIFICANCE);
  }

  static int cell(double x, double y) {
    int sector = Ring8.nearestMode(x, y);
    double r = Math.hypot(x, y);
    int band = r < 1.85 ? 0 : r < 2.15 ? 1 : 2;
    return sector * 3 + band;
  }

  /** The density's mass per cell over the grid's midpoints, and the total in the last slot. */
  private double[] integrate() {
    int n = (int) Math.round(2 * GRID_HALF / H);
    double[] mass = new double[25];
    double[] xs = new double[n * n];
    double[] ys = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        xs[i * n + j] = -GRID_HALF + (i + 0.5) * H;
        ys[i * n + j] = -GRID_HALF + (j + 0.5) * H;
      }
    }
    Dataset grid = Dataset.of(Ring8.schema(), n * n, new Object[] {xs, ys});
    double[] lp = model.logDensities(grid);
    for (int k = 0; k < lp.length; k++) {
      double m = Math.exp(lp[k]) * H * H;
      mass[cell(xs[k], ys[k])] += m;
      mass[24] += m;
    }
    return mass;
  }
}
