package pmodel.data.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;

class IdxDataTest {
  @TempDir
  Path dir;

  static Dataset images(int n, int h, int w) {
    Schema s = Schema.image(h, w, 256);
    Object[] cols = new Object[h * w];
    for (int j = 0; j < cols.length; j++) {
      byte[] c = new byte[n];
      for (int i = 0; i < n; i++) {
        c[i] = (byte) (i * 31 + j * 7);
      }
      cols[j] = c;
    }
    return Dataset.of(s, n, cols);
  }

  @Test
  void writeAndReadImagesPlainAndGzipped() throws IOException {
    Dataset d = images(1000, 5, 7);
    Path p = dir.resolve("x-images-idx3-ubyte");
    IdxData.write(p, d);
    assertThat(Files.size(p)).isEqualTo(16 + 1000 * 35);
    Dataset back = IdxData.read(p);
    assertThat(back.schema()).isEqualTo(d.schema());
    assertThat(back.fingerprint()).isEqualTo(d.fingerprint());
    Path gz = dir.resolve("x.gz");
    gzip(p, gz);
    assertThat(IdxData.read(gz).fingerprint()).isEqualTo(d.fingerprint());
  }

  private static void gzip(Path from, Path to) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(b)) {
      z.write(Files.readAllBytes(from));
    }
    Files.write(to, b.toByteArray());
  }

  private String error(Path p) {
    try {
      IdxData.read(p);
    } catch (PmodelException e) {
      assertThat(e.exitCode()).isEqualTo(2);
      assertThat(e.getMessage()).startsWith(p.toString()).doesNotContain("\n");
      return e.getMessage();
    }
    throw new AssertionError("reading should fail");
  }

  @Test
  void truncatedFilesAreRefusedBeforeAllocating() throws IOException {
    Path p = dir.resolve("t-images-idx3-ubyte");
    IdxData.write(p, images(100, 4, 4));
    byte[] all = Files.readAllBytes(p);
    Files.write(p, Arrays.copyOf(all, all.length - 1));
    assertThat(error(p)).contains("the IDX header declares 100x4x4 values = 1616 bytes, but the"
        + " file holds 1615");
    Path gz = dir.resolve("t.gz");
    Files.write(p, all);
    gzip(p, gz);
    byte[] z = Files.readAllBytes(gz);
    Files.write(gz, Arrays.copyOf(z, z.length - 5));
    assertThat(error(gz)).contains("truncated or corrupt");
  }

  @Test
  void aHeaderClaimingHugeDataIsRefused() throws IOException {
    Path p = dir.resolve("huge");
    byte[] header = {0, 0, 8, 3, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 28, 0, 0, 0,
        28};
    Files.write(p, header);
    assertThat(error(p)).contains("more than 2^31 values");
    header[4] = 0;
    header[5] = 0;
    header[6] = (byte) 0xea;
    header[7] = 0x60; // 60000 images
    Files.write(p, header);
    assertThat(error(p)).contains("declares 60000x28x28 values");
  }

  @Test
  void badMagicAndTypesAreNamed() throws IOException {
    Path p = dir.resolve("bad");
    Files.write(p, new byte[] {1, 2, 3, 4});
    assertThat(error(p)).contains("not an IDX file");
    Files.write(p, new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0});
    assertThat(error(p)).contains("IDX data type 0xd is not supported");
    assertThatThrownBy(() -> IdxData.read(dir.resolve("none"))).hasMessageEndingWith(
        "no such file");
  }
}
