package pmodel.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import com.sun.management.OperatingSystemMXBean;

/**
 * The main benchmarks timed by the thread's CPU time instead of the wall clock: on a
 * machine shared with other work, a thread that waits for a core does not count, so these
 * figures stay close to what a quiet machine gives while JMH's wall-clock figures do not. They
 * are no substitute for JMH on a quiet machine (no forks, no statistics: the best of 7 rounds
 * after a warm-up, and caches are still shared). Two-thread runs are timed by the CPU of the whole
 * process instead, which tells whether splitting the work adds work. Run with
 * {@code java -Xms4g -Xmx4g -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar
 * pmodel.benchmarks.CpuProbe}.
 */
public final class CpuProbe {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  static volatile Object sink;

  private CpuProbe() {
  }

  public static void main(String[] args) {
    System.out.println("| benchmark | CPU ns per unit | wall ns per unit |");
    System.out.println("|---|---:|---:|");
    Threads one = new Threads();
    one.threads = 1;
    Threads two = new Threads();
    two.threads = 2;

    CountingBench counting = new CountingBench();
    CountingBench.Images images = new CountingBench.Images();
    images.setUp();
    time("naive Bayes counting, pmodel (cell)", CountingBench.NB_CELLS, 10,
        () -> counting.naiveBayes(images, one));
    time("naive Bayes counting, plain loop (cell)", CountingBench.NB_CELLS, 10,
        () -> counting.naiveBayesPlainLoop(images));
    timeProcess("naive Bayes counting, pmodel, 2 threads: CPU of all threads (cell)",
        CountingBench.NB_CELLS, 10, () -> counting.naiveBayes(images, two));
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
    timeProcess("naive Bayes sampling, pmodel, 2 threads: CPU of all threads (value)",
        NaiveBayesSamplingBench.VALUES, 3, () -> nb.pmodel(model, two));

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
    time(name, unitsPerCall, calls, fn, MX::getCurrentThreadCpuTime);
  }

  /**
   * As {@link #time}, with the CPU time of the whole process (every thread, including the JIT
   * and the garbage collector): for multi-threaded work, the total CPU it costs. Equal to the
   * one-thread figure means that splitting the work adds no work.
   */
  static void timeProcess(String name, long unitsPerCall, int calls, Supplier<Object> fn) {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean();
    time(name, unitsPerCall, calls, fn, os::getProcessCpuTime);
  }

  private static void time(String name, long unitsPerCall, int calls, Supplier<Object> fn,
      LongSupplier cpuClock) {
    for (int i = 0; i < calls; i++) {
      sink = fn.get();
    }
    double cpu = Double.MAX_VALUE;
    double wall = Double.MAX_VALUE;
    for (int round = 0; round < 7; round++) {
      long c0 = cpuClock.getAsLong();
      long w0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        sink = fn.get();
      }
      long c1 = cpuClock.getAsLong();
      long w1 = System.nanoTime();
      cpu = Math.min(cpu, (c1 - c0) / (double) calls / unitsPerCall);
      wall = Math.min(wall, (w1 - w0) / (double) calls / unitsPerCall);
    }
    System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f |%n", name, cpu, wall);
  }
}
