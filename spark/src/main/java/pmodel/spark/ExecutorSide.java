package pmodel.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import pmodel.api.GenerativeModel;
import pmodel.runtime.ModelRegistry;
import pmodel.runtime.ModelFiles;

/**
 * What each JVM of a Spark application (driver or executor) finds once and keeps: the installed
 * models (ServiceLoader on the class path, i.e. the jar's built-in plugins and any on
 * {@code --jars}) and the models read from model files that tasks were sent.
 */
final class ExecutorSide {
  /** Models kept per JVM; a model file sent to a task is read once per executor. */
  private static final int MODELS_KEPT = 4;
  private static volatile ModelRegistry registry;
  private static final Map<String, GenerativeModel> MODELS = new LinkedHashMap<>(8, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, GenerativeModel> eldest) {
      return size() > MODELS_KEPT;
    }
  };

  private ExecutorSide() {
  }

  /** The models on this JVM's class path. */
  static ModelRegistry registry() {
    ModelRegistry r = registry;
    if (r == null) {
      synchronized (ExecutorSide.class) {
        r = registry;
        if (r == null) {
          r = ModelRegistry.discover();
          registry = r;
        }
      }
    }
    return r;
  }

  /**
   * The model in the bytes of a model file, read once per JVM (models are immutable and safe to
   * sample from several threads at once). A model file is read through a temporary file, since
   * model files are zip archives read with random access.
   */
  static GenerativeModel model(byte[] modelFile) {
    String key = sha256(modelFile);
    synchronized (MODELS) {
      GenerativeModel m = MODELS.get(key);
      if (m != null) {
        return m;
      }
    }
    GenerativeModel m;
    try {
      Path tmp = Files.createTempFile("pmodel-spark-", ".pm");
      try {
        Files.write(tmp, modelFile);
        m = ModelFiles.load(tmp, registry()).model();
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    synchronized (MODELS) {
      MODELS.put(key, m);
    }
    return m;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
