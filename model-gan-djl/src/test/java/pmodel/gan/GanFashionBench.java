package pmodel.gan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import pmodel.api.LatentDecoder;
import pmodel.api.builtin.FashionMnist;
import pmodel.api.compute.Parallel;
import pmodel.api.data.Dataset;
import pmodel.api.io.ModelFiles;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.Parameters;

/**
 * The Fashion-MNIST benchmark of the GAN (not a unit test: it trains for minutes). Run by
 * {@code model-gan-djl/bench/run.sh OUT_DIR [name=value ...]}: fits the DCGAN pair on the 60,000
 * training images, printing each epoch's losses and time, writes the model file to OUT_DIR, and
 * prints the nearest-training-image distances of 1,000 samples beside those of 1,000 held-out
 * test images. The script then draws the sample grid and the interpolation picture with
 * {@code ./pmodel sample} and {@code ./pmodel interpolate}.
 */
public final class GanFashionBench {
  private GanFashionBench() {
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    Map<String, String> set = new LinkedHashMap<>();
    set.put("epochs", "3");
    set.put("channels", "16");
    for (int i = 1; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      set.put(kv[0], kv[1]);
    }
    int threads = Integer.getInteger("threads", Parallel.defaultThreads());
    GanProvider provider = new GanProvider();
    Parameters params = Parameters.parse("gan", provider.parameters(), set);
    Dataset train = FashionMnist.read(FashionMnist.Split.TRAIN, null);
    Dataset test = FashionMnist.read(FashionMnist.Split.TEST, null);
    System.out.println("parameters " + params + ", threads " + threads);
    long t0 = System.nanoTime();
    LatentDecoder model = (LatentDecoder) provider.fit(train, params, new FitContext(1,
        threads, p -> System.out.printf(Locale.ROOT, "epoch %d/%d %s%n", p.step(), p.steps(),
        p.metrics()), null));
    System.out.printf(Locale.ROOT, "fit: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    ModelFiles.save(out.resolve("gan-fashion.pm"), model, provider, null);
    long s0 = System.nanoTime();
    Dataset samples = model.sample(1000, 7, threads);
    System.out.printf(Locale.ROOT, "sampling 1000 images: %.2f s%n",
        (System.nanoTime() - s0) / 1e9);
    double[] fake = NearestImage.distances(samples, train, threads);
    double[] real = NearestImage.distances(test.slice(0, 1000), train, threads);
    System.out.println("nearest-training-image L2 distance (pixels scaled to [0, 1]):");
    System.out.println("  1000 samples:            " + NearestImage.summary(fake));
    System.out.println("  1000 held-out test images: " + NearestImage.summary(real));
  }

  /** Nearest-neighbour distances on primitive arrays (the evaluation harness has not landed). */
  static final class NearestImage {
    private NearestImage() {
    }

    /**
     * For each query image, the Euclidean distance to the nearest image of {@code reference},
     * with pixels scaled to [0, 1]: a model that copies its training images has samples at
     * distance near 0, while new images lie about as far from the training set as held-out
     * images do.
     */
    static double[] distances(Dataset queries, Dataset reference, int threads) {
      float[][] q = pixels(queries);
      float[][] r = pixels(reference);
      double[] out = new double[q.length];
      Parallel.forEachBlock(q.length, 16, threads, (block, from, to) -> {
        for (int i = from; i < to; i++) {
          float[] a = q[i];
          float best = Float.MAX_VALUE;
          for (float[] b : r) {
            float s = 0;
            for (int p = 0; p < a.length && s < best; p++) {
              float d = a[p] - b[p];
              s += d * d;
            }
            best = Math.min(best, s);
          }
          out[i] = Math.sqrt(best);
        }
      });
      return out;
    }

    private static float[][] pixels(Dataset d) {
      int k = d.schema().discrete(0).cardinality() - 1;
      float[][] out = new float[d.rows()][d.schema().size()];
      for (int f = 0; f < d.schema().size(); f++) {
        byte[] col = d.bytes(f);
        for (int i = 0; i < d.rows(); i++) {
          out[i][f] = (col[i] & 0xff) / (float) k;
        }
      }
      return out;
    }

    static String summary(double[] v) {
      double[] s = v.clone();
      Arrays.sort(s);
      double mean = Arrays.stream(s).average().orElse(Double.NaN);
      return String.format(Locale.ROOT, "mean %.3f, min %.3f, 5%% %.3f, median %.3f",
          mean, s[0], s[s.length / 20], s[s.length / 2]);
    }
  }
}
