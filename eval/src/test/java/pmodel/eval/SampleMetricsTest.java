package pmodel.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;

/** Every sample metric on data whose answer is known. */
class SampleMetricsTest {
  static final Schema AB = Schema.of(DiscreteFeature.categorical("a", List.of("x", "y")),
      DiscreteFeature.categorical("b", List.of("x", "y")));

  /** A table of two binary features from rows of codes. */
  static Dataset table(int[]... rows) {
    byte[] a = new byte[rows.length];
    byte[] b = new byte[rows.length];
    for (int i = 0; i < rows.length; i++) {
      a[i] = (byte) rows[i][0];
      b[i] = (byte) rows[i][1];
    }
    return Dataset.of(AB, rows.length, new Object[] {a, b});
  }

  @Test
  void totalVariationOfKnownDistributions() {
    assertThat(SampleMetrics.totalVariation(new double[] {0.2, 0.3, 0.5},
        new double[] {0.2, 0.3, 0.5})).isZero();
    assertThat(SampleMetrics.totalVariation(new double[] {0.5, 0.5, 0, 0},
        new double[] {0, 0, 0.25, 0.75})).isEqualTo(1.0);
    assertThat(SampleMetrics.totalVariation(new double[] {0.5, 0.5}, new double[] {1, 0}))
        .isEqualTo(0.5);
  }

