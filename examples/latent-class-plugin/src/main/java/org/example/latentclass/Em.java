package org.example.latentclass;

import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.compute.Parallel;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;
import pmodel.api.spi.Progress;

/**
 * Expectation-maximisation for the latent-class model, from several random starts. The E-step
 * runs on fixed blocks of rows (at most {@value #MAX_BLOCKS}), each summing its expected counts
 * into its own arrays, which are added in block order: the fit is the same on any number of
 * threads.
 */
final class Em {
  static final int MAX_BLOCKS = 16;
  static final int MIN_BLOCK = 1024;

  private Em() {
  }

  static LatentClassModel fit(Dataset data, Parameters params, FitContext context) {
    int k = (int) params.integer("classes");
    int restarts = (int) params.integer("restarts");
    int iterations = (int) params.integer("iterations");
    double tolerance = params.real("tolerance");
    double s = params.real("smoothing");
    Layout layout = Layout.of(data.schema());
    int v = layout.levels();
    int n = data.rows();
    int d = layout.features();
    long[] marginal = new long[v];
    for (int f = 0; f < d; f++) {
      for (int i = 0; i < n; i++) {
        marginal[layout.offset(f) + data.code(i, f)]++;
      }
    }
    double[] bestWeights = null;
    double[] bestTheta = null;
    double bestLl = Double.NEGATIVE_INFINITY;
    for (int r = 0; r < restarts; r++) {
      // a random start: uniform weights, each class's levels the marginal frequencies scaled
      // by independent uniform factors in [0.5, 1.5)
      UniformRandomProvider rng = RandomStreams.create(context.seed(), r);
      double[] weights = new double[k];
      java.util.Arrays.fill(weights, 1.0 / k);
      double[] theta = new double[k * v];
      for (int c = 0; c < k; c++) {
        for (int f = 0; f < d; f++) {
          int off = c * v + layout.offset(f);
          double sum = 0;
          for (int l = 0; l < layout.cardinality(f); l++) {
            theta[off + l] = (marginal[layout.offset(f) + l] + 1) * (0.5 + rng.nextDouble());
            sum += theta[off + l];
          }
          for (int l = 0; l < layout.cardinality(f); l++) {
            theta[off + l] /= sum;
          }
        }
      }
      double previous = Double.NEGATIVE_INFINITY;
      int it = 0;
      while (it < iterations) {
        context.checkCancelled();
        Counts c = expect(data, layout, k, weights, theta, context.threads());
        maximise(c, layout, k, s, n, weights, theta);
        it++;
        if (c.logLikelihood - previous <= tolerance * Math.abs(c.logLikelihood)) {
          break;
        }
        previous = c.logLikelihood;
      }
      double ll = expect(data, layout, k, weights, theta, context.threads()).logLikelihood;
      context.progress().onProgress(new Progress("em runs", r + 1, restarts,
          Map.of("log_likelihood", ll, "iterations", (double) it)));
      if (bestWeights == null || ll > bestLl) {
        bestLl = ll;
        bestWeights = weights;
        bestTheta = theta;
      }
    }
    return new LatentClassModel(data.schema(), params, layout, bestWeights, bestTheta, bestLl,
        n);
  }

  /** Expected counts of one E-step and the log-likelihood of the parameters it used. */
  static final class Counts {
    final double[] classes;
    final double[] levels;
    double logLikelihood;

    Counts(int k, int v) {
      classes = new double[k];
      levels = new double[k * v];
    }

    void add(Counts o) {
      for (int i = 0; i < classes.length; i++) {
        classes[i] += o.classes[i];
      }
      for (int i = 0; i < levels.length; i++) {
        levels[i] += o.levels[i];
      }
      logLikelihood += o.logLikelihood;
    }
  }

  static Counts expect(Dataset data, Layout layout, int k, double[] weights, double[] theta,
      int threads) {
    int n = data.rows();
    int v = layout.levels();
    int d = layout.features();
    double[] logW = new double[k];
    double[] logTheta = new double[theta.length];
    for (int c = 0; c < k; c++) {
      logW[c] = Math.log(weights[c]);
    }
    for (int i = 0; i < theta.length; i++) {
      logTheta[i] = Math.log(theta[i]);
    }
    int block = Math.max(MIN_BLOCK, (n + MAX_BLOCKS - 1) / MAX_BLOCKS);
    int blocks = (n + block - 1) / block;
    Counts[] parts = new Counts[blocks];
    Parallel.forEachBlock(n, block, threads, (b, from, to) -> {
      Counts part = new Counts(k, v);
      double[] post = new double[k];
      int[] x = new int[d];
      for (int i = from; i < to; i++) {
        double logP = LatentClassModel.posterior(data, i, layout, logW, logTheta, x, post);
        part.logLikelihood += logP;
        if (logP == Double.NEGATIVE_INFINITY) {
          continue;
        }
        for (int c = 0; c < k; c++) {
          part.classes[c] += post[c];
          int base = c * v;
          for (int f = 0; f < d; f++) {
            part.levels[base + x[f]] += post[c];
          }
        }
      }
      parts[b] = part;
    });
    Counts total = parts[0];
    for (int b = 1; b < blocks; b++) {
      total.add(parts[b]);
    }
    return total;
  }

  /** The M-step with additive smoothing s: π_c ∝ n_c + s, θ_cfl ∝ n_cfl + s. */
  static void maximise(Counts c, Layout layout, int k, double s, int n, double[] weights,
      double[] theta) {
    int v = layout.levels();
    for (int cl = 0; cl < k; cl++) {
      weights[cl] = (c.classes[cl] + s) / (n + k * s);
      for (int f = 0; f < layout.features(); f++) {
        int off = cl * v + layout.offset(f);
        int card = layout.cardinality(f);
        double denom = 0;
        for (int l = 0; l < card; l++) {
          denom += c.levels[off + l] + s;
        }
        for (int l = 0; l < card; l++) {
          // a class with no expected rows and no smoothing keeps its previous probabilities
          theta[off + l] = denom > 0 ? (c.levels[off + l] + s) / denom : theta[off + l];
        }
      }
    }
  }
}
