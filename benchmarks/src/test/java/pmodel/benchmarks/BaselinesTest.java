package pmodel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import pmodel.data.builtin.Outfits;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.api.data.ProductSpace;

/** The baselines compute what pmodel computes, so the benchmarks compare equal work. */
class BaselinesTest {
  @Test
  void valueAndCellCountsAgreeWithCountingRowByRow() {
    Dataset d = Outfits.sample(5000, 3, 0);
    byte[][] cols = BenchData.columns(d);
    int[] k = BenchData.cardinalities(d);
    long[] values = Baselines.countValues(cols, d.rows(), 8);
    long[] cells = Baselines.countCells(cols, d.rows(), k);
    ProductSpace space = ProductSpace.of(d.schema());
    long[] expectedCells = new long[(int) space.size()];
    long[] expectedValues = new long[5 * 8];
    for (int i = 0; i < d.rows(); i++) {
      expectedCells[(int) space.index(d, i)]++;
      for (int f = 0; f < 5; f++) {
        expectedValues[f * 8 + d.code(i, f)]++;
      }
    }
    assertThat(cells).isEqualTo(expectedCells);
    assertThat(values).isEqualTo(expectedValues);
  }

  @Test
  void cellCodesDecodeCellsAsTheProductSpaceDoes() {
    int[] k = {3, 8, 4, 6, 7};
    byte[] codes = Baselines.cellCodes(k);
    ProductSpace space = ProductSpace.of(k);
    int[] expected = new int[5];
    for (int c = 0; c < space.size(); c++) {
      space.decode(c, expected);
      for (int f = 0; f < 5; f++) {
        assertThat(codes[c * 5 + f]).isEqualTo((byte) expected[f]);
      }
    }
  }

  @Test
  void inverseCdfIsTheFirstIndexWhoseCumulativeSumExceedsU() {
    double[] w = {0.5, 0, 2, 1, 0, 0.25};
    double[] cdf = Baselines.cdf(w);
    assertThat(cdf[cdf.length - 1]).isEqualTo(1.0);
    UniformRandomProvider rng = RandomStreams.create(1, 2);
    for (int t = 0; t < 10_000; t++) {
      double u = rng.nextDouble();
      int linear = 0;
      while (!(u < cdf[linear])) {
        linear++;
      }
      assertThat(Baselines.inverseCdf(cdf, u)).isEqualTo(linear);
    }
    assertThat(Baselines.inverseCdf(cdf, 0.0)).isZero();
    assertThat(Baselines.inverseCdf(cdf, Math.nextDown(1.0))).isEqualTo(5);
  }

  @Test
  void scoringByRowAndByFeatureAgree() {
    Dataset d = Outfits.sample(3000, 4, 0);
    byte[][] cols = BenchData.columns(d);
    long[] counts = Baselines.countValues(cols, d.rows(), 8);
    double[] lt = Baselines.logTheta(counts, d.rows(), 8, 1.0);
    double[] byRow = Baselines.scoreByRow(cols, d.rows(), 8, lt, new double[d.rows()]);
    double[] byFeature = Baselines.scoreByFeature(cols, d.rows(), 8, lt, new double[d.rows()]);
    assertThat(byRow).isEqualTo(byFeature);
  }

  @Test
  void generatedImagesHaveFashionMnistsShapeAndZeroFraction() {
    Dataset d = BenchData.generatedImages(2000, 1);
    assertThat(d.schema().isImage()).isTrue();
    assertThat(d.schema().size()).isEqualTo(784);
    long zeros = 0;
    for (int f = 0; f < 784; f++) {
      for (byte v : d.bytes(f)) {
        zeros += v == 0 ? 1 : 0;
      }
    }
    // Expected zero fraction: the mean of ZERO_BY_RING over the 784 pixels' rings (≈ 0.50, as in
    // the real training set); 1.568M draws give a standard deviation below 0.0004.
    double expected = 0;
    for (int p = 0; p < 784; p++) {
      double r = Math.hypot(p / 28 - 13.5, p % 28 - 13.5);
      expected += BenchData.ZERO_BY_RING[Math.min(9, (int) (r / 2))] / 784;
    }
    assertThat(zeros / (2000.0 * 784)).isBetween(expected - 0.002, expected + 0.002);
    assertThat(expected).isBetween(0.45, 0.55);
  }
}
