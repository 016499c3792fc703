package pmodel.api.spi;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.Parallel;

/**
 * What a fit receives besides data and hyperparameters: the seed of all its randomness, the
 * number of threads it may use, where to report progress, and a cancellation flag it polls.
 * The fitted model must depend only on the data, the parameters and the seed; for counting models
 * it is also the same on any number of threads.
 */
public record FitContext(long seed, int threads, ProgressListener progress,
    BooleanSupplier cancelled) {

  public FitContext {
    if (threads < 1) {
      throw PmodelException.badInput("--threads " + threads + " is out of range; expected >= 1");
    }
    if (progress == null) {
      progress = ProgressListener.NONE;
    }
    if (cancelled == null) {
      cancelled = () -> false;
    }
  }

  /** A context with this seed, every core, no progress and no cancellation. */
  public static FitContext of(long seed) {
    return new FitContext(seed, Parallel.defaultThreads(), null, null);
  }

  /** A context with this seed and thread count. */
  public static FitContext of(long seed, int threads) {
    return new FitContext(seed, threads, null, null);
  }

  /** Throws {@link CancellationException} when the fit has been cancelled. */
  public void checkCancelled() {
    if (cancelled.getAsBoolean()) {
      throw new CancellationException("fit cancelled");
    }
  }
}
