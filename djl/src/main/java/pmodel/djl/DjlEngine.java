package pmodel.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import pmodel.api.error.PmodelException;

/**
 * DJL's PyTorch engine, loaded on first use (never when a provider is constructed), offline:
 * the native library comes from the {@code pytorch-native-cpu} jar on the class path and nothing
 * is downloaded. A failure to load becomes one {@link PmodelException} that says what to add.
 */
public final class DjlEngine {
  /** The artifacts the engine needs, for messages. */
  public static final String NEEDS = "ai.djl.pytorch:pytorch-engine:0.36.0,"
      + " ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0 and ai.djl.pytorch:pytorch-native-cpu:2.7.1"
      + " (classifier linux-x86_64, on the class path) and org.slf4j:slf4j-api";

  private static volatile Engine engine;

  private DjlEngine() {
  }

  /** The PyTorch engine, loading it on the first call. */
  public static Engine engine() {
    Engine e = engine;
    if (e != null) {
      return e;
    }
    synchronized (DjlEngine.class) {
      if (engine == null) {
        engine = load();
      }
      return engine;
    }
  }

  private static Engine load() {
    // Offline: never download an engine or an index at run time.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    try {
      return Engine.getEngine("PyTorch");
    } catch (RuntimeException | LinkageError e) {
      throw PmodelException.failure("the neural models' engine (DJL with PyTorch) could not load: "
          + describe(e) + "; it needs " + NEEDS, e);
    }
  }

  /** One line from a failure's chain of causes, naming a missing native library plainly. */
  static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && sb.length() < 300; t = t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (m.contains("pytorch index file") || m.contains("Failed to download")) {
        return "its native library is missing (offline, nothing may be downloaded)";
      }
      sb.append(sb.length() == 0 ? "" : ": ").append(m.replace('\n', ' ').replace('\r', ' '));
      if (t.getCause() == t) {
        break;
      }
    }
    return sb.toString();
  }

  /** A new root manager of the engine. */
  public static NDManager newManager() {
    return engine().newBaseManager();
  }

  /**
   * Sets PyTorch's intra-op thread count (process-wide). Training is reproducible for a fixed
   * thread count; PyTorch's reductions may sum in another order on another count.
   */
  public static void threads(int threads) {
    engine();
    if (JniUtils.getNumThreads() != threads) {
      JniUtils.setNumThreads(threads);
    }
  }

  /** PyTorch's current intra-op thread count. */
  public static int threads() {
    engine();
    return JniUtils.getNumThreads();
  }

  /**
   * A scalar held for the life of {@code manager}. Differentiated code must use these instead
   * of {@code x.mul(0.5f)}: DJL frees the temporary scalar of a Number operand at once, while
   * autograd still needs it for the backward pass, so a garbage collection between forward and
   * backward silently corrupts the gradients (see docs/internals.md, "DJL's freed scalars").
   */
  public static NDArray scalar(NDManager manager, float value) {
    return manager.create(value);
  }
}
