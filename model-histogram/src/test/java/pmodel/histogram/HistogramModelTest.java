package pmodel.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pmodel.api.ExactDensity;
import pmodel.api.GenerativeModel;
import pmodel.runtime.ModelRegistry;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.Condition;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.ProductSpace;
import pmodel.api.data.Schema;
import pmodel.eval.Evaluation;
import pmodel.runtime.ModelFiles;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;
import pmodel.api.sampling.ChiSquare;

class HistogramModelTest {
  static final HistogramProvider PROVIDER = new HistogramProvider();
  static final ProductSpace OUTFITS = ProductSpace.of(Outfits.schema());

  static HistogramModel fit(Dataset data, int threads, String... settings) {
    java.util.Map<String, String> raw = new java.util.HashMap<>();
    for (int i = 0; i < settings.length; i += 2) {
      raw.put(settings[i], settings[i + 1]);
    }
    Parameters p = Parameters.parse("histogram", PROVIDER.parameters(), raw);
    return (HistogramModel) PROVIDER.fit(data, p, FitContext.of(7, threads));
  }

  static long[] cellCounts(Dataset d) {
    long[] counts = new long[(int) OUTFITS.size()];
    for (int i = 0; i < d.rows(); i++) {
      counts[(int) OUTFITS.index(d, i)]++;
    }
    return counts;
  }

