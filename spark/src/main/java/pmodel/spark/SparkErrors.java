package pmodel.spark;

import pmodel.api.error.PmodelException;

/**
 * Errors that cross from Spark's executors to the driver: Spark wraps an executor's exception
 * (often twice: task failure, job abort) in messages of many lines; pmodel's own one-line
 * {@link PmodelException} is found in the cause chain and given back as it was.
 */
final class SparkErrors {
  private SparkErrors() {
  }

  /**
   * The {@link PmodelException} inside {@code e}; else {@code e} itself when it is unchecked, or
   * a failure (exit code 1) with the first line of Spark's message.
   */
  static RuntimeException unwrap(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PmodelException p) {
        return new PmodelException(p.exitCode(), p.getMessage(), e);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return e instanceof RuntimeException r ? r
        : PmodelException.failure("Spark failed: " + firstLine(e.getMessage()), e);
  }

  /** The first line of a message (Spark's messages carry stack traces and plans). */
  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int i = s.indexOf('\n');
    return (i < 0 ? s : s.substring(0, i)).strip();
  }
}
