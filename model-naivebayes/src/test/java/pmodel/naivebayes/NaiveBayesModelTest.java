package pmodel.naivebayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pmodel.api.ExactDensity;
import pmodel.api.GenerativeModel;
import pmodel.runtime.ModelRegistry;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.Condition;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.ProductSpace;
import pmodel.api.data.Schema;
import pmodel.api.sampling.ChiSquare;
import pmodel.eval.Evaluation;
import pmodel.runtime.ModelFiles;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;

class NaiveBayesModelTest {
  static final NaiveBayesProvider PROVIDER = new NaiveBayesProvider();
  static final ProductSpace OUTFITS = ProductSpace.of(Outfits.schema());

  static NaiveBayesModel fit(Dataset data, int threads, String... settings) {
    Map<String, String> raw = new HashMap<>();
    for (int i = 0; i < settings.length; i += 2) {
      raw.put(settings[i], settings[i + 1]);
    }
    Parameters p = Parameters.parse("naive-bayes", PROVIDER.parameters(), raw);
    return (NaiveBayesModel) PROVIDER.fit(data, p, FitContext.of(3, threads));
  }

  @Test
  void thetaIsTheSmoothedCountOfEveryValue() {
    int n = 50;
    Dataset data = Outfits.sample(n, 2, 0);
    NaiveBayesModel m = fit(data, 2);
    int values = 0;
    for (int f = 0; f < 5; f++) {
      int k = data.schema().discrete(f).cardinality();
      values += k;
      long[] c = new long[k];
      for (int i = 0; i < n; i++) {
        c[data.code(i, f)]++;
      }
      for (int l = 0; l < k; l++) {
        assertThat(m.theta(f, l)).isEqualTo((c[l] + 1.0) / (n + k));
      }
    }
    assertThat(values).isEqualTo(28);
    assertThat(m.freeParameters()).isEqualTo(BigInteger.valueOf(23));
  }

