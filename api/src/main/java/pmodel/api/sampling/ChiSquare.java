package pmodel.api.sampling;

import java.util.ArrayList;
import java.util.List;

/**
 * Pearson's chi-square goodness-of-fit test with an exact p-value (regularized incomplete gamma
 * function). Cells whose expected count is below 5 are pooled into one cell, as the
 * approximation of the statistic by a chi-square distribution requires.
 */
public final class ChiSquare {
  /** The significance level every sampler test uses. */
  public static final double SIGNIFICANCE = 0.001;

  private ChiSquare() {
  }

  /** The statistic, its degrees of freedom and p-value. */
  public record Result(double statistic, int degreesOfFreedom, double pValue) {
    @Override
    public String toString() {
      return "chi2=" + statistic + " df=" + degreesOfFreedom + " p=" + pValue;
    }
  }

  /** Tests observed counts against probabilities (which need not sum exactly to 1). */
  public static Result test(long[] observed, double[] probabilities) {
    if (observed.length != probabilities.length) {
      throw new IllegalArgumentException("lengths differ");
    }
    long n = 0;
    double total = 0;
    for (int i = 0; i < observed.length; i++) {
      n += observed[i];
      total += probabilities[i];
    }
    List<double[]> cells = new ArrayList<>();
    double pooledExpected = 0;
    double pooledObserved = 0;
    for (int i = 0; i < observed.length; i++) {
      double e = n * probabilities[i] / total;
      if (e < 5) {
        pooledExpected += e;
        pooledObserved += observed[i];
      } else {
        cells.add(new double[] {observed[i], e});
      }
    }
    if (pooledExpected > 0 || pooledObserved > 0) {
      cells.add(new double[] {pooledObserved, pooledExpected});
    }
    double chi2 = 0;
    for (double[] c : cells) {
      if (c[1] == 0) {
        if (c[0] > 0) {
          return new Result(Double.POSITIVE_INFINITY, cells.size() - 1, 0);
        }
        continue;
      }
      double d = c[0] - c[1];
      chi2 += d * d / c[1];
    }
    int df = Math.max(1, cells.size() - 1);
    return new Result(chi2, df, upperTail(df, chi2));
  }

  /** P(X ≥ x) for X chi-square with k degrees of freedom: Q(k/2, x/2). */
  public static double upperTail(int k, double x) {
    return regularizedGammaQ(k / 2.0, x / 2.0);
  }

  static double regularizedGammaQ(double a, double x) {
    if (x <= 0) {
      return 1;
    }
    if (x < a + 1) {
      // series for P, then Q = 1 - P
      double sum = 1 / a;
      double term = sum;
      for (int n = 1; n < 100_000; n++) {
        term *= x / (a + n);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * 1e-16) {
          break;
        }
      }
      return 1 - sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
    }
    // continued fraction for Q (Lentz)
    double b = x + 1 - a;
    double c = 1 / 1e-300;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < 100_000; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < 1e-300) {
        d = 1e-300;
      }
      c = b + an / c;
      if (Math.abs(c) < 1e-300) {
        c = 1e-300;
      }
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (Math.abs(del - 1) < 1e-16) {
        break;
      }
    }
    return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
  }

  /** ln Γ(x) by the Lanczos approximation (g = 7, n = 9), accurate to about 1e-15. */
  static double logGamma(double x) {
    double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
        771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
        9.9843695780195716e-6, 1.5056327351493116e-7};
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    x -= 1;
    double a = g[0];
    double t = x + 7.5;
    for (int i = 1; i < 9; i++) {
      a += g[i] / (x + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
  }
}
