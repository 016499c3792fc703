package pmodel.api.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BinaryOperator;
import java.util.function.IntConsumer;

/**
 * Runs independent pieces of work on a bounded number of threads. Results never depend on the
 * number of threads: work is split into pieces whose boundaries depend only on the problem size,
 * and partial results are combined in piece order.
 */
public final class Parallel {
  private Parallel() {
  }

  /** The default thread count: the number of available processors. */
  public static int defaultThreads() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** Work on rows [from, to) that returns a partial result. */
  @FunctionalInterface
  public interface RangeTask<T> {
    T apply(int from, int to);
  }

  /**
   * Runs {@code task(i)} for every i in [0, tasks) on up to {@code threads} threads and returns
   * when all are done. The first exception thrown by a task is rethrown here.
   */
  public static void forEach(int tasks, int threads, IntConsumer task) {
    int workers = Math.max(1, Math.min(threads, tasks));
    if (workers == 1) {
      for (int i = 0; i < tasks; i++) {
        task.accept(i);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable worker = () -> {
      int i;
      while (failure.get() == null && (i = next.getAndIncrement()) < tasks) {
        try {
          task.accept(i);
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      }
    };
    List<Thread> started = new ArrayList<>(workers - 1);
    for (int w = 1; w < workers; w++) {
      Thread t = new Thread(worker, "pmodel-worker-" + w);
      t.setDaemon(true);
      t.start();
      started.add(t);
    }
    worker.run();
    boolean interrupted = false;
    for (Thread t : started) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    if (t != null) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * Splits rows [0, n) into contiguous parts (one per thread, each at least {@code minPart} rows
   * when possible), applies {@code task} to each part in parallel and combines the results in
   * part order with {@code combine}. With n = 0 the task runs once on the empty range.
   */
  public static <T> T reduce(int n, int threads, int minPart, RangeTask<T> task,
      BinaryOperator<T> combine) {
    int parts = (int) Math.max(1, Math.min(threads, (n + (long) minPart - 1) / Math.max(1, minPart)));
    List<T> results = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      results.add(null);
    }
    forEach(parts, threads, p -> {
      int from = (int) ((long) n * p / parts);
      int to = (int) ((long) n * (p + 1) / parts);
      T r = task.apply(from, to);
      synchronized (results) {
        results.set(p, r);
      }
    });
    T acc = results.get(0);
    for (int p = 1; p < parts; p++) {
      acc = combine.apply(acc, results.get(p));
    }
    return acc;
  }

  /**
   * Runs {@code task} over fixed blocks of {@code blockSize} rows of [0, n): block b covers
   * [b·blockSize, min(n, (b+1)·blockSize)). Block boundaries depend only on n, so per-block
   * random streams make results independent of the thread count.
   */
  public static void forEachBlock(int n, int blockSize, int threads, BlockTask task) {
    int blocks = (int) ((n + (long) blockSize - 1) / blockSize);
    forEach(blocks, threads, b -> {
      int from = b * blockSize;
      task.run(b, from, (int) Math.min(n, (long) from + blockSize));
    });
  }

  /** Work on one block of rows. */
  @FunctionalInterface
  public interface BlockTask {
    void run(int block, int from, int to);
  }
}