  @ParameterizedTest
  @ValueSource(strings = {"dense", "sparse"})
  void smoothedProbabilitiesAreExactlyTheStorysFormula(String storage) {
    int n = 5000;
    Dataset data = Outfits.sample(n, 1, 0);
    HistogramModel m = fit(data, 2, "storage", storage);
    assertThat(m.dense()).isEqualTo(storage.equals("dense"));
    long[] counts = cellCounts(data);
    double[] logP = m.logDensities(Evaluation.allCells(Outfits.schema()));
    int seenTwice = -1;
    int unseen = -1;
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] == 2 && seenTwice < 0) {
        seenTwice = c;
      }
      if (counts[c] == 0 && unseen < 0) {
        unseen = c;
      }
    }
    assertThat(seenTwice).isNotNegative();
    assertThat(unseen).isNotNegative();
    // dense: log((2 + 1)/(N + 4032)) computed the same way; sparse: log(3) - log(N + 4032) in
    // log space, equal to within a few ulps of the logarithm
    assertThat(logP[seenTwice]).isCloseTo(Math.log(3.0 / (n + 4032)), within(1e-14));
    assertThat(logP[unseen]).isCloseTo(Math.log(1.0 / (n + 4032)), within(1e-14));
    if (storage.equals("dense")) {
      assertThat(logP[seenTwice]).isEqualTo(Math.log(3.0 / (n + 4032)));
    }
    double sum = 0;
    for (double l : logP) {
      sum += Math.exp(l);
    }
    assertThat(sum).isCloseTo(1.0, within(1e-12));
    assertThat(m.freeParameters()).isEqualTo(BigInteger.valueOf(4031));
  }

  @Test
  void denseAndSparseAreTheSameModel() {
    Dataset data = Outfits.sample(3000, 2, 0);
    Dataset cells = Evaluation.allCells(Outfits.schema());
    double[] dense = fit(data, 1, "storage", "dense", "alpha", "0.3").logDensities(cells);
    double[] sparse = fit(data, 2, "storage", "sparse", "alpha", "0.3").logDensities(cells);
    for (int c = 0; c < dense.length; c++) {
      assertThat(sparse[c]).isCloseTo(dense[c], within(1e-12));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dense", "sparse"})
  void samplesPassAChiSquareTestAgainstTheModelsOwnProbabilities(String storage) {
    HistogramModel m = fit(Outfits.sample(2000, 3, 0), 2, "storage", storage);
    double[] p = probabilities(m);
    ChiSquare.Result r = ChiSquare.test(cellCounts(m.sample(100_000, 99, 2)), p);
    assertThat(r.pValue()).as(r.toString()).isGreaterThan(ChiSquare.SIGNIFICANCE);
  }

  static double[] probabilities(ExactDensity m) {
    double[] logP = m.logDensities(Evaluation.allCells(m.schema()));
    double[] p = new double[logP.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(logP[i]);
    }
    return p;
  }

  @ParameterizedTest
  @ValueSource(strings = {"dense", "sparse"})
  void conditionalSamplesHoldTheGivenValuesAndFollowTheConditional(String storage) {
    HistogramModel m = fit(Outfits.sample(2000, 4, 0), 2, "storage", storage);
    Condition given = Condition.parse(m.schema(),
        Map.of("hair_color", "Red", "accessories", "Round"));
    Dataset s = m.sample(100_000, given, 5, 2);
    int hair = m.schema().indexOf("hair_color");
    int acc = m.schema().indexOf("accessories");
    int red = m.schema().discrete(hair).code("Red");
    int round = m.schema().discrete(acc).code("Round");
    double[] p = probabilities(m);
    int[] codes = new int[5];
    for (int c = 0; c < p.length; c++) {
      OUTFITS.decode(c, codes);
      if (codes[hair] != red || codes[acc] != round) {
        p[c] = 0;
      }
    }
    for (int i = 0; i < s.rows(); i++) {
      assertThat(s.code(i, hair)).isEqualTo(red);
      assertThat(s.code(i, acc)).isEqualTo(round);
    }
    ChiSquare.Result r = ChiSquare.test(cellCounts(s), p);
    assertThat(r.pValue()).as(r.toString()).isGreaterThan(ChiSquare.SIGNIFICANCE);
  }

  @Test
  void denseByteSamplingEqualsDecodingBulkDrawnCells() {
    // The block kernel (cells in bulk, then one column at a time) against the plain loop: block
    // b of 4096 rows draws its cells in bulk from stream (seed, b) and decodes each.
    HistogramModel m = fit(Outfits.sample(3000, 5, 0), 2, "alpha", "0.5");
    long[] counts = m.denseCounts();
    double[] w = new double[counts.length];
    for (int c = 0; c < w.length; c++) {
      w[c] = counts[c] + 0.5;
    }
    pmodel.api.sampling.AliasTable table = pmodel.api.sampling.AliasTable.of(w);
    int n = 10_000;
    Dataset s = m.sample(n, 21, 2);
    int[] codes = new int[5];
    for (int b = 0; b * HistogramModel.SAMPLE_BLOCK < n; b++) {
      int from = b * HistogramModel.SAMPLE_BLOCK;
      int to = Math.min(n, from + HistogramModel.SAMPLE_BLOCK);
      int[] cells = new int[to - from];
      table.sample(pmodel.api.compute.RandomStreams.create(21, b), cells, 0, cells.length);
      for (int i = from; i < to; i++) {
        OUTFITS.decode(cells[i - from], codes);
        for (int f = 0; f < 5; f++) {
          assertThat(s.code(i, f)).as("row %d feature %d", i, f).isEqualTo(codes[f]);
        }
      }
    }
  }

  @Test
  void sparseSamplingEqualsThePlainMixtureLoop() {
    // Byte, continuous and int-coded features: byte columns are written directly, the others
    // through emit; the draws must come in the plain loop's order: a coin for the component, an
    // entry (empirical) or one uniform code per feature (uniform), then a position inside each
    // continuous value's bin.
    Schema schema = Schema.of(pmodel.api.data.DiscreteFeature.integer("a", 3),
        new ContinuousFeature("x"), pmodel.api.data.DiscreteFeature.integer("b", 300),
        pmodel.api.data.DiscreteFeature.integer("c", 4));
    org.apache.commons.rng.UniformRandomProvider gen = pmodel.api.compute.RandomStreams
        .create(4, 0);
    int rows = 300;
    byte[] a = new byte[rows];
    double[] x = new double[rows];
    int[] b = new int[rows];
    byte[] c = new byte[rows];
    for (int i = 0; i < rows; i++) {
      a[i] = (byte) gen.nextInt(3);
      x[i] = gen.nextInt(5) + 0.5;
      b[i] = gen.nextInt(7) * 40;
      c[i] = (byte) gen.nextInt(4);
    }
    Dataset data = Dataset.of(schema, rows, new Object[] {a, x, b, c});
    HistogramModel m = fit(data, 2, "storage", "sparse", "alpha", "2", "bins", "5");
    RowTable t = m.table();
    double[] w = new double[t.size()];
    for (int e = 0; e < w.length; e++) {
      w[e] = t.count(e);
    }
    pmodel.api.sampling.AliasTable entries = pmodel.api.sampling.AliasTable.of(w);
    pmodel.api.data.Discretizer disc = m.discretizer();
    int[] k = disc.cardinalities();
    double logD = ProductSpace.of(k).logSize();
    double empirical = Math.exp(Math.log(rows)
        - HistogramModel.logAddExp(Math.log(rows), Math.log(2) + logD));
    CellKeys keys = new CellKeys(disc);
    int n = 9000;
    Dataset s = m.sample(n, 13, 2);
    int[] codes = new int[4];
    for (int blk = 0; blk * HistogramModel.SAMPLE_BLOCK < n; blk++) {
      org.apache.commons.rng.UniformRandomProvider rng = pmodel.api.compute.RandomStreams
          .create(13, blk);
      for (int i = blk * HistogramModel.SAMPLE_BLOCK;
          i < Math.min(n, (blk + 1) * HistogramModel.SAMPLE_BLOCK); i++) {
        if (rng.nextDouble() < empirical) {
          int e = entries.sample(rng);
          for (int f = 0; f < 4; f++) {
            codes[f] = keys.value(t.keys(), e * keys.width(), f);
          }
        } else {
          for (int f = 0; f < 4; f++) {
            codes[f] = rng.nextInt(k[f]);
          }
        }
        double xv = disc.binning(1).valueIn(codes[1], rng.nextDouble());
        assertThat(s.code(i, 0)).as("row %d", i).isEqualTo(codes[0]);
        assertThat(s.value(i, 1)).as("row %d", i).isEqualTo(xv);
        assertThat(s.code(i, 2)).as("row %d", i).isEqualTo(codes[2]);
        assertThat(s.code(i, 3)).as("row %d", i).isEqualTo(codes[3]);
      }
    }
  }

  @Test
  void sameSeedSameSamplesOnOneAndTwoThreadsAndFitIsThreadIndependent() {
    Dataset data = Outfits.sample(20_000, 8, 0);
    HistogramModel one = fit(data, 1);
    HistogramModel two = fit(data, 2);
    assertThat(one.denseCounts()).isEqualTo(two.denseCounts());
    assertThat(one.sample(50_000, 3, 1).fingerprint())
        .isEqualTo(two.sample(50_000, 3, 2).fingerprint())
        .isNotEqualTo(one.sample(50_000, 4, 2).fingerprint());
    HistogramModel sparse1 = fit(data, 1, "storage", "sparse");
    HistogramModel sparse2 = fit(data, 2, "storage", "sparse");
    assertThat(sparse1.table().packedKeys()).isEqualTo(sparse2.table().packedKeys());
    assertThat(sparse1.sample(20_000, 3, 1).fingerprint())
        .isEqualTo(sparse2.sample(20_000, 3, 2).fingerprint());
  }

  @Test
  void maximumLikelihoodGivesUnseenCellsMinusInfinity() {
    Dataset data = Outfits.sample(300, 5, 0);
    HistogramModel m = fit(data, 2, "alpha", "0");
    long[] counts = cellCounts(data);
    double[] logP = m.logDensities(Evaluation.allCells(Outfits.schema()));
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] == 0) {
        assertThat(logP[c]).isEqualTo(Double.NEGATIVE_INFINITY);
      } else {
        assertThat(logP[c]).isCloseTo(Math.log(counts[c] / 300.0), within(1e-14));
      }
    }
    long[] sampled = cellCounts(m.sample(10_000, 1, 2));
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] == 0) {
        assertThat(sampled[c]).isZero();
      }
    }
    assertThatThrownBy(() -> m.sample(10, Condition.parse(m.schema(),
        Map.of("hair_color", "SilverGray", "hair_type", "LongHairCurly", "clothing_color",
            "PastelGreen", "accessories", "Sunglasses", "clothing_type", "Overall")), 1, 1))
        .isInstanceOf(PmodelException.class).hasMessageContaining("probability zero");
  }

  @Test
  void oneBinPerAxisIsTheUniformBox() {
    Schema s = Schema.of(new ContinuousFeature("lon"), new ContinuousFeature("lat"));
    double[] lon = {-10, 30, 5, 12};
    double[] lat = {40, 60, 45, 50};
    Dataset d = Dataset.of(s, 4, new Object[] {lon, lat});
    HistogramModel box = fit(d, 1, "bins", "1");
    Dataset points = Dataset.of(s, 3, new Object[] {new double[] {0, 30, 31},
        new double[] {50, 60, 50}});
    double[] logP = box.logDensities(points);
    assertThat(logP[0]).isCloseTo(-Math.log(40 * 20), within(1e-12));
    assertThat(logP[1]).isCloseTo(-Math.log(40 * 20), within(1e-12));
    assertThat(logP[2]).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(box.freeParameters()).isEqualTo(BigInteger.valueOf(4)); // the box's bounds
    Dataset samples = box.sample(1000, 1, 1);
    for (int i = 0; i < samples.rows(); i++) {
      assertThat(samples.value(i, 0)).isBetween(-10.0, 30.0);
      assertThat(samples.value(i, 1)).isBetween(40.0, 60.0);
    }
  }

  @Test
  void pixelImagesUseSparseCountsAndLogSpaceNormalisation(@TempDir Path pixelDir) {
    int n = 300;
    Schema s = Schema.image(28, 28, 256);
    Object[] cols = new Object[784];
    for (int j = 0; j < 784; j++) {
      byte[] c = new byte[n];
      for (int i = 0; i < n; i++) {
        c[i] = (byte) ((i % 150) * (j + 1)); // every image appears twice
      }
      cols[j] = c;
    }
    Dataset d = Dataset.of(s, n, cols);
    HistogramModel m = fit(d, 2);
    assertThat(m.dense()).isFalse();
    double logD = 784 * Math.log(256);
    double[] logP = m.logDensities(d.slice(0, 1));
    // log((2 + 1)/(N + d)) with d = 256^784: N is negligible beside d
    assertThat(logP[0]).isCloseTo(Math.log(3) - logD, within(1e-9));
    assertThat(m.freeParameters()).isEqualTo(BigInteger.valueOf(256).pow(784)
        .subtract(BigInteger.ONE));
    // a model of astronomically many free parameters saves and loads
    Path file = pixelDir.resolve("pixels.pm");
    ModelFiles.save(file, m, PROVIDER, null);
    GenerativeModel back = ModelFiles.load(file, ModelRegistry.of(List.of(PROVIDER))).model();
    assertThat(((ExactDensity) back).logDensities(d.slice(0, 1))).isEqualTo(logP);
    // the uniform part dominates: samples are noise with mean level 127.5
    Dataset samples = m.sample(200, 1, 2);
    double mean = 0;
    for (int j = 0; j < 784; j++) {
      for (int i = 0; i < 200; i++) {
        mean += samples.code(i, j);
      }
    }
    mean /= 200 * 784;
    // sd of one level is 73.9; of the mean of 156,800 levels 0.19: 6 sd is 1.1
    assertThat(mean).isCloseTo(127.5, within(1.2));
  }

  @Test
  void saveAndLoadGiveIdenticalScoresAndSamples(@TempDir Path dir) {
    for (String storage : List.of("dense", "sparse")) {
      HistogramModel m = fit(Outfits.sample(1000, 6, 0), 2, "storage", storage, "alpha", "0.5");
      Path file = dir.resolve(storage + ".pm");
      ModelFiles.save(file, m, PROVIDER, null);
      GenerativeModel back = ModelFiles.load(file, ModelRegistry.of(List.of(PROVIDER))).model();
      Dataset cells = Evaluation.allCells(Outfits.schema());
      assertThat(((ExactDensity) back).logDensities(cells)).isEqualTo(m.logDensities(cells));
      assertThat(back.sample(5000, 12, 2).fingerprint())
          .isEqualTo(m.sample(5000, 12, 1).fingerprint());
      assertThat(back.hyperparameters()).isEqualTo(m.hyperparameters());
    }
  }

  @Test
  void badInputIsRefused() {
    Dataset empty = Outfits.sample(10, 1, 0).slice(0, 0);
    assertThatThrownBy(() -> fit(empty, 1)).isInstanceOf(PmodelException.class)
        .hasMessageContaining("the data set is empty");
    Schema big = Schema.image(28, 28, 256);
    assertThat(PROVIDER.supports(big, Parameters.parse("histogram", PROVIDER.parameters(),
        Map.of("storage", "dense"))).reason()).contains("storage=dense holds at most 1048576");
    assertThatThrownBy(() -> fit(Outfits.sample(10, 1, 0), 1, "alpha", "-1"))
        .hasMessageContaining("parameter alpha=-1 for model 'histogram' is out of range");
  }
}
