package pmodel.api.spi;

/** Receives progress reports from a fit; called on the fitting thread. */
@FunctionalInterface
public interface ProgressListener {
  /** A listener that ignores every report. */
  ProgressListener NONE = p -> { };

  void onProgress(Progress progress);
}
