package pmodel.runtime.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import pmodel.api.spi.StateWriter;

/**
 * Writes typed named values into one compact little-endian byte array, the form in which
 * counting statistics travel between processes (see {@link pmodel.runtime.StatisticsBytes}).
 *
 * <p>Layout: the magic {@code PMST}, an int32 format version, the provider id (int32 byte length
 * and UTF-8), an int32 entry count, then per entry its name (int32 byte length and UTF-8), a type
 * tag byte and its payload: 8 bytes for int64 and float64; int32 byte length and UTF-8 for a
 * string; int32 element count and the elements for arrays and bytes. Nothing names a class.
 */
public final class BinaryStateWriter implements StateWriter {
  static final int MAGIC = 0x54534D50; // "PMST" read little-endian
  static final int VERSION = 1;
  static final byte INT64 = 1;
  static final byte FLOAT64 = 2;
  static final byte STRING = 3;
  static final byte INT32S = 4;
  static final byte INT64S = 5;
  static final byte FLOAT64S = 6;
  static final byte FLOAT32S = 7;
  static final byte BYTES = 8;

  private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
  private final Set<String> names = new HashSet<>();
  private final int countAt;
  private int count;

  /** A writer whose bytes name the provider that wrote them. */
  public BinaryStateWriter(String providerId) {
    buf.putInt(MAGIC).putInt(VERSION);
    putUtf8(providerId);
    countAt = buf.position();
    buf.putInt(0);
  }

  /** The bytes written so far, as one array. */
  public byte[] toBytes() {
    buf.putInt(countAt, count);
    return java.util.Arrays.copyOf(buf.array(), buf.position());
  }

  private void ensure(long more) {
    long need = (long) buf.position() + more;
    if (need > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("statistics larger than 2 GB cannot be written");
    }
    if (need > buf.capacity()) {
      long cap = Math.max(need, Math.min(Integer.MAX_VALUE - 16L, 2L * buf.capacity()));
      ByteBuffer b = ByteBuffer.allocate((int) cap).order(ByteOrder.LITTLE_ENDIAN);
      buf.flip();
      b.put(buf);
      buf = b;
    }
  }

  private void putUtf8(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    ensure(4L + b.length);
    buf.putInt(b.length).put(b);
  }

  private void entry(String name, byte type, long payload) {
    if (!ZipStateWriter.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("state name '" + name + "' must match [a-z0-9_.-]{1,64}");
    }
    if (!names.add(name)) {
      throw new IllegalArgumentException("state name '" + name + "' written twice");
    }
    putUtf8(name);
    ensure(1 + payload);
    buf.put(type);
    count++;
  }

  @Override
  public void putLong(String name, long value) {
    entry(name, INT64, 8);
    buf.putLong(value);
  }

  @Override
  public void putDouble(String name, double value) {
    entry(name, FLOAT64, 8);
    buf.putDouble(value);
  }

  @Override
  public void putString(String name, String value) {
    entry(name, STRING, 0);
    putUtf8(value);
  }

  @Override
  public void putInts(String name, int[] values) {
    entry(name, INT32S, 4 + 4L * values.length);
    buf.putInt(values.length);
    buf.asIntBuffer().put(values);
    buf.position(buf.position() + 4 * values.length);
  }

  @Override
  public void putLongs(String name, long[] values) {
    entry(name, INT64S, 4 + 8L * values.length);
    buf.putInt(values.length);
    buf.asLongBuffer().put(values);
    buf.position(buf.position() + 8 * values.length);
  }

  @Override
  public void putDoubles(String name, double[] values) {
    entry(name, FLOAT64S, 4 + 8L * values.length);
    buf.putInt(values.length);
    buf.asDoubleBuffer().put(values);
    buf.position(buf.position() + 8 * values.length);
  }

  @Override
  public void putFloats(String name, float[] values) {
    entry(name, FLOAT32S, 4 + 4L * values.length);
    buf.putInt(values.length);
    buf.asFloatBuffer().put(values);
    buf.position(buf.position() + 4 * values.length);
  }

  @Override
  public void putBytes(String name, byte[] values) {
    entry(name, BYTES, 4L + values.length);
    buf.putInt(values.length);
    buf.put(values);
  }
}
