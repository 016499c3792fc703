package pmodel.djl;

import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.RandomStreams;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.Progress;

/**
 * The pieces of an epoch-based training loop that every DJL plugin shares: the row order of
 * each epoch and the noise stream of each epoch (both from the fit's seed, so the same seed
 * gives the same fit for the same thread count), the divergence check, and the per-epoch
 * progress event that the CLI prints.
 */
public final class Epochs {
  /** The stream id of the row shuffles (one stream per epoch). */
  public static final long SHUFFLE_STREAM = 0x5f1eL;
  /** The stream id of the training noise (one stream per epoch). */
  public static final long NOISE_STREAM = 0x0e95L;

  private Epochs() {
  }

  /** 0, 1, …, n − 1. */
  public static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  /** Shuffles {@code order} in place for {@code epoch} (Fisher–Yates from the fit's seed). */
  public static void shuffle(int[] order, long seed, int epoch) {
    shuffle(order, RandomStreams.create(seed, SHUFFLE_STREAM, epoch));
  }

  /** Fisher–Yates with {@code rng}. */
  public static void shuffle(int[] a, UniformRandomProvider rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** The noise stream of {@code epoch}. */
  public static UniformRandomProvider noise(long seed, int epoch) {
    return RandomStreams.create(seed, NOISE_STREAM, epoch);
  }

  /**
   * Fails the fit when an epoch's loss is not finite: a diverged fit writes no model file.
   * {@code model} names the model ("the flow"), {@code advice} says what usually helps.
   */
  public static void requireFinite(String model, int epoch, double loss, String advice) {
    if (!Double.isFinite(loss)) {
      throw PmodelException.failure(model + "'s training diverged in epoch " + (epoch + 1)
          + " (the loss is " + loss + "); " + advice, null);
    }
  }

  /** Reports the end of {@code epoch} (0-based) of {@code epochs} with its metrics. */
  public static void report(FitContext ctx, int epoch, int epochs, Map<String, Double> metrics) {
    ctx.progress().onProgress(new Progress("epoch", epoch + 1, epochs, metrics));
  }
}
