package pmodel.data.builtin;

import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.compute.Parallel;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.ProductSpace;
import pmodel.api.data.Schema;
import pmodel.api.sampling.AliasTable;

/**
 * The founding story's 'outfits': five features of a cartoon avatar, 3·8·4·6·7 = 4032 cells, drawn
 * from a fixed, known P_data so that KL(P_data‖P_model) can be computed exactly.
 *
 * <p>P_data is a mixture of five "styles" (office 0.30, street 0.25, pastel 0.20, festival 0.15,
 * classic 0.10). Within a style the features are independent, and level l of feature k has
 * probability proportional to {@code POPULARITY[k][l] · (STYLE[s][k][l] + 0.5)}: a popularity
 * shared by all styles (so the marginals are far from uniform) times the style's preference (so
 * features depend on each other through the style). Every cell has positive probability.
 * KL(P_data‖uniform) = 1.248 nats; the best product of marginals (naive Bayes with infinite data)
 * stays 0.513 nats away, while the histogram converges to P_data: naive Bayes wins on little
 * data, the histogram on a lot.
 */
public final class Outfits {
  /** The feature names, in column order. */
  public static final List<String> FEATURES =
      List.of("accessories", "clothing_color", "clothing_type", "hair_color", "hair_type");

  private static final List<List<String>> LEVELS = List.of(
      List.of("Blank", "Round", "Sunglasses"),
      List.of("Black", "Blue01", "Gray01", "PastelGreen", "PastelOrange", "Pink", "Red", "White"),
      List.of("Hoodie", "Overall", "ShirtScoopNeck", "ShirtVNeck"),
      List.of("Black", "Blonde", "Brown", "PastelPink", "Red", "SilverGray"),
      List.of("NoHair", "LongHairBun", "LongHairCurly", "LongHairStraight",
          "ShortHairShortWaved", "ShortHairShortFlat", "ShortHairFrizzle"));

  private static final double[] STYLE_WEIGHTS = {0.30, 0.25, 0.20, 0.15, 0.10};

  private static final double[][] POPULARITY = {
      {8, 2, 3},
      {9, 3, 5, 1, 1, 2, 3, 6},
      {5, 2, 4, 6},
      {7, 3, 6, 1, 2, 1},
      {2, 3, 1, 6, 4, 7, 1}};

  private static final double[][][] STYLE = {
      // office
      {{6, 1, 1}, {3, 2, 3, 0, 0, 0, 0, 4}, {0, 0, 3, 5}, {4, 1, 4, 0, 0, 1}, {1, 3, 0, 4, 1, 4, 0}},
      // street
      {{1, 1, 6}, {5, 0, 3, 0, 0, 0, 4, 0}, {6, 0, 1, 0}, {3, 1, 2, 0, 1, 0}, {3, 0, 0, 0, 3, 1, 5}},
      // pastel
      {{2, 5, 1}, {0, 0, 0, 5, 4, 5, 0, 1}, {0, 5, 3, 0}, {0, 4, 0, 6, 1, 0}, {0, 4, 5, 2, 0, 0, 0}},
      // festival
      {{1, 4, 4}, {0, 4, 0, 0, 3, 2, 5, 0}, {3, 4, 0, 0}, {0, 3, 0, 3, 5, 0}, {0, 0, 5, 0, 1, 0, 4}},
      // classic
      {{4, 3, 1}, {0, 3, 4, 0, 0, 0, 0, 5}, {0, 0, 1, 6}, {0, 0, 0, 0, 0, 8}, {4, 2, 0, 0, 1, 4, 0}}};

  private static final double PREFERENCE_FLOOR = 0.5;
  private static final int BLOCK = 1 << 13;

  private static final Schema SCHEMA = buildSchema();
  private static final double[][][] CONDITIONALS = buildConditionals();

  private Outfits() {
  }

  private static Schema buildSchema() {
    DiscreteFeature[] fs = new DiscreteFeature[FEATURES.size()];
    for (int k = 0; k < fs.length; k++) {
      fs[k] = DiscreteFeature.categorical(FEATURES.get(k), LEVELS.get(k));
    }
    return Schema.of(fs);
  }

  /** P(level | style) for every style s, feature k, level l. */
  private static double[][][] buildConditionals() {
    double[][][] out = new double[STYLE.length][POPULARITY.length][];
    for (int s = 0; s < STYLE.length; s++) {
      for (int k = 0; k < POPULARITY.length; k++) {
        double[] p = new double[POPULARITY[k].length];
        double sum = 0;
        for (int l = 0; l < p.length; l++) {
          p[l] = POPULARITY[k][l] * (STYLE[s][k][l] + PREFERENCE_FLOOR);
          sum += p[l];
        }
        for (int l = 0; l < p.length; l++) {
          p[l] /= sum;
        }
        out[s][k] = p;
      }
    }
    return out;
  }

  /** The schema: five categorical features with the story's level names. */
  public static Schema schema() {
    return SCHEMA;
  }

  /** The number of styles (mixture components) of P_data. */
  public static int styles() {
    return STYLE_WEIGHTS.length;
  }

  /**
   * P_data of every cell, indexed as {@link ProductSpace#of(Schema)} numbers them (the last
   * feature varies fastest). Sums to 1.
   */
  public static double[] probabilities() {
    ProductSpace space = ProductSpace.of(SCHEMA);
    int d = (int) space.size();
    double[] p = new double[d];
    int[] codes = new int[SCHEMA.size()];
    for (int cell = 0; cell < d; cell++) {
      space.decode(cell, codes);
      double total = 0;
      for (int s = 0; s < STYLE_WEIGHTS.length; s++) {
        double t = STYLE_WEIGHTS[s];
        for (int k = 0; k < codes.length; k++) {
          t *= CONDITIONALS[s][k][codes[k]];
        }
        total += t;
      }
      p[cell] = total;
    }
    return p;
  }

  /**
   * {@code rows} independent rows of P_data: a style, then each feature given the style. Rows are
   * drawn in blocks of 8192, each from its own stream of {@code seed}, so the result does not
   * depend on the thread count. {@code part} separates independent draws with one seed (0 for
   * training data, 1 for held-out data).
   */
  public static Dataset sample(int rows, long seed, int part) {
    AliasTable styleTable = AliasTable.of(STYLE_WEIGHTS);
    AliasTable[][] tables = new AliasTable[STYLE.length][POPULARITY.length];
    for (int s = 0; s < STYLE.length; s++) {
      for (int k = 0; k < POPULARITY.length; k++) {
        tables[s][k] = AliasTable.of(CONDITIONALS[s][k]);
      }
    }
    byte[][] cols = new byte[SCHEMA.size()][rows];
    long partSeed = RandomStreams.mix(seed, 0x6f75746669747300L + part);
    Parallel.forEachBlock(rows, BLOCK, Parallel.defaultThreads(), (block, from, to) -> {
      UniformRandomProvider rng = RandomStreams.create(partSeed, block);
      for (int i = from; i < to; i++) {
        int s = styleTable.sample(rng);
        for (int k = 0; k < cols.length; k++) {
          cols[k][i] = (byte) tables[s][k].sample(rng);
        }
      }
    });
    return Dataset.of(SCHEMA, rows, cols);
  }
}
