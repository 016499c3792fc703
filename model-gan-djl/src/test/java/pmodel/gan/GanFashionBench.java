package pmodel.gan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import pmodel.api.GenerativeModel;
import pmodel.data.builtin.FashionMnist;
import pmodel.api.compute.Parallel;
import pmodel.api.data.Dataset;
import pmodel.eval.Harness;
import pmodel.eval.ImageQuality;
import pmodel.eval.ModelResult;
import pmodel.runtime.ModelFiles;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;

/**
 * The Fashion-MNIST benchmark of the GAN (not a unit test: it trains for minutes). Run by
 * {@code model-gan-djl/bench/run.sh OUT_DIR [name=value ...]}: fits the DCGAN pair on the 60,000
 * training images, printing each epoch's losses and time, writes the model file to OUT_DIR, and
 * prints the evaluation harness's image metrics ({@link Harness#measure}) of 1,000 samples: the
 * mean RMS distance to the nearest training image beside that of 1,000 held-out test images,
 * the per-pixel mean and variance errors, the copy fraction. The script then draws the sample
 * grid and the interpolation picture with {@code ./pmodel sample} and {@code ./pmodel
 * interpolate}.
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
    GenerativeModel model = provider.fit(train, params, new FitContext(1, threads,
        p -> System.out.printf(Locale.ROOT, "epoch %d/%d %s%n", p.step(), p.steps(),
        p.metrics()), null));
    double fitSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "fit: %.1f s%n", fitSeconds);
    ModelFiles.save(out.resolve("gan-fashion.pm"), model, provider, null);
    // the sampling threads are the machine's: sampling runs in Java, not on PyTorch
    int cores = Parallel.defaultThreads();
    long s0 = System.nanoTime();
    model.sample(1000, 7, cores);
    System.out.printf(Locale.ROOT, "sampling 1000 images: %.2f s on %d threads%n",
        (System.nanoTime() - s0) / 1e9, cores);
    long m0 = System.nanoTime();
    ModelResult r = Harness.measure(model, fitSeconds, train, test,
        new Harness.Settings(7, 1000, cores, 0, 20, null));
    ImageQuality q = r.images();
    System.out.printf(Locale.ROOT, "harness image metrics (%.1f s): nearest training image"
        + " (RMS, pixels on [0, 1]) %.4f for 1000 samples, %.4f for 1000 held-out test images;"
        + " pixel mean error %.4f, pixel variance error %.4f, copies %.4f; likelihood: %s%n",
        (System.nanoTime() - m0) / 1e9, q.nearestTrainingDistance(),
        q.heldOutNearestTrainingDistance(), q.pixelMeanError(), q.pixelVarianceError(),
        q.copyFraction(), r.kind());
  }
}
