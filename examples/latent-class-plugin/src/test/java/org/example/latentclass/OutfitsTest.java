package org.example.latentclass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import pmodel.api.ExactDensity;
import pmodel.api.GenerativeModel;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.Dataset;
import pmodel.eval.Evaluation;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;

/**
 * On 'outfits', whose P_data is a mixture of five styles, five latent classes recover the
 * structure that naive Bayes (one class) cannot represent.
 */
class OutfitsTest {
  static final int N = 5000;
  static final LatentClassProvider PROVIDER = new LatentClassProvider();

  static ExactDensity fit(Dataset data, int classes, int threads) {
    Parameters p = Parameters.parse(PROVIDER.id(), PROVIDER.parameters(),
        Map.of("classes", Integer.toString(classes)));
    GenerativeModel m = PROVIDER.fit(data, p, FitContext.of(7, threads));
    return (ExactDensity) m;
  }

  @Test
  void fiveClassesBeatNaiveBayesByAWideMarginAtFiveThousandRows() {
    Dataset train = Outfits.sample(N, 1, 0);
    double[] pData = Outfits.probabilities();
    double naive = Evaluation.klDivergence(pData, fit(train, 1, 2));
    double mixture = Evaluation.klDivergence(pData, fit(train, 5, 2));
    // One class is naive Bayes: the best product of marginals is 0.513 nats from P_data, and
    // estimating its 23 parameters adds about 23 / (2N) = 0.002 nats.
    assertTrue(naive > 0.513 && naive < 0.53, "one class: KL " + naive);
    // Five classes can represent P_data exactly. For a well-specified model fitted by maximum
    // likelihood, 2N·KL is asymptotically chi-square with d = 4 + 5·23 = 119 degrees of
    // freedom: KL ≈ d/(2N) = 0.0119 with standard deviation sqrt(2d)/(2N) = 0.0015. The bound
    // allows that mean plus ten standard deviations, for the smoothing's bias and a local
    // optimum of EM: 0.0119 + 0.0154 = 0.027, a twentieth of naive Bayes' KL.
    double d = 4 + 5 * 23;
    double bound = d / (2.0 * N) + 10 * Math.sqrt(2 * d) / (2.0 * N);
    assertTrue(mixture < bound, "five classes: KL " + mixture + ", expected below " + bound
        + " (naive Bayes: " + naive + ")");
  }

  @Test
  void theFitDoesNotDependOnTheThreadCount() {
    Dataset train = Outfits.sample(N, 2, 0);
    Dataset cells = Evaluation.allCells(Outfits.schema());
    double[] one = fit(train, 5, 1).logDensities(cells);
    double[] two = fit(train, 5, 2).logDensities(cells);
    for (int i = 0; i < one.length; i++) {
      assertEquals(one[i], two[i], 0.0, "cell " + i);
    }
  }
}
