package pmodel.runtime;

import pmodel.data.io.IdxData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.testing.Allocation;

/**
 * Small files that declare huge sizes: every reader checks a declared size against the data
 * actually present before it allocates for it.
 */
class DeclaredSizesTest {
  /** What a reader may allocate for a file of a few kilobytes, with room for its buffers. */
  static final long BOUND = 64L << 20;

  @TempDir
  Path dir;

  static byte[] gzip(byte[]... parts) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      // one gzip member per part: "cat a.gz b.gz" is a valid gzip file
      try (GZIPOutputStream z = new GZIPOutputStream(b) {
        @Override
        public void close() throws IOException {
          finish();
        }
      }) {
        z.write(part);
      }
    }
    return b.toByteArray();
  }

  @Test
  void aForgedGzipIdxFileIsRefusedWithoutAllocatingWhatItsHeaderClaims() throws IOException {
    // 2,000,000 images of 28x28 = 1.568e9 bytes declared; a few KB present
    ByteBuffer header = ByteBuffer.allocate(16).putInt(0x00000803).putInt(2_000_000)
        .putInt(28).putInt(28);
    byte[] body = new byte[4096];
    byte[] z = gzip(header.array(), body);
    // the forger also sets the trailer to what the header claims (modulo 2^32)
    long claimed = 16L + 2_000_000L * 784;
    int t = z.length - 4;
    for (int i = 0; i < 4; i++) {
      z[t + i] = (byte) (claimed >>> (8 * i));
    }
    Path p = dir.resolve("forged-idx3-ubyte.gz");
    Files.write(p, z);
    assertThat(z.length).isLessThan(200);
    PmodelException[] thrown = {null};
    long bytes = Allocation.bytes(() -> {
      try {
        IdxData.read(p);
      } catch (PmodelException e) {
        thrown[0] = e;
      }
    });
    assertThat(thrown[0]).isNotNull();
    assertThat(thrown[0].getMessage()).startsWith(p.toString()).contains("truncated");
    assertThat(bytes).as("bytes allocated reading a %d-byte file", z.length).isLessThan(BOUND);
  }

  @Test
  void aMultiMemberGzipIdxFileIsReadWhole() throws IOException {
    Dataset d = Dataset.of(Schema.image(2, 2, 256), 3, new Object[] {
        new byte[] {1, 2, 3}, new byte[] {4, 5, 6}, new byte[] {7, 8, 9}, new byte[] {10, 11,
            12}});
    Path plain = dir.resolve("plain");
    IdxData.write(plain, d);
    byte[] raw = Files.readAllBytes(plain);
    Path p = dir.resolve("two-members.gz");
    Files.write(p, gzip(java.util.Arrays.copyOf(raw, 20),
        java.util.Arrays.copyOfRange(raw, 20, raw.length)));
    assertThat(IdxData.read(p).fingerprint()).isEqualTo(d.fingerprint());
  }

  @Test
  void aSchemaFileThatNeverEndsIsBounded() {
    Path zero = Path.of("/dev/zero");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(zero));
    assertThatThrownBy(() -> SchemaFiles.read(zero)).isInstanceOf(PmodelException.class)
        .hasMessageContaining("/dev/zero: larger than " + ModelFiles.MAX_JSON_BYTES + " bytes");
  }
}
