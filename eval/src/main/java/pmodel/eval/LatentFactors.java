package pmodel.eval;

import pmodel.api.error.PmodelException;

/**
 * How much of a known factor of variation a latent code explains: the R² of the least-squares
 * linear regression of the factor on the latent coordinates. A representation that has found
 * the factor explains it (nearly) linearly; one that has not leaves it in the residual.
 */
public final class LatentFactors {
  private LatentFactors() {
  }

  /**
   * R² of {@code y ~ 1 + z_1 + … + z_dims}: 1 − (residual sum of squares) / (total sum of
   * squares about the mean). {@code z} holds {@code y.length} rows of {@code dims} coordinates,
   * row after row (as {@code LatentSpace.encode} returns them).
   *
   * @throws PmodelException when the shapes disagree, there are not more rows than
   *     coefficients, y is constant, or the coordinates are collinear
   */
  public static double rSquared(double[] z, int dims, double[] y) {
    int n = y.length;
    int k = dims + 1;
    if (dims < 1 || z.length != (long) n * dims) {
      throw PmodelException.badInput("latent coordinates: " + z.length + " values for " + n
          + " rows of " + dims + "; expected rows × dims");
    }
    if (n <= k) {
      throw PmodelException.badInput(n + " rows for " + k + " regression coefficients;"
          + " expected more rows than coefficients");
    }
    double mean = 0;
    for (double v : y) {
      mean += v;
    }
    mean /= n;
    // Normal equations on centred coordinates (better conditioned than raw ones).
    double[] zMean = new double[dims];
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < dims; d++) {
        zMean[d] += z[i * dims + d] / n;
      }
    }
    double[][] a = new double[dims][dims];
    double[] b = new double[dims];
    double ssTot = 0;
    for (int i = 0; i < n; i++) {
      double dy = y[i] - mean;
      ssTot += dy * dy;
      for (int r = 0; r < dims; r++) {
        double xr = z[i * dims + r] - zMean[r];
        b[r] += xr * dy;
        for (int c = 0; c < dims; c++) {
          a[r][c] += xr * (z[i * dims + c] - zMean[c]);
        }
      }
    }
    if (!(ssTot > 0)) {
      throw PmodelException.badInput("the factor is constant over the rows; R² is undefined");
    }
    double[] coef = solve(a, b);
    double ssRes = 0;
    for (int i = 0; i < n; i++) {
      double pred = mean;
      for (int d = 0; d < dims; d++) {
        pred += coef[d] * (z[i * dims + d] - zMean[d]);
      }
      ssRes += (y[i] - pred) * (y[i] - pred);
    }
    return 1 - ssRes / ssTot;
  }

  /** Gaussian elimination with partial pivoting; fails on a (numerically) singular system. */
  private static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double scale = 0;
    for (double[] row : a) {
      for (double v : row) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    for (int p = 0; p < n; p++) {
      int max = p;
      for (int i = p + 1; i < n; i++) {
        if (Math.abs(a[i][p]) > Math.abs(a[max][p])) {
          max = i;
        }
      }
      if (!(Math.abs(a[max][p]) > 1e-12 * scale)) {
        throw PmodelException.badInput("the latent coordinates are collinear (or constant);"
            + " R² is undefined");
      }
      double[] t = a[p];
      a[p] = a[max];
      a[max] = t;
      double tb = b[p];
      b[p] = b[max];
      b[max] = tb;
      for (int i = p + 1; i < n; i++) {
        double f = a[i][p] / a[p][p];
        b[i] -= f * b[p];
        for (int j = p; j < n; j++) {
          a[i][j] -= f * a[p][j];
        }
      }
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = b[i];
      for (int j = i + 1; j < n; j++) {
        s -= a[i][j] * x[j];
      }
      x[i] = s / a[i][i];
    }
    return x;
  }
}
