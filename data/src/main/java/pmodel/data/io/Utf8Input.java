package pmodel.data.io;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The bytes of a text file as a CSV reader needs them: gunzipped when the file is gzip (every
 * member of a multi-member file, as {@code cat a.gz b.gz} makes), without a leading UTF-8 byte
 * order mark, and checked to be UTF-8 as they are read, so that an invalid byte is reported with
 * its offset and line instead of becoming U+FFFD or a decoder error without a place.
 */
final class Utf8Input extends FilterInputStream {
  /** Invalid UTF-8 at a known place. */
  static final class Malformed extends IOException {
    private static final long serialVersionUID = 1L;
    final long offset;
    final long line;
    final int value;

    Malformed(long offset, long line, int value) {
      super("invalid UTF-8 byte 0x" + String.format("%02x", value) + " at byte offset " + offset);
      this.offset = offset;
      this.line = line;
      this.value = value;
    }
  }

  private long offset;
  private long line = 1;
  private int pending; // continuation bytes still expected
  private int min; // the smallest code point the current sequence may encode (no overlongs)
  private int codePoint;
  private long sequenceStart;
  private int lead; // the first byte of the current sequence

  private Utf8Input(InputStream in) {
    super(in);
  }

  /** Opens {@code path} for reading as UTF-8 text (gunzipped when gzip, BOM removed). */
  static InputStream open(Path path) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
    InputStream in = raw;
    if (IdxData.isGzip(path)) {
      in = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
    }
    in.mark(3);
    byte[] bom = in.readNBytes(3);
    boolean hasBom = bom.length == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB
        && (bom[2] & 0xFF) == 0xBF;
    Utf8Input checked;
    if (hasBom) {
      checked = new Utf8Input(in);
      checked.offset = 3;
    } else {
      in.reset();
      checked = new Utf8Input(in);
    }
    return checked;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      check(b);
    } else {
      atEnd();
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = in.read(buf, off, len);
    if (n < 0) {
      atEnd();
      return n;
    }
    for (int i = 0; i < n; i++) {
      check(buf[off + i] & 0xFF);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(n, 8192)];
    int r = read(buf, 0, buf.length);
    return Math.max(r, 0);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void atEnd() throws Malformed {
    if (pending > 0) {
      throw new Malformed(sequenceStart, line, lead);
    }
  }

  /** Advances the UTF-8 state machine by one byte (RFC 3629: no overlongs, no surrogates). */
  private void check(int b) throws Malformed {
    long at = offset++;
    if (pending == 0) {
      if (b < 0x80) {
        if (b == '\n') {
          line++;
        }
        return;
      }
      sequenceStart = at;
      lead = b;
      if (b >= 0xC2 && b <= 0xDF) {
        pending = 1;
        codePoint = b & 0x1F;
        min = 0x80;
      } else if (b >= 0xE0 && b <= 0xEF) {
        pending = 2;
        codePoint = b & 0x0F;
        min = 0x800;
      } else if (b >= 0xF0 && b <= 0xF4) {
        pending = 3;
        codePoint = b & 0x07;
        min = 0x10000;
      } else {
        throw new Malformed(at, line, b);
      }
      return;
    }
    if ((b & 0xC0) != 0x80) {
      // the sequence's first byte is the one at fault (Latin-1 'é' is 0xe9 then ASCII)
      throw new Malformed(sequenceStart, line, lead);
    }
    codePoint = (codePoint << 6) | (b & 0x3F);
    if (--pending == 0) {
      if (codePoint < min || codePoint > 0x10FFFF
          || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
        throw new Malformed(sequenceStart, line, lead);
      }
    }
  }
}
