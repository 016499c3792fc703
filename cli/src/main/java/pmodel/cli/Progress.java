package pmodel.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import pmodel.api.spi.ProgressListener;

/**
 * Prints fit progress on stderr: a bar redrawn in place on a terminal, plain lines otherwise (logs,
 * pipes, CI).
 */
final class Progress implements ProgressListener {
  private final PrintWriter err;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private boolean barShown;
  private long lastLine;
  private String lastStage;

  Progress(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  static Progress forConsole(PrintWriter err) {
    return new Progress(err, System.console() != null && System.getenv("TERM") != null
        && !"dumb".equals(System.getenv("TERM")));
  }

  @Override
  public void onProgress(pmodel.api.spi.Progress p) {
    StringBuilder metrics = new StringBuilder();
    for (Map.Entry<String, Double> m : new TreeMap<>(p.metrics()).entrySet()) {
      metrics.append(' ').append(m.getKey()).append('=').append(String.format("%.4g",
          m.getValue()));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (p.step() >= p.steps() && seconds < 1 && !barShown) {
      return; // a quick one-step stage (counting) is not worth a line
    }
    if (terminal) {
      int width = 30;
      int filled = p.steps() > 0 ? (int) (width * p.step() / p.steps()) : width;
      err.printf("\r%s [%s%s] %d/%d%s %.1fs", p.stage(), "#".repeat(filled),
          " ".repeat(width - filled), p.step(), p.steps(), metrics, seconds);
      barShown = true;
      if (p.step() >= p.steps()) {
        err.println();
        barShown = false;
      }
    } else {
      // plain lines: on a stage change, at the end of a stage, and at most every 2 s otherwise
      long now = System.nanoTime();
      boolean last = p.step() >= p.steps();
      if (last || !p.stage().equals(lastStage) || now - lastLine >= 2_000_000_000L) {
        err.printf("%s %d/%d%s (%.1f s)%n", p.stage(), p.step(), p.steps(), metrics, seconds);
        lastLine = now;
        lastStage = p.stage();
      }
    }
    err.flush();
  }

  /** Ends a bar that was left open. */
  void finish() {
    if (barShown) {
      err.println();
      err.flush();
    }
  }
}
