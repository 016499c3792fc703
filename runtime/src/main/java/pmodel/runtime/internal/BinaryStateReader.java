package pmodel.runtime.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Schema;
import pmodel.api.params.Parameters;
import pmodel.api.spi.StateReader;

/**
 * Reads what a {@link BinaryStateWriter} wrote. The whole layout is checked when the reader is
 * made (every length against the bytes that remain, names, type tags, no trailing bytes), so a
 * cut or damaged byte form fails there with one line; each value is then checked for its type and
 * expected length when asked for, before anything is allocated.
 */
public final class BinaryStateReader implements StateReader {
  /** The most entries a byte form may hold. */
  static final int MAX_ENTRIES = 10_000;

  private record Entry(byte type, int at, int count) {
  }

  private final ByteBuffer buf;
  private final Map<String, Entry> entries = new HashMap<>();
  private final Schema schema;
  private final Parameters hyperparameters;
  private final String source;
  private final String providerId;

  /**
   * Parses {@code bytes}; {@code source} names them in messages (e.g. "statistics of model
   * 'histogram' from Spark partition 3").
   */
  public BinaryStateReader(byte[] bytes, Schema schema, Parameters hyperparameters,
      String source) {
    this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    this.schema = schema;
    this.hyperparameters = hyperparameters;
    this.source = source;
    try {
      if (bytes.length < 8 || buf.getInt() != BinaryStateWriter.MAGIC) {
        throw corrupt("not pmodel statistics (no PMST header)");
      }
      int version = buf.getInt();
      if (version != BinaryStateWriter.VERSION) {
        throw corrupt("format version " + version + "; this pmodel reads version "
            + BinaryStateWriter.VERSION);
      }
      providerId = utf8("the provider id");
      int count = buf.getInt();
      if (count < 0 || count > MAX_ENTRIES) {
        throw corrupt("claims " + count + " values; expected 0.." + MAX_ENTRIES);
      }
      for (int i = 0; i < count; i++) {
        String name = utf8("a value name");
        if (!ZipStateWriter.NAME.matcher(name).matches()) {
          throw corrupt("value " + (i + 1) + " has an invalid name");
        }
        byte type = buf.get();
        Entry e = switch (type) {
          case BinaryStateWriter.INT64, BinaryStateWriter.FLOAT64 -> skip(type, 1, 8, name);
          case BinaryStateWriter.STRING, BinaryStateWriter.BYTES -> skip(type, buf.getInt(), 1,
              name);
          case BinaryStateWriter.INT32S, BinaryStateWriter.FLOAT32S -> skip(type, buf.getInt(),
              4, name);
          case BinaryStateWriter.INT64S, BinaryStateWriter.FLOAT64S -> skip(type, buf.getInt(),
              8, name);
          default -> throw corrupt("value '" + name + "' has unknown type " + type);
        };
        if (entries.put(name, e) != null) {
          throw corrupt("value '" + name + "' appears twice");
        }
      }
      if (buf.hasRemaining()) {
        throw corrupt(buf.remaining() + " bytes follow the last value");
      }
    } catch (BufferUnderflowException e) {
      throw corrupt("cut short (" + bytes.length + " bytes)");
    }
  }

  private Entry skip(byte type, int count, int size, String name) {
    if (count < 0 || (long) count * size > buf.remaining()) {
      throw corrupt("value '" + name + "' claims " + count + " elements of " + size
          + " bytes, more than the " + buf.remaining() + " bytes that remain");
    }
    Entry e = new Entry(type, buf.position(), count);
    buf.position(buf.position() + count * size);
    return e;
  }

  private String utf8(String what) {
    int n = buf.getInt();
    if (n < 0 || n > buf.remaining()) {
      throw corrupt(what + " claims " + n + " bytes, more than remain");
    }
    ByteBuffer slice = buf.slice();
    slice.limit(n);
    buf.position(buf.position() + n);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
    } catch (CharacterCodingException e) {
      throw corrupt(what + " is not valid UTF-8");
    }
  }

  /** The id of the provider that wrote these bytes. */
  public String providerId() {
    return providerId;
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
  public PmodelException corrupt(String what) {
    return PmodelException.badInput(source + ": " + what);
  }

  @Override
  public boolean has(String name) {
    return entries.containsKey(name);
  }

  private static String typeName(byte type) {
    return switch (type) {
      case BinaryStateWriter.INT64 -> "int64";
      case BinaryStateWriter.FLOAT64 -> "float64";
      case BinaryStateWriter.STRING -> "string";
      case BinaryStateWriter.INT32S -> "int32[]";
      case BinaryStateWriter.INT64S -> "int64[]";
      case BinaryStateWriter.FLOAT64S -> "float64[]";
      case BinaryStateWriter.FLOAT32S -> "float32[]";
      default -> "bytes";
    };
  }

  private Entry entry(String name, byte type) {
    Entry e = entries.get(name);
    if (e == null) {
      throw corrupt("value '" + name + "' is missing");
    }
    if (e.type != type) {
      throw corrupt("value '" + name + "' has type " + typeName(e.type) + "; expected "
          + typeName(type));
    }
    return e;
  }

  private ByteBuffer array(String name, byte type, int expectedLength) {
    Entry e = entry(name, type);
    if (e.count != expectedLength) {
      throw corrupt("value '" + name + "' has " + e.count + " elements; expected "
          + expectedLength);
    }
    return buf.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(e.at);
  }

  @Override
  public long getLong(String name) {
    return buf.getLong(entry(name, BinaryStateWriter.INT64).at);
  }

  @Override
  public double getDouble(String name) {
    return buf.getDouble(entry(name, BinaryStateWriter.FLOAT64).at);
  }

  @Override
  public String getString(String name) {
    Entry e = entry(name, BinaryStateWriter.STRING);
    ByteBuffer b = buf.duplicate().position(e.at);
    b.limit(e.at + e.count);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(b).toString();
    } catch (CharacterCodingException ex) {
      throw corrupt("value '" + name + "' is not valid UTF-8");
    }
  }

  @Override
  public long length(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      throw corrupt("value '" + name + "' is missing");
    }
    return e.count;
  }

  @Override
  public int[] getInts(String name, int expectedLength) {
    ByteBuffer b = array(name, BinaryStateWriter.INT32S, expectedLength);
    int[] out = new int[expectedLength];
    b.asIntBuffer().get(out);
    return out;
  }

  @Override
  public long[] getLongs(String name, int expectedLength) {
    ByteBuffer b = array(name, BinaryStateWriter.INT64S, expectedLength);
    long[] out = new long[expectedLength];
    b.asLongBuffer().get(out);
    return out;
  }

  @Override
  public double[] getDoubles(String name, int expectedLength) {
    ByteBuffer b = array(name, BinaryStateWriter.FLOAT64S, expectedLength);
    double[] out = new double[expectedLength];
    b.asDoubleBuffer().get(out);
    return out;
  }

  @Override
  public float[] getFloats(String name, int expectedLength) {
    ByteBuffer b = array(name, BinaryStateWriter.FLOAT32S, expectedLength);
    float[] out = new float[expectedLength];
    b.asFloatBuffer().get(out);
    return out;
  }

  @Override
  public byte[] getBytes(String name, long maxLength) {
    Entry e = entry(name, BinaryStateWriter.BYTES);
    if (e.count > maxLength) {
      throw corrupt("value '" + name + "' holds " + e.count + " bytes; at most " + maxLength
          + " expected");
    }
    byte[] out = new byte[e.count];
    buf.duplicate().position(e.at).get(out);
    return out;
  }
}
