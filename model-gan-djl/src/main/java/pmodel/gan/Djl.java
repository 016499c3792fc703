package pmodel.gan;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import pmodel.api.PmodelException;

/**
 * DJL's PyTorch engine, loaded on the first fit (never when the provider is constructed, nor to
 * load a model or sample from it: the generator runs in Java), offline: the native library comes
 * from the {@code pytorch-native-cpu} jar on the class path and nothing is downloaded. A failure
 * to load becomes one {@link PmodelException} that says what is missing.
 */
final class Djl {
  /** The artifacts the engine needs, for messages. */
  static final String NEEDS = "ai.djl.pytorch:pytorch-engine:0.36.0,"
      + " ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0 and ai.djl.pytorch:pytorch-native-cpu:2.7.1"
      + " (classifier linux-x86_64, on the class path) and org.slf4j:slf4j-api";

  private static volatile Engine engine;

  private Djl() {
  }

  /** The PyTorch engine, loading it on the first call. */
  static Engine engine() {
    Engine e = engine;
    if (e != null) {
      return e;
    }
    synchronized (Djl.class) {
      if (engine == null) {
        engine = load();
      }
      return engine;
    }
  }

  private static Engine load() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    try {
      return Engine.getEngine("PyTorch");
    } catch (RuntimeException | LinkageError e) {
      throw PmodelException.failure("the GAN's training engine (DJL with PyTorch) could not load: "
          + describe(e) + "; it needs " + NEEDS, e);
    }
  }

  private static String describe(Throwable e) {
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
  static NDManager newManager() {
    return engine().newBaseManager();
  }

  /**
   * Sets PyTorch's intra-op thread count (process-wide). Training is reproducible for a fixed
   * thread count.
   */
  static void threads(int threads) {
    engine();
    if (JniUtils.getNumThreads() != threads) {
      JniUtils.setNumThreads(threads);
    }
  }
}
