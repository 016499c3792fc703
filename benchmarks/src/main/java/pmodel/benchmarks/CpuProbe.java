package pmodel.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The single-threaded benchmarks timed by the thread's CPU time instead of the wall clock: on a
 * machine shared with other work, a thread that waits for a core does not count, so these
 * figures stay close to what a quiet machine gives while JMH's wall-clock figures do not. They
 * are no substitute for JMH on a quiet machine (no forks, no statistics: the best of 7 rounds
 * after a warm-up, and caches are still shared). Run with
 * {@code java -Xms4g -Xmx4g -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar
 * pmodel.benchmarks.CpuProbe}.
 */
public final class CpuProbe {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  static volatile Object sink;

  private CpuProbe() {
  }

  public static void main(String[] args) {
    System.out.println("Data: " + BenchData.describe());
    System.out.println("| benchmark (1 thread) | CPU ns per unit | wall ns per unit |");
    System.out.println("|---|---:|---:|");
    Threads one = new Threads();
    one.threads = 1;

    CountingBench counting = new CountingBench();
    CountingBench.Images images = new CountingBench.Images();
    images.setUp();
    time("naive Bayes counting, pmodel (cell)", CountingBench.NB_CELLS, 10,
        () -> counting.naiveBayes(images, one));
    time("naive Bayes counting, plain loop (cell)", CountingBench.NB_CELLS, 10,
        () -> counting.naiveBayesPlainLoop(images));
    CountingBench.Outfits outfits = new CountingBench.Outfits();
    outfits.setUp();
    time("histogram counting, pmodel (row)", CountingBench.HIST_ROWS, 3,
        () -> counting.histogram(outfits, one));
    time("histogram counting, plain loop (row)", CountingBench.HIST_ROWS, 3,
        () -> counting.histogramPlainLoop(outfits));

    NaiveBayesSamplingBench nb = new NaiveBayesSamplingBench();
    NaiveBayesSamplingBench.Model model = new NaiveBayesSamplingBench.Model();
    model.setUp();
    time("naive Bayes sampling, pmodel (value)", NaiveBayesSamplingBench.VALUES, 3,
        () -> nb.pmodel(model, one));
    time("naive Bayes sampling, Commons alias (value)", NaiveBayesSamplingBench.VALUES, 3,
        () -> nb.commonsAlias(model));

    HistogramSamplingBench hist = new HistogramSamplingBench();
    HistogramSamplingBench.Dense dense = new HistogramSamplingBench.Dense();
    dense.setUp();
    time("histogram sampling, pmodel (row)", HistogramSamplingBench.ROWS, 2,
        () -> hist.pmodel(dense, one));
    time("histogram sampling, Commons alias (row)", HistogramSamplingBench.ROWS, 2,
        () -> hist.commonsAlias(dense));

    ScoringBench scoring = new ScoringBench();
    ScoringBench.Model scored = new ScoringBench.Model();
    scored.setUp();
    time("scoring, pmodel (value)", ScoringBench.VALUES, 30, () -> scoring.pmodel(scored, one));
    time("scoring, plain loop by feature (value)", ScoringBench.VALUES, 30,
        () -> scoring.plainLoopByFeature(scored));
  }

  /** Runs {@code fn} {@code calls} times to warm up, then 7 rounds; prints the best round. */
  static void time(String name, long unitsPerCall, int calls, Supplier<Object> fn) {
    for (int i = 0; i < calls; i++) {
      sink = fn.get();
    }
    double cpu = Double.MAX_VALUE;
    double wall = Double.MAX_VALUE;
    for (int round = 0; round < 7; round++) {
      long c0 = MX.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        sink = fn.get();
      }
      long c1 = MX.getCurrentThreadCpuTime();
      long w1 = System.nanoTime();
      cpu = Math.min(cpu, (c1 - c0) / (double) calls / unitsPerCall);
      wall = Math.min(wall, (w1 - w0) / (double) calls / unitsPerCall);
    }
    System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f |%n", name, cpu, wall);
  }
}