  @Test
  void identicalTablesAreAtDistanceZeroAndDisjointOnesAtOne() {
    Dataset d = table(new int[] {0, 0}, new int[] {0, 1}, new int[] {1, 1});
    TableBins bins = TableBins.of(d, TableBins.DEFAULT_BINS);
    assertThat(SampleMetrics.marginalTvs(bins, d, d)).containsExactly(0, 0);
    assertThat(SampleMetrics.meanPairTv(bins, d, d, 2)).isZero();
    Dataset zeros = table(new int[] {0, 0}, new int[] {0, 0});
    Dataset ones = table(new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1});
    assertThat(SampleMetrics.marginalTvs(bins, zeros, ones)).containsExactly(1, 1);
    assertThat(SampleMetrics.meanPairTv(bins, zeros, ones, 2)).isEqualTo(1.0);
  }

  @Test
  void pairTvSeesDependenceThatMarginalsMiss() {
    // same marginals (every level 1/2), opposite dependence: a = b versus a != b
    Dataset same = table(new int[] {0, 0}, new int[] {1, 1});
    Dataset opposite = table(new int[] {0, 1}, new int[] {1, 0});
    TableBins bins = TableBins.of(same, 20);
    assertThat(SampleMetrics.marginalTvs(bins, same, opposite)).containsExactly(0, 0);
    assertThat(SampleMetrics.pairTv(bins, same, opposite, 0, 1)).isEqualTo(1.0);
    // a quarter of the rows moved from (0,0) to (0,1): TV = 1/4
    Dataset moved = table(new int[] {0, 0}, new int[] {0, 1}, new int[] {1, 1},
        new int[] {1, 1});
    Dataset base = table(new int[] {0, 0}, new int[] {0, 0}, new int[] {1, 1},
        new int[] {1, 1});
    assertThat(SampleMetrics.pairTv(bins, moved, base, 0, 1)).isEqualTo(0.25);
  }

  @Test
  void continuousFeaturesAreBinnedOverTheReferenceRangeWithOutsideBins() {
    Schema s = Schema.of(new ContinuousFeature("x"), new ContinuousFeature("y"));
    double[] x = new double[100];
    double[] y = new double[100];
    for (int i = 0; i < 100; i++) {
      x[i] = i / 99.0;
      y[i] = 1 - i / 99.0;
    }
    Dataset ref = Dataset.of(s, 100, new Object[] {x, y});
    TableBins bins = TableBins.of(ref, 10);
    assertThat(bins.cardinality(0)).isEqualTo(12);
    assertThat(bins.label(0, 0)).isEqualTo("< 0.000");
    assertThat(bins.label(0, 11)).isEqualTo("> 1.000");
    assertThat(SampleMetrics.marginalTvs(bins, ref, ref)).containsExactly(0, 0);
    double[] far = new double[100];
    java.util.Arrays.fill(far, 5.0);
    Dataset outside = Dataset.of(s, 100, new Object[] {far, far.clone()});
    assertThat(SampleMetrics.marginalTvs(bins, outside, ref)).containsExactly(1, 1);
    assertThat(bins.marginal(outside, 0)[11]).isEqualTo(1.0);
    assertThat(SampleMetrics.meanPairTv(bins, outside, ref, 1)).isEqualTo(1.0);
  }

  @Test
  void copyFractionOfTheTrainingRowsThemselvesIsOneAndOfNewRowsZero() {
    Dataset train = table(new int[] {0, 0}, new int[] {0, 1});
    assertThat(SampleMetrics.copyFraction(train, train, 2)).isEqualTo(1.0);
    assertThat(SampleMetrics.copyFraction(table(new int[] {1, 0}, new int[] {1, 1}), train, 2))
        .isZero();
    assertThat(SampleMetrics.copyFraction(table(new int[] {0, 1}, new int[] {1, 1},
        new int[] {0, 0}, new int[] {1, 0}), train, 2)).isEqualTo(0.5);
  }

  @Test
  void copyFractionIsExactForImagesAndContinuousRows() {
    UniformRandomProvider rng = RandomStreams.create(3, 0);
    Dataset train = randomImages(rng, 500, 8, 8, 256);
    assertThat(SampleMetrics.copyFraction(train, train, 2)).isEqualTo(1.0);
    // change one pixel of every other image by one level: those are no longer copies
    Object[] cols = new Object[64];
    for (int f = 0; f < 64; f++) {
      cols[f] = train.bytes(f).clone();
    }
    for (int i = 0; i < 500; i += 2) {
      ((byte[]) cols[17])[i] ^= 1;
    }
    Dataset changed = Dataset.of(train.schema(), 500, cols);
    assertThat(SampleMetrics.copyFraction(changed, train, 1)).isEqualTo(0.5);
    Schema s = Schema.of(new ContinuousFeature("x"));
    Dataset a = Dataset.of(s, 3, new Object[] {new double[] {0.1, 0.2, 0.3}});
    Dataset b = Dataset.of(s, 3, new Object[] {new double[] {0.1, Math.nextUp(0.2), -0.0}});
    Dataset zero = Dataset.of(s, 1, new Object[] {new double[] {0.0}});
    assertThat(SampleMetrics.copyFraction(b, a, 1)).isEqualTo(1 / 3.0);
    assertThat(SampleMetrics.copyFraction(b, zero, 1)).isEqualTo(1 / 3.0);
  }

  static Dataset randomImages(UniformRandomProvider rng, int n, int h, int w, int levels) {
    Schema s = Schema.image(h, w, levels);
    Object[] cols = new Object[h * w];
    for (int f = 0; f < cols.length; f++) {
      byte[] c = new byte[n];
      for (int i = 0; i < n; i++) {
        c[i] = (byte) rng.nextInt(levels);
      }
      cols[f] = c;
    }
    return Dataset.of(s, n, cols);
  }

  static Dataset constantImages(int n, int value) {
    Schema s = Schema.image(4, 4, 256);
    Object[] cols = new Object[16];
    for (int f = 0; f < 16; f++) {
      byte[] c = new byte[n];
      java.util.Arrays.fill(c, (byte) value);
      cols[f] = c;
    }
    return Dataset.of(s, n, cols);
  }

  @Test
  void nearestDistanceOfCopiesIsZeroAndOfOppositeImagesOne() {
    Dataset black = constantImages(3, 0);
    Dataset white = constantImages(2, 255);
    assertThat(SampleMetrics.nearestTrainingDistances(black, black, 2)).containsOnly(0.0);
    assertThat(SampleMetrics.nearestTrainingDistances(black, white, 2)).containsOnly(1.0);
    // a query at level 51 everywhere is 0.2 from black and 0.8 from white
    assertThat(SampleMetrics.nearestTrainingDistances(constantImages(1, 51),
        Dataset.concat(List.of(black, white)), 1)[0]).isCloseTo(0.2, within(1e-12));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void nearestDistancesEqualABruteForceSearchOnAnyThreadCount(int threads) {
    UniformRandomProvider rng = RandomStreams.create(7, threads);
    Dataset train = randomImages(rng, 400, 6, 5, 256);
    Dataset queries = randomImages(rng, 60, 6, 5, 256);
    double[] got = SampleMetrics.nearestTrainingDistances(queries, train, threads);
    for (int q = 0; q < 60; q++) {
      long best = Long.MAX_VALUE;
      for (int t = 0; t < 400; t++) {
        long s = 0;
        for (int p = 0; p < 30; p++) {
          long d = queries.code(q, p) - train.code(t, p);
          s += d * d;
        }
        best = Math.min(best, s);
      }
      assertThat(got[q]).isEqualTo(Math.sqrt(best) / (255 * Math.sqrt(30)));
    }
  }

  @Test
  void pixelMomentErrorsOfKnownImageSets() {
    Dataset black = constantImages(4, 0);
    Dataset white = constantImages(4, 255);
    assertThat(SampleMetrics.pixelMomentErrors(black, black)).containsExactly(0, 0);
    assertThat(SampleMetrics.pixelMomentErrors(black, white)).containsExactly(1, 0);
    // half black, half white: mean 1/2 and variance 1/4 in every pixel
    Dataset half = Dataset.concat(List.of(black, white));
    double[] e = SampleMetrics.pixelMomentErrors(half, black);
    assertThat(e[0]).isEqualTo(0.5);
    assertThat(e[1]).isEqualTo(0.25);
  }

  @Test
  void differentSchemasAreRefused() {
    Dataset images = constantImages(2, 0);
    Dataset t = table(new int[] {0, 0});
    assertThatThrownBy(() -> SampleMetrics.copyFraction(images, t, 1))
        .isInstanceOf(PmodelException.class).hasMessageContaining("different schemas");
    assertThatThrownBy(() -> SampleMetrics.nearestTrainingDistances(t, t, 1))
        .isInstanceOf(PmodelException.class).hasMessageContaining("image metrics need image");
  }
}
