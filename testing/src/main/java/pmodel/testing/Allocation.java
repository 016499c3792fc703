package pmodel.testing;

/**
 * Measures the heap a piece of work allocates on the calling thread, so that a test can state a
 * bound ("reading this 3 KB file allocates less than 64 MB") that fails when a reader trusts a
 * declared size and allocates gigabytes, whatever heap the test JVM happens to have.
 */
public final class Allocation {
  private Allocation() {
  }

  /** Work that may throw. */
  @FunctionalInterface
  public interface Work {
    void run() throws Exception;
  }

  /**
   * Runs {@code work} on this thread and returns the bytes it allocated (an exception it throws
   * is swallowed: the tests that use this check the outcome separately). An OutOfMemoryError is
   * reported as {@code Long.MAX_VALUE}.
   */
  public static long bytes(Work work) {
    long before = allocated();
    try {
      work.run();
    } catch (OutOfMemoryError e) {
      return Long.MAX_VALUE;
    } catch (Exception e) {
      // the caller checks the outcome itself
    }
    return allocated() - before;
  }

  /**
   * This thread's allocated bytes from {@code com.sun.management.ThreadMXBean}, called
   * reflectively: the api module does not (and should not) read jdk.management, and reflection
   * assumes readability.
   */
  private static long allocated() {
    try {
      Object mx = Class.forName("java.lang.management.ManagementFactory")
          .getMethod("getThreadMXBean").invoke(null);
      return (Long) Class.forName("com.sun.management.ThreadMXBean")
          .getMethod("getThreadAllocatedBytes", long.class)
          .invoke(mx, Thread.currentThread().getId());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot measure allocation: " + e, e);
    }
  }
}