  static double[] probabilities(ExactDensity m) {
    double[] logP = m.logDensities(Evaluation.allCells(m.schema()));
    double[] p = new double[logP.length];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(logP[i]);
      sum += p[i];
    }
    assertThat(sum).isCloseTo(1.0, within(1e-12));
    return p;
  }

  static long[] cellCounts(Dataset d) {
    long[] counts = new long[(int) OUTFITS.size()];
    for (int i = 0; i < d.rows(); i++) {
      counts[(int) OUTFITS.index(d, i)]++;
    }
    return counts;
  }

  @Test
  void jointSamplesPassAChiSquareTestAgainstTheModelsProbabilities() {
    NaiveBayesModel m = fit(Outfits.sample(500, 3, 0), 2);
    ChiSquare.Result r = ChiSquare.test(cellCounts(m.sample(100_000, 17, 2)), probabilities(m));
    assertThat(r.pValue()).as(r.toString()).isGreaterThan(ChiSquare.SIGNIFICANCE);
  }

  @Test
  void conditionalSamplesHoldTheGivenValuesAndFollowTheConditional() {
    NaiveBayesModel m = fit(Outfits.sample(500, 4, 0), 2);
    Condition given = Condition.parse(m.schema(), Map.of("clothing_type", "Overall"));
    Dataset s = m.sample(100_000, given, 8, 2);
    int f = m.schema().indexOf("clothing_type");
    int overall = m.schema().discrete(f).code("Overall");
    double[] p = probabilities(m);
    int[] codes = new int[5];
    for (int c = 0; c < p.length; c++) {
      OUTFITS.decode(c, codes);
      if (codes[f] != overall) {
        p[c] = 0;
      }
    }
    for (int i = 0; i < s.rows(); i++) {
      assertThat(s.code(i, f)).isEqualTo(overall);
    }
    ChiSquare.Result r = ChiSquare.test(cellCounts(s), p);
    assertThat(r.pValue()).as(r.toString()).isGreaterThan(ChiSquare.SIGNIFICANCE);
  }

  @Test
  void fitAndSamplesAreIndependentOfTheThreadCount() {
    Dataset data = Outfits.sample(30_000, 9, 0);
    NaiveBayesModel one = fit(data, 1);
    NaiveBayesModel two = fit(data, 2);
    assertThat(one.counts()).isEqualTo(two.counts());
    assertThat(one.sample(40_000, 5, 1).fingerprint())
        .isEqualTo(two.sample(40_000, 5, 2).fingerprint())
        .isNotEqualTo(two.sample(40_000, 6, 2).fingerprint());
    double[] a = new double[data.rows()];
    double[] b = new double[data.rows()];
    one.logDensities(data, a, 1);
    two.logDensities(data, b, 2);
    assertThat(a).isEqualTo(b);
  }

  @Test
  void scoresEqualThePlainSumOfLogThetaBitForBit() {
    // Byte features in runs of 2, 5 and 1 around an int-coded feature (300 levels): the paired
    // kernel, the single one and the int loop must all add log θ in feature order.
    int[] k = {3, 256, 300, 7, 2, 256, 5, 9, 4};
    DiscreteFeature[] fs = new DiscreteFeature[k.length];
    for (int f = 0; f < k.length; f++) {
      fs[f] = DiscreteFeature.integer("f" + f, k[f]);
    }
    Schema schema = Schema.of(fs);
    NaiveBayesModel m = fit(randomRows(schema, k, 5000, 1), 2, "alpha", "0.5");
    Dataset test = randomRows(schema, k, 3000, 2);
    double[] out = new double[test.rows()];
    m.logDensities(test, out, 2);
    for (int i = 0; i < test.rows(); i++) {
      double s = 0;
      for (int f = 0; f < k.length; f++) {
        s += Math.log(m.theta(f, test.code(i, f)));
      }
      assertThat(out[i]).as("row %d", i).isEqualTo(s);
    }
  }

  private static Dataset randomRows(Schema schema, int[] k, int n, long seed) {
    org.apache.commons.rng.UniformRandomProvider rng = pmodel.api.compute.RandomStreams
        .create(seed, 0);
    Object[] cols = new Object[k.length];
    for (int f = 0; f < k.length; f++) {
      if (k[f] <= 256) {
        byte[] c = new byte[n];
        for (int i = 0; i < n; i++) {
          c[i] = (byte) rng.nextInt(k[f]);
        }
        cols[f] = c;
      } else {
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
          c[i] = rng.nextInt(k[f]);
        }
        cols[f] = c;
      }
    }
    return Dataset.of(schema, n, cols);
  }

  @Test
  void totalThroughCountsEqualsTheSumOfRowScores() {
    Dataset train = Outfits.sample(2000, 1, 0);
    Dataset test = Outfits.sample(3000, 1, 1);
    NaiveBayesModel m = fit(train, 2);
    double sum = 0;
    for (double v : m.logDensities(test)) {
      sum += v;
    }
    assertThat(m.totalLogDensity(test, 2)).isCloseTo(sum, within(1e-9 * Math.abs(sum)));
  }

  @Test
  void maximumLikelihoodGivesUnseenValuesMinusInfinity() {
    Schema s = Schema.of(DiscreteFeature.categorical("a", List.of("x", "y", "z")));
    Dataset d = Dataset.of(s, 4, new Object[] {new byte[] {0, 0, 1, 0}});
    NaiveBayesModel m = fit(d, 1, "alpha", "0");
    double[] logP = m.logDensities(Evaluation.allCells(s));
    assertThat(logP[0]).isEqualTo(Math.log(0.75));
    assertThat(logP[1]).isEqualTo(Math.log(0.25));
    assertThat(logP[2]).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(Evaluation.exactNll(m, Evaluation.allCells(s), 1).infinite()).isTrue();
    assertThatThrownBy(() -> m.sample(5, Condition.parse(s, Map.of("a", "z")), 1, 1))
        .isInstanceOf(PmodelException.class).hasMessage("--given a=z has probability zero under"
            + " the model; cannot condition on it");
  }

  @Test
  void continuousFeaturesAreBinnedIntoAProperDensity() {
    Schema s = Schema.of(new ContinuousFeature("x"));
    double[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 10};
    NaiveBayesModel m = fit(Dataset.of(s, 10, new Object[] {x}), 1, "bins", "5", "alpha", "0");
    // bins of width 2 over [0, 10]: [0,2) holds 2 of 10 rows: density 0.2 / 2
    double[] logP = m.logDensities(Dataset.of(s, 2, new Object[] {new double[] {1.5, 11}}));
    assertThat(logP[0]).isCloseTo(Math.log(0.1), within(1e-15));
    assertThat(logP[1]).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(m.freeParameters()).isEqualTo(BigInteger.valueOf(4 + 2));
  }

  @Test
  void saveAndLoadGiveIdenticalScoresAndSamples(@TempDir Path dir) {
    NaiveBayesModel m = fit(Outfits.sample(1000, 6, 0), 2, "alpha", "0.25");
    Path file = dir.resolve("nb.pm");
    ModelFiles.save(file, m, PROVIDER, null);
    GenerativeModel back = ModelFiles.load(file, ModelRegistry.of(List.of(PROVIDER))).model();
    Dataset cells = Evaluation.allCells(Outfits.schema());
    assertThat(((ExactDensity) back).logDensities(cells)).isEqualTo(m.logDensities(cells));
    assertThat(back.sample(5000, 12, 2).fingerprint())
        .isEqualTo(m.sample(5000, 12, 1).fingerprint());
  }

  @Test
  void anEmptyDataSetIsRefused() {
    assertThatThrownBy(() -> fit(Outfits.sample(5, 1, 0).slice(0, 0), 1))
        .isInstanceOf(PmodelException.class).hasMessageContaining("the data set is empty");
  }
}
