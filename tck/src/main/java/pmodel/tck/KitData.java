package pmodel.tck;

import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;
import pmodel.api.sampling.AliasTable;

/**
 * The data the kit fits on: rows of any schema drawn from a mixture of three components, each a
 * product of independent features (a random categorical per discrete feature, a normal
 * distribution per continuous one). Features depend on each other through the component, so
 * models have structure to find; every discrete level has positive probability.
 */
final class KitData {
  static final double[] WEIGHTS = {0.5, 0.3, 0.2};

  private KitData() {
  }

  static Dataset mixture(Schema schema, int rows, long seed) {
    UniformRandomProvider rng = RandomStreams.create(seed, 0x6b6974L);
    int d = schema.size();
    int c = WEIGHTS.length;
    AliasTable[][] tables = new AliasTable[c][d];
    double[][] means = new double[c][d];
    for (int k = 0; k < c; k++) {
      for (int f = 0; f < d; f++) {
        if (schema.feature(f) instanceof DiscreteFeature df) {
          double[] w = new double[df.cardinality()];
          for (int l = 0; l < w.length; l++) {
            double u = rng.nextDouble();
            w[l] = 0.05 + u * u; // uneven, never zero
          }
          tables[k][f] = AliasTable.of(w);
        } else {
          means[k][f] = 3.0 * (k - 1) + rng.nextDouble();
        }
      }
    }
    AliasTable component = AliasTable.of(WEIGHTS);
    Object[] cols = new Object[d];
    for (int f = 0; f < d; f++) {
      cols[f] = Dataset.newColumn(schema.feature(f), rows);
    }
    for (int i = 0; i < rows; i++) {
      int k = component.sample(rng);
      for (int f = 0; f < d; f++) {
        Object col = cols[f];
        if (col instanceof byte[] b) {
          b[i] = (byte) tables[k][f].sample(rng);
        } else if (col instanceof int[] a) {
          a[i] = tables[k][f].sample(rng);
        } else {
          ((double[]) col)[i] = means[k][f] + gaussian(rng);
        }
      }
    }
    return Dataset.of(schema, rows, cols);
  }

  /** A standard normal draw (Box-Muller, one of the pair). */
  private static double gaussian(UniformRandomProvider rng) {
    double u = 1 - rng.nextDouble(); // (0, 1]
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
  }
}
