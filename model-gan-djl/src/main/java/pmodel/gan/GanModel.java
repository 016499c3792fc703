package pmodel.gan;

import pmodel.djl.NamedTensors;
import pmodel.djl.Gaussians;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.Family;
import pmodel.api.LatentDecoder;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.Parallel;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.api.params.Parameters;

/**
 * A fitted GAN: the generator G and the latent distribution N(0, I). It samples (x = G(z) for a
 * fresh z) and decodes given latent points, and nothing else: it has no likelihood and no
 * encoder, so it implements neither {@code ExactDensity}, {@code DensityBound} nor
 * {@code LatentSpace}. The critic is a training device and is not kept.
 *
 * <p>Rows are generated in blocks of {@value #BLOCK}; block b draws its latent points (and the
 * levels of discrete table features) from stream (seed, b), and the generator runs in Java with
 * a fixed summation order, so samples are the same on any number of threads. The model holds
 * only Java arrays: it is immutable, safe to share between threads, and needs no native library.
 */
final class GanModel implements LatentDecoder {
  /** Rows per independent block of samples. */
  static final int BLOCK = 256;

  private final Schema schema;
  private final Parameters params;
  private final Generator generator;
  private final Training.Curve curve;
  private final String loss;
  /** The samples' spread relative to the data's ({@link Spread}); NaN for older model files. */
  private final double spread;

  GanModel(Schema schema, Parameters params, Generator generator, Training.Curve curve,
      double spread) {
    this.schema = schema;
    this.params = params;
    this.generator = generator;
    this.curve = curve;
    this.loss = params.choice("loss");
    this.spread = spread;
  }

  double spread() {
    return spread;
  }

  Generator generator() {
    return generator;
  }

  Training.Curve curve() {
    return curve;
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public Family family() {
    return Family.IMPLICIT;
  }

  @Override
  public String providerId() {
    return GanProvider.ID;
  }

  @Override
  public Parameters hyperparameters() {
    return params;
  }

  /** The generator's weights (the critic is not part of the fitted model). */
  @Override
  public BigInteger freeParameters() {
    return BigInteger.valueOf(NamedTensors.count(generator.nets().generator()));
  }

  @Override
  public int latentDimension() {
    return generator.nets().latent;
  }

  @Override
  public Dataset sample(int n, long seed, int threads) {
    if (n < 0) {
      throw PmodelException.badInput("cannot draw " + n + " samples");
    }
    int z = latentDimension();
    Object[] cols = columns(n);
    Parallel.forEachBlock(n, BLOCK, threads, (block, from, to) -> {
      UniformRandomProvider rng = RandomStreams.create(seed, block);
      float[] latent = new float[(to - from) * z];
      Gaussians.fillComplement(rng, latent, 0, latent.length);
      float[] out = generator.generate(latent, to - from);
      generator.nets().features.decode(out, to - from, rng, cols, from);
    });
    return Dataset.of(schema, n, cols);
  }

  /**
   * G at each latent point: pixels and continuous values as generated, each discrete table
   * feature at its most probable level (a sample draws it from G's probabilities instead).
   */
  @Override
  public Dataset decode(double[] latent, int count) {
    int z = latentDimension();
    if (count < 0 || latent.length < (long) count * z) {
      throw PmodelException.badInput("decode needs " + count + " x " + z + " latent values; got "
          + latent.length);
    }
    for (int i = 0; i < count * z; i++) {
      if (!Double.isFinite(latent[i])) {
        throw PmodelException.badInput("latent value " + (i + 1) + " is " + latent[i]
            + "; expected a finite number");
      }
    }
    Object[] cols = columns(count);
    Parallel.forEachBlock(count, BLOCK, Parallel.defaultThreads(), (block, from, to) -> {
      float[] part = new float[(to - from) * z];
      for (int i = 0; i < part.length; i++) {
        part[i] = (float) latent[from * z + i];
      }
      float[] out = generator.generate(part, to - from);
      generator.nets().features.decode(out, to - from, null, cols, from);
    });
    return Dataset.of(schema, count, cols);
  }

  private Object[] columns(int n) {
    Object[] cols = new Object[schema.size()];
    for (int f = 0; f < cols.length; f++) {
      cols[f] = Dataset.newColumn(schema.feature(f), n);
    }
    return cols;
  }

  @Override
  public List<String> describe(int limit) {
    List<String> out = new ArrayList<>();
    if (limit <= 0) {
      return out;
    }
    Nets nets = generator.nets();
    String arch;
    if (nets.kind == Nets.Kind.MLP) {
      StringBuilder sb = new StringBuilder().append(nets.latent);
      for (int h : nets.hidden) {
        sb.append('-').append(h);
      }
      arch = "MLP generator " + sb.append('-').append(nets.width());
    } else {
      arch = "DCGAN generator " + nets.latent + " -> " + 4 * nets.channels + "x4x4 -> "
          + 2 * nets.channels + "x8x8 -> " + nets.channels + "x16x16 -> 1x32x32";
    }
    out.add(arch + ", loss " + loss + ", latent dimension " + nets.latent
        + "; no likelihood (implicit model)");
    if (!Double.isNaN(spread) && out.size() < limit) {
      out.add(Spread.collapsed(spread)
          ? String.format(Locale.ROOT, "WARNING: the samples collapsed: their spread is %.3f"
              + " of the data's (below %.2f); %s", spread, Spread.COLLAPSED, Spread.ADVICE)
          : String.format(Locale.ROOT, "sample spread %.3f of the data's (no collapse)",
              spread));
    }
    int epochs = curve.critic().length;
    for (int e = Math.max(0, epochs - (limit - 1)); e < epochs && out.size() < limit; e++) {
      out.add(String.format(Locale.ROOT, "epoch %d: critic loss %.4f, generator loss %.4f"
          + " (%.1f s)", e + 1, curve.critic()[e], curve.generator()[e], curve.seconds()[e]));
    }
    return out;
  }
}
