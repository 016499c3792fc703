package pmodel.vae;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pmodel.data.builtin.Cans;
import pmodel.api.data.Dataset;
import pmodel.eval.LatentFactors;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;

/**
 * The cans case at the DEFAULT hyperparameters (only the seed set): the VAE's held-out
 * bound must lie below naive Bayes' exact NLL on the same rows, and its 2-D latent code must
 * explain the cans' height and width. A bench, not a unit test (the default budget of 3,000
 * steps takes minutes): run it with
 * {@code ./mvnw -o -pl model-vae-djl verify -Dtest=VaeCansDefaultsBench
 * -Dsurefire.failIfNoSpecifiedTests=false}, or its {@code main} with name=value settings.
 * The test suite's cans check at defaults is the fast defaults matrix (cli DefaultsMatrixTest).
 */
class VaeCansDefaultsBench {
  /**
   * Naive Bayes' exact held-out NLL in bits per dimension: independent per-pixel categoricals
   * over 256 levels with Laplace smoothing α = 1, fitted on {@code train}. Computed here from
   * its definition (p(level) = (count + 1) / (n + 256)) so the test does not depend on the
   * naive-bayes module.
   */
  static double naiveBayesBitsPerDim(Dataset train, Dataset test) {
    int d = train.schema().size();
    double total = 0;
    for (int f = 0; f < d; f++) {
      long[] counts = new long[256];
      for (int i = 0; i < train.rows(); i++) {
        counts[train.code(i, f)]++;
      }
      double denom = train.rows() + 256.0;
      for (int i = 0; i < test.rows(); i++) {
        total -= Math.log((counts[test.code(i, f)] + 1) / denom);
      }
    }
    return total / ((double) test.rows() * d * Math.log(2));
  }

  /** The figures of one fit: bound, naive Bayes, R² of height and width (bits/dim, R²). */
  record Figures(double bits, double naiveBayes, double r2Height, double r2Width) {
  }

  static Figures measure(Map<String, String> set) {
    // the command: pmodel fit vae --data 'builtin:cans?rows=3000&seed=1' --seed 1
    Dataset train = Cans.sample(3000, 1, 0);
    Dataset test = Cans.sample(1000, 1, 1);
    VaeProvider p = new VaeProvider();
    long start = System.nanoTime();
    VaeModel m = (VaeModel) p.fit(train, Parameters.parse("vae", p.parameters(), set),
        FitContext.of(1, 2));
    double seconds = (System.nanoTime() - start) / 1e9;
    double[] bound = new double[test.rows()];
    m.lowerBounds(test, bound, 5);
    double nats = 0;
    for (double b : bound) {
      nats -= b / bound.length;
    }
    double bits = nats / (1024 * Math.log(2));
    double nb = naiveBayesBitsPerDim(train, test);
    double[] z = m.encode(test);
    Dataset meta = test.metadata().orElseThrow();
    double r2h = LatentFactors.rSquared(z, 2, meta.doubles(0));
    double r2w = LatentFactors.rSquared(z, 2, meta.doubles(1));
    System.out.printf(Locale.ROOT, "cans %s: fit %.1f s, %s; bound %.4f bits/dim,"
        + " naive Bayes %.4f bits/dim, R2 height %.4f, width %.4f%n", set, seconds,
        m.describe(1).get(0), bits, nb, r2h, r2w);
    return new Figures(bits, nb, r2h, r2w);
  }

  /** Bench entry: {@code main name=value ...} fits with those settings and prints the figures. */
  public static void main(String[] args) {
    Map<String, String> set = new HashMap<>();
    for (String kv : args) {
      set.put(kv.split("=", 2)[0], kv.split("=", 2)[1]);
    }
    measure(set);
  }

  @Test
  void atDefaultsTheBoundBeatsNaiveBayesWidelyAndTheLatentCodeExplainsBothFactors() {
    Figures f = measure(Map.of());
    double bits = f.bits();
    double nb = f.naiveBayes();
    double r2h = f.r2Height();
    double r2w = f.r2Width();
    // The criterion: the bound below naive Bayes' exact NLL. The cans carry no noise
    // (two numbers and anti-aliased edges describe each image), so a model that learned them
    // pays only for its decoder's errors at the edges, while naive Bayes pays the whole
    // per-pixel entropy of the can's varying outline; the bound is an upper bound on the VAE's
    // NLL, so the comparison is conservative for the VAE. Measured at defaults: 1.29 against
    // 2.14 bits/dim (docs/models.md).
    assertThat(bits).isLessThan(nb);
    // R² >= 0.9 for each factor from a linear fit on the 2 coordinates (the issue's
    // criterion; derivation in VaeLatentAndTableTest: both independent factors can exceed 0.5
    // only if both coordinates carry them; sampling error of R² at 1000 rows about 0.01).
    assertThat(r2h).isGreaterThan(0.9);
    assertThat(r2w).isGreaterThan(0.9);
  }
}
