package pmodel.gan;

import pmodel.djl.TensorSpec;
import pmodel.djl.NamedTensors;
import pmodel.djl.Gaussians;
import pmodel.djl.DjlEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;

/**
 * The Java generator that samples computes what the DJL generator that trains computes: the same
 * weights and latent points give the same outputs (MLP with identity and softmax heads; DCGAN
 * with transposed convolutions, batch normalization and tanh), up to float rounding.
 */
class GeneratorTest {
  private static float[][] randomize(List<TensorSpec> tensors, long seed) {
    float[][] v = NamedTensors.initial(tensors, seed, 1);
    UniformRandomProvider rng = RandomStreams.create(seed, 2);
    for (float[] a : v) {
      for (int i = 0; i < a.length; i++) {
        a[i] += (float) (0.3 * (rng.nextDouble() - 0.5)); // also moves zero biases and BN
      }
    }
    return v;
  }

  private static void compare(Nets nets, int rows, double tolerance) {
    float[][] values = randomize(nets.generator(), 5);
    float[] z = new float[rows * nets.latent];
    Gaussians.fillComplement(RandomStreams.create(9, 0), z, 0, z.length);
    float[] expected;
    float[][] stats;
    try (NDManager m = DjlEngine.newManager()) {
      NDList p = NamedTensors.arrays(m, nets.generator(), values);
      NDList batchStats = new NDList();
      expected = nets.generate(p, m.create(z, new Shape(rows, nets.latent)),
          new Nets.Constants(m, nets.features), batchStats).toFloatArray();
      stats = new float[batchStats.size()][];
      for (int i = 0; i < stats.length; i++) {
        stats[i] = batchStats.get(i).toFloatArray();
      }
    }
    // with the batch's own statistics as the fixed ones, both compute the same function
    float[] actual = new Generator(nets, values, stats).generate(z, rows);
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < actual.length; i++) {
      assertEquals(expected[i], actual[i], tolerance, "output " + i);
    }
  }

  @Test
  void mlpWithContinuousAndDiscreteHeads() {
    Schema s = Schema.of(new ContinuousFeature("a"),
        DiscreteFeature.categorical("b", List.of("x", "y", "z")), new ContinuousFeature("c"),
        new ContinuousFeature("d"), DiscreteFeature.integer("e", 5));
    Features f = new Features(s, false, new double[5], new double[] {1, 1, 1, 1, 1});
    compare(new Nets(Nets.Kind.MLP, 3, new int[] {17, 9}, 1, f), 12, 1e-5);
  }

  @Test
  void mlpOnPixels() {
    Features f = new Features(Schema.image(5, 4, 16), false, new double[20], ones(20));
    compare(new Nets(Nets.Kind.MLP, 4, new int[] {8}, 1, f), 7, 1e-5);
  }

  @Test
  void dcganOnTheCanvas() {
    Features f = new Features(Schema.image(28, 28, 256), true, new double[784], ones(784));
    // tolerance: tanh outputs of sums of a few hundred float products, each ~1e-7 relative
    compare(new Nets(Nets.Kind.CONV, 6, new int[] {1}, 3, f), 5, 1e-4);
  }

  private static double[] ones(int n) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, 1);
    return a;
  }
}
