package pmodel.bayesnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pmodel.api.ExactDensity;
import pmodel.runtime.ModelRegistry;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;
import pmodel.api.sampling.ChiSquare;
import pmodel.eval.Evaluation;
import pmodel.runtime.ModelFiles;
import pmodel.api.params.Parameters;

/** The differentially private fit: its mechanisms, and that it still gives a proper model. */
class PrivacyTest {
  @Test
  void theSensitivityOfMutualInformationIsPrivBayesLemma() {
    // N = 100: binary (ln 100)/100 + 0.99 ln(100/99) = 0.046052 + 0.009950 = 0.056002;
    // otherwise (2/100) ln(50.5) + 0.99 ln(101/99) = 0.078439 + 0.019801 = 0.098240
    assertThat(Privacy.sensitivity(100, true)).isCloseTo(0.056002, within(1e-6));
    assertThat(Privacy.sensitivity(100, false)).isCloseTo(0.098240, within(1e-6));
    // it shrinks like (ln N)/N
    assertThat(Privacy.sensitivity(1_000_000, false)).isLessThan(3e-5);
  }

  @Test
  void theExponentialMechanismDrawsInProportionToItsWeights() {
    double[] logWeight = {0, Math.log(2), Math.log(3), -1, Math.log(4), 0};
    double[] p = new double[logWeight.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(logWeight[i]);
    }
    long[] counts = new long[p.length];
    Random rng = new Random(5);
    for (int i = 0; i < 200_000; i++) {
      counts[Privacy.sample(logWeight, logWeight.length, Math.log(4), rng)]++;
    }
    ChiSquare.Result r = ChiSquare.test(counts, p);
    assertThat(r.pValue()).as(r.toString()).isGreaterThan(ChiSquare.SIGNIFICANCE);
  }

  @Test
  void theNoiseOnTheCountsIsLaplaceOfScaleTwoDOverEpsilon() {
    // d = 5 tables, epsilon = 0.01: b = 2·5/0.01 = 1000. Far from the clamps (counts 5e8 of
    // n = 1e9), |noise| is exponential with mean b and standard deviation b; rounding moves each
    // value by at most 0.5. Five standard errors b/sqrt(n) plus 0.5 bound the mean's deviation.
    int n = 100_000;
    long[] counts = new long[n];
    Arrays.fill(counts, 500_000_000L);
    Privacy.perturbCounts(counts, 5, 1_000_000_000L, 0.01, new Random(3));
    double sumAbs = 0;
    double sum = 0;
    for (long c : counts) {
      sumAbs += Math.abs(c - 500_000_000L);
      sum += c - 500_000_000L;
    }
    double b = 1000;
    assertThat(sumAbs / n).isCloseTo(b, within(5 * b / Math.sqrt(n) + 0.5));
    // centred: the mean noise has standard deviation sqrt(2)·b/sqrt(n)
    assertThat(sum / n).isCloseTo(0, within(5 * Math.sqrt(2) * b / Math.sqrt(n) + 0.5));
    // clamped to [0, n] near the edges, never NaN: an infinite scale still gives counts in range
    long[] edge = {0, 3, 10};
    Privacy.perturbCounts(edge, 5, 10, Double.MIN_VALUE, new Random(4));
    for (long c : edge) {
      assertThat(c).isBetween(0L, 10L);
    }
  }

  @Test
  void aHugeBudgetGivesTheNonPrivateModel() {
    // epsilon = 1e12: count noise of scale 1e-11 rounds away, and the exponential mechanism's
    // weights differ by more than e^1000 between edges whose MI differs by 1e-6 nats
    Dataset data = Outfits.sample(5000, 1, 0);
    BayesNetModel exact = BayesNetModelTest.fit(data, 2);
    BayesNetModel huge = BayesNetModelTest.fit(data, 2, "epsilon", "1e12");
    assertThat(huge.parents()).isEqualTo(exact.parents());
    assertThat(huge.counts()).isEqualTo(exact.counts());
    // at the top of the range ε·I/(2Δ) would overflow: the shifted weights still pick argmax
    BayesNetModel top = BayesNetModelTest.fit(data, 2, "epsilon",
        Double.toString(Double.MAX_VALUE));
    assertThat(top.parents()).isEqualTo(exact.parents());
    assertThat(top.counts()).isEqualTo(exact.counts());
  }

  @Test
  void aPrivateFitIsAProperModelThatDiffersEachTime(@TempDir Path dir) {
    Dataset data = Outfits.sample(5000, 1, 0);
    BayesNetModel a = BayesNetModelTest.fit(data, 2, "epsilon", "1");
    BayesNetModel b = BayesNetModelTest.fit(data, 2, "epsilon", "1");
    assertThat(a.counts()).isNotEqualTo(b.counts());
    double[] p = BayesNetModelTest.probabilities(a);
    assertThat(BayesNetModelTest.sum(p)).isCloseTo(1.0, within(1e-12));
    double kl = Evaluation.klDivergence(Outfits.probabilities(), a);
    assertThat(kl).isFinite().isPositive();
    assertThat(a.describe(1).get(0)).startsWith("private tree (epsilon=1.0");
    Path file = dir.resolve("private.pm");
    BayesNetProvider provider = new BayesNetProvider();
    ModelFiles.save(file, a, provider, null);
    ExactDensity back = (ExactDensity) ModelFiles.load(file, ModelRegistry.of(List.of(provider)))
        .model();
    Dataset cells = Evaluation.allCells(Outfits.schema());
    assertThat(back.logDensities(cells)).isEqualTo(a.logDensities(cells));
  }

  @Test
  void continuousFeaturesAreRefusedWithABudget() {
    BayesNetProvider p = new BayesNetProvider();
    Schema s = Schema.of(new ContinuousFeature("x"), DiscreteFeature.integer("k", 2));
    Parameters eps = Parameters.parse(p.id(), p.parameters(), Map.of("epsilon", "1"));
    assertThat(p.supports(s, eps).reason()).contains("bin ranges of continuous features");
    assertThat(p.supports(s).supported()).isTrue();
  }
}
