package pmodel.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Schema;
import pmodel.api.params.Parameters;
import pmodel.api.spi.StateReader;

/**
 * Reads the "parameters" of a model file, checking every value's type and length against what
 * the provider expects before allocating, and every blob's size and SHA-256.
 */
public final class ZipStateReader implements StateReader {
  private final ZipFile zip;
  private final JsonNode parameters;
  private final Schema schema;
  private final Parameters hyperparameters;
  private final String source;

  public ZipStateReader(ZipFile zip, JsonNode parameters, Schema schema,
      Parameters hyperparameters, String source) {
    this.zip = zip;
    this.parameters = parameters;
    this.schema = schema;
    this.hyperparameters = hyperparameters;
    this.source = source;
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public Parameters hyperparameters() {
    return hyperparameters;
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public boolean has(String name) {
    return parameters.has(name);
  }

  private JsonNode entry(String name, String type) {
    JsonNode n = parameters.get(name);
    if (n == null) {
      throw corrupt("parameter '" + name + "' is missing");
    }
    if (!n.isObject() || !type.equals(n.path("type").asText())) {
      throw corrupt("parameter '" + name + "' has type '" + n.path("type").asText()
          + "'; expected " + type);
    }
    return n;
  }

  @Override
  public long getLong(String name) {
    JsonNode v = entry(name, "int64").get("value");
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw corrupt("parameter '" + name + "' is not a 64-bit integer");
    }
    return v.asLong();
  }

  @Override
  public double getDouble(String name) {
    JsonNode v = entry(name, "float64").get("value");
    if (v != null && v.isNumber()) {
      // the writer spells non-finite values as strings; a literal that overflows is forged
      if (!Double.isFinite(v.asDouble())) {
        throw corrupt("parameter '" + name + "' is " + v.asText() + ", beyond the range of a"
            + " double");
      }
      return v.asDouble();
    }
    if (v != null && v.isTextual()) {
      switch (v.asText()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw corrupt("parameter '" + name + "' is not a number");
  }

  @Override
  public String getString(String name) {
    JsonNode v = entry(name, "string").get("value");
    if (v == null || !v.isTextual()) {
      throw corrupt("parameter '" + name + "' is not a string");
    }
    return v.asText();
  }

  @Override
  public long length(String name) {
    JsonNode n = parameters.get(name);
    if (n == null) {
      throw corrupt("parameter '" + name + "' is missing");
    }
    JsonNode len = n.get("length");
    if (len == null || !len.isIntegralNumber() || !len.canConvertToLong() || len.asLong() < 0) {
      throw corrupt("parameter '" + name + "' has no valid length");
    }
    return len.asLong();
  }

  private JsonNode array(String name, String type, long expectedLength) {
    JsonNode n = entry(name, type);
    long len = length(name);
    if (len != expectedLength) {
      throw corrupt("parameter '" + name + "' has " + len + " values; expected "
          + expectedLength);
    }
    return n;
  }

  private ByteBuffer blob(JsonNode n, String name, long bytes) {
    JsonNode path = n.get("blob");
    if (path == null || !path.isTextual() || !path.asText().equals("blobs/" + name + ".bin")) {
      throw corrupt("parameter '" + name + "' names no valid blob");
    }
    if (bytes > Integer.MAX_VALUE - 16) {
      throw corrupt("blob '" + path.asText() + "' claims " + bytes + " bytes; the limit is 2 GB");
    }
    ZipEntry e = zip.getEntry(path.asText());
    if (e == null) {
      throw corrupt("blob '" + path.asText() + "' is missing");
    }
    if (e.getSize() >= 0 && e.getSize() != bytes) {
      throw corrupt("blob '" + path.asText() + "' holds " + e.getSize() + " bytes; expected "
          + bytes);
    }
    byte[] data;
    try (InputStream in = zip.getInputStream(e)) {
      data = in.readNBytes((int) bytes);
      if (data.length != bytes || in.read() != -1) {
        throw corrupt("blob '" + path.asText() + "' does not hold exactly " + bytes + " bytes");
      }
    } catch (IOException ex) {
      throw PmodelException.badInput("model file " + source + ": blob '" + path.asText()
          + "' cannot be read (" + ex.getMessage() + ")", ex);
    }
    String sha = n.path("sha256").asText();
    if (!sha.equals(ZipStateWriter.sha256(data))) {
      throw corrupt("blob '" + path.asText() + "' is corrupt (SHA-256 does not match)");
    }
    return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
  }

  private JsonNode inline(JsonNode n, String name, int length) {
    JsonNode values = n.get("values");
    if (values == null || !values.isArray() || values.size() != length) {
      throw corrupt("parameter '" + name + "' does not hold " + length + " values");
    }
    return values;
  }

  @Override
  public int[] getInts(String name, int expectedLength) {
    JsonNode n = array(name, "int32[]", expectedLength);
    // the blob or the inline values are checked against the declared length before the array
    // is allocated, so a forged length costs nothing
    if (n.has("blob")) {
      ByteBuffer b = blob(n, name, 4L * expectedLength);
      int[] out = new int[expectedLength];
      b.asIntBuffer().get(out);
      return out;
    }
    JsonNode values = inline(n, name, expectedLength);
    int[] out = new int[expectedLength];
    for (int i = 0; i < expectedLength; i++) {
      JsonNode v = values.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw corrupt("parameter '" + name + "' value " + (i + 1) + " is not a 32-bit integer");
      }
      out[i] = v.asInt();
    }
    return out;
  }

  @Override
  public long[] getLongs(String name, int expectedLength) {
    JsonNode n = array(name, "int64[]", expectedLength);
    // the blob or the inline values are checked against the declared length before the array
    // is allocated, so a forged length costs nothing
    if (n.has("blob")) {
      ByteBuffer b = blob(n, name, 8L * expectedLength);
      long[] out = new long[expectedLength];
      b.asLongBuffer().get(out);
      return out;
    }
    JsonNode values = inline(n, name, expectedLength);
    long[] out = new long[expectedLength];
    for (int i = 0; i < expectedLength; i++) {
      JsonNode v = values.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw corrupt("parameter '" + name + "' value " + (i + 1) + " is not a 64-bit integer");
      }
      out[i] = v.asLong();
    }
    return out;
  }

  @Override
  public double[] getDoubles(String name, int expectedLength) {
    JsonNode n = array(name, "float64[]", expectedLength);
    // the blob or the inline values are checked against the declared length before the array
    // is allocated, so a forged length costs nothing
    if (n.has("blob")) {
      ByteBuffer b = blob(n, name, 8L * expectedLength);
      double[] out = new double[expectedLength];
      b.asDoubleBuffer().get(out);
      return out;
    }
    JsonNode values = inline(n, name, expectedLength);
    double[] out = new double[expectedLength];
    for (int i = 0; i < expectedLength; i++) {
      JsonNode v = values.get(i);
      // the writer puts non-finite arrays in blobs, so an inline literal such as 1e999 (which
      // Jackson reads as infinity) is forged
      if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
        throw corrupt("parameter '" + name + "' value " + (i + 1) + " is not a finite number");
      }
      out[i] = v.asDouble();
    }
    return out;
  }

  @Override
  public float[] getFloats(String name, int expectedLength) {
    JsonNode n = array(name, "float32[]", expectedLength);
    ByteBuffer b = blob(n, name, 4L * expectedLength);
    float[] out = new float[expectedLength];
    b.asFloatBuffer().get(out);
    return out;
  }

  @Override
  public byte[] getBytes(String name, long maxLength) {
    JsonNode n = entry(name, "bytes");
    long len = length(name);
    if (len > maxLength) {
      throw corrupt("parameter '" + name + "' claims " + len + " bytes; at most " + maxLength
          + " expected");
    }
    ByteBuffer b = blob(n, name, len);
    return b.array();
  }
}
