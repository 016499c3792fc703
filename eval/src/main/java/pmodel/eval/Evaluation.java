package pmodel.eval;

import pmodel.api.ExactDensity;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Dataset;
import pmodel.api.data.ProductSpace;
import pmodel.api.data.Schema;

/** Held-out likelihood and exact divergences. */
public final class Evaluation {
  /** The largest product space {@link #klDivergence} enumerates. */
  public static final long MAX_ENUMERATED_CELLS = 1L << 24;

  private Evaluation() {
  }

  /** The exact mean NLL of {@code data} under {@code model}. */
  public static LikelihoodReport exactNll(ExactDensity model, Dataset data, int threads) {
    if (data.rows() == 0) {
      throw PmodelException.badInput("no rows to score; expected at least one");
    }
    double total = model.totalLogDensity(data, threads);
    return LikelihoodReport.of("exact", data.rows(), data.schema().size(), total);
  }

  /**
   * Every cell of a discrete schema as a dataset, in {@link ProductSpace} order (at most
   * {@link #MAX_ENUMERATED_CELLS} cells).
   */
  public static Dataset allCells(Schema schema) {
    ProductSpace space = ProductSpace.of(schema);
    if (!space.indexable() || space.size() > MAX_ENUMERATED_CELLS) {
      throw PmodelException.badInput("the product space has e^" + Math.round(space.logSize())
          + " cells; at most " + MAX_ENUMERATED_CELLS + " can be enumerated");
    }
    int d = (int) space.size();
    Object[] cols = new Object[schema.size()];
    for (int f = 0; f < cols.length; f++) {
      cols[f] = Dataset.newColumn(schema.feature(f), d);
    }
    int[] codes = new int[schema.size()];
    for (int cell = 0; cell < d; cell++) {
      space.decode(cell, codes);
      for (int f = 0; f < cols.length; f++) {
        if (cols[f] instanceof byte[] b) {
          b[cell] = (byte) codes[f];
        } else {
          ((int[]) cols[f])[cell] = codes[f];
        }
      }
    }
    return Dataset.of(schema, d, cols);
  }

  /**
   * KL(P‖Q) in nats, exactly, for a known discrete P (probabilities in {@link ProductSpace} order)
   * and a model Q with an exact density over the same schema: Σ P(x) (log P(x) − log Q(x)).
   * Infinite when Q gives zero probability to a cell P does not.
   */
  public static double klDivergence(double[] p, ExactDensity q) {
    Dataset cells = allCells(q.schema());
    if (cells.rows() != p.length) {
      throw new IllegalArgumentException(p.length + " probabilities for " + cells.rows()
          + " cells");
    }
    double[] logQ = q.logDensities(cells);
    double kl = 0;
    for (int i = 0; i < p.length; i++) {
      if (p[i] > 0) {
        kl += p[i] * (Math.log(p[i]) - logQ[i]);
      }
    }
    return kl;
  }
}
