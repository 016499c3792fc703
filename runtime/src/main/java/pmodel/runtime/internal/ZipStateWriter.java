package pmodel.runtime.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import pmodel.api.spi.StateWriter;

/**
 * Collects a model's state: scalars and small arrays inline in the "parameters" object of
 * model.json, arrays above {@link #INLINE_LIMIT} elements (and all byte values) as little-endian
 * blobs {@code blobs/NAME.bin} with their length and SHA-256 recorded in the JSON.
 */
public final class ZipStateWriter implements StateWriter {
  /** Arrays with more elements than this become blobs. */
  public static final int INLINE_LIMIT = 64;
  static final Pattern NAME = Pattern.compile("[a-z0-9_.-]{1,64}");

  private final ObjectNode parameters = Json.MAPPER.createObjectNode();
  private final Map<String, byte[]> blobs = new LinkedHashMap<>();

  public ObjectNode parameters() {
    return parameters;
  }

  public Map<String, byte[]> blobs() {
    return blobs;
  }

  private ObjectNode entry(String name, String type) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("state name '" + name + "' must match [a-z0-9_.-]{1,64}");
    }
    if (parameters.has(name)) {
      throw new IllegalArgumentException("state name '" + name + "' written twice");
    }
    ObjectNode n = parameters.putObject(name);
    n.put("type", type);
    return n;
  }

  @Override
  public void putLong(String name, long value) {
    entry(name, "int64").put("value", value);
  }

  @Override
  public void putDouble(String name, double value) {
    ObjectNode n = entry(name, "float64");
    if (Double.isFinite(value)) {
      n.put("value", value);
    } else {
      n.put("value", Double.toString(value));
    }
  }

  @Override
  public void putString(String name, String value) {
    entry(name, "string").put("value", value);
  }

  @Override
  public void putInts(String name, int[] values) {
    ObjectNode n = entry(name, "int32[]");
    n.put("length", values.length);
    if (values.length <= INLINE_LIMIT) {
      ArrayNode a = n.putArray("values");
      for (int v : values) {
        a.add(v);
      }
    } else {
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asIntBuffer().put(values);
      blob(n, name, b.array());
    }
  }

  @Override
  public void putLongs(String name, long[] values) {
    ObjectNode n = entry(name, "int64[]");
    n.put("length", values.length);
    if (values.length <= INLINE_LIMIT) {
      ArrayNode a = n.putArray("values");
      for (long v : values) {
        a.add(v);
      }
    } else {
      ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 8))
          .order(ByteOrder.LITTLE_ENDIAN);
      b.asLongBuffer().put(values);
      blob(n, name, b.array());
    }
  }

  @Override
  public void putDoubles(String name, double[] values) {
    ObjectNode n = entry(name, "float64[]");
    n.put("length", values.length);
    boolean finite = true;
    for (double v : values) {
      finite &= Double.isFinite(v);
    }
    if (values.length <= INLINE_LIMIT && finite) {
      ArrayNode a = n.putArray("values");
      for (double v : values) {
        a.add(v);
      }
    } else {
      ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 8))
          .order(ByteOrder.LITTLE_ENDIAN);
      b.asDoubleBuffer().put(values);
      blob(n, name, b.array());
    }
  }

  @Override
  public void putFloats(String name, float[] values) {
    ObjectNode n = entry(name, "float32[]");
    n.put("length", values.length);
    ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 4))
        .order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    blob(n, name, b.array());
  }

  @Override
  public void putBytes(String name, byte[] values) {
    ObjectNode n = entry(name, "bytes");
    n.put("length", values.length);
    blob(n, name, values.clone());
  }

  private void blob(ObjectNode n, String name, byte[] bytes) {
    String path = "blobs/" + name + ".bin";
    n.put("blob", path);
    n.put("sha256", sha256(bytes));
    blobs.put(path, bytes);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
