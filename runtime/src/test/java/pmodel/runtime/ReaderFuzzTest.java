package pmodel.runtime;

import pmodel.data.io.CsvData;
import pmodel.data.io.IdxData;
import pmodel.data.io.ReadOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Outfits;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;
import pmodel.testing.Allocation;
import pmodel.testing.UniformTestProvider;

/**
 * Time-boxed fuzzing of the readers with inputs that lie about their sizes: gzip IDX files, zip
 * model files (stored and deflated; bit flips, truncation, forged sizes and lengths) and CSV
 * files in odd encodings (BOMs, invalid UTF-8, gzip members). Each case must end in success or a
 * one-line {@link PmodelException}, and allocate less than {@link #BOUND} bytes on the way (the
 * inputs are a few kilobytes; no reader may trust a declared size).
 *
 * <p>The suite runs for {@code pmodel.fuzz.seconds} seconds per reader (default 2); a longer run
 * is {@code ./mvnw -o -pl api verify -Dtest=ReaderFuzzTest -Dpmodel.fuzz.seconds=600}. Cases
 * come from a seed per iteration, so a failure names a reproducible case.
 */
class ReaderFuzzTest {
  /** The allocation any one case may make: inputs are kilobytes, buffers at most a few MB. */
  static final long BOUND = 96L << 20;
  static final long SECONDS = Long.getLong("pmodel.fuzz.seconds", 2);

  @TempDir
  Path dir;

  private final ModelRegistry registry = ModelRegistry.of(List.of(new UniformTestProvider()));

  private void check(String what, byte[] bytes, String name, Consumer<Path> reader)
      throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    Throwable[] bad = {null};
    long allocated = Allocation.bytes(() -> {
      try {
        reader.accept(p);
      } catch (PmodelException e) {
        if (e.getMessage().contains("\n") || e.getMessage().isBlank()) {
          bad[0] = e;
        }
      } catch (RuntimeException | StackOverflowError e) {
        bad[0] = e;
      }
    });
    if (bad[0] != null) {
      fail(what + ": " + bad[0], bad[0]);
    }
    assertThat(allocated).as(what + ": bytes allocated").isLessThan(BOUND);
  }

  /** Runs {@code body(seed)} for seeds 0, 1, 2, ... until the time budget is spent. */
  private static int forBudget(IoCase body) throws IOException {
    long end = System.nanoTime() + SECONDS * 1_000_000_000L;
    int n = 0;
    while (System.nanoTime() < end || n < 50) {
      body.run(n++);
    }
    return n;
  }

  @FunctionalInterface
  interface IoCase {
    void run(int seed) throws IOException;
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(b)) {
      z.write(data);
    }
    return b.toByteArray();
  }

  static byte[] mutate(byte[] in, SplittableRandom rng) {
    byte[] out = in.clone();
    switch (rng.nextInt(3)) {
      case 0 -> {
        for (int i = 1 + rng.nextInt(3); i > 0; i--) {
          out[rng.nextInt(out.length)] ^= (byte) (1 << rng.nextInt(8));
        }
        return out;
      }
      case 1 -> {
        return java.util.Arrays.copyOf(out, rng.nextInt(out.length));
      }
      default -> {
        // a forged 32-bit field: a size, a length, a dimension, a CRC
        int at = rng.nextInt(Math.max(1, out.length - 4));
        int v = rng.nextBoolean() ? Integer.MAX_VALUE - rng.nextInt(1 << 20) : rng.nextInt();
        for (int i = 0; i < 4 && at + i < out.length; i++) {
          out[at + i] = (byte) (v >>> (8 * i));
        }
        return out;
      }
    }
  }

  @Test
  void gzipIdxFiles() throws IOException {
    int cases = forBudget(seed -> {
      SplittableRandom rng = new SplittableRandom(seed);
      int n = 1 + rng.nextInt(50);
      int h = 1 + rng.nextInt(8);
      int w = 1 + rng.nextInt(8);
      ByteBuffer b = ByteBuffer.allocate(16 + n * h * w).putInt(0x803).putInt(n).putInt(h)
          .putInt(w);
      // the header may claim far more images than follow
      if (rng.nextBoolean()) {
        b.putInt(4, rng.nextInt(1 << 22));
      }
      byte[] gz = gzip(b.array());
      check("gzip idx seed " + seed, rng.nextInt(4) == 0 ? gz : mutate(gz, rng), "x.gz",
          IdxData::read);
    });
    assertThat(cases).isGreaterThanOrEqualTo(50);
  }

  private byte[] validModel(boolean stored) throws IOException {
    UniformTestProvider provider = new UniformTestProvider();
    Path p = dir.resolve("valid.pm");
    ModelFiles.save(p, provider.fit(Outfits.sample(10, 1, 0),
        Parameters.parse(provider.id(), provider.parameters(), Map.of("size", "100")),
        FitContext.of(1)), provider, null);
    if (!stored) {
      return Files.readAllBytes(p);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var z = new java.util.zip.ZipFile(p.toFile()); var zo = new ZipOutputStream(out)) {
      var entries = z.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        byte[] data = z.getInputStream(e).readAllBytes();
        ZipEntry s = new ZipEntry(e.getName());
        s.setMethod(ZipEntry.STORED);
        s.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        s.setCrc(crc.getValue());
        zo.putNextEntry(s);
        zo.write(data);
        zo.closeEntry();
      }
    }
    return out.toByteArray();
  }

  @Test
  void zipModelFilesStoredAndDeflated() throws IOException {
    byte[][] valid = {validModel(false), validModel(true)};
    int cases = forBudget(seed -> {
      SplittableRandom rng = new SplittableRandom(seed);
      byte[] m = mutate(valid[seed % 2], rng);
      check("model seed " + seed, m, "m.pm", p -> ModelFiles.load(p, registry));
    });
    assertThat(cases).isGreaterThanOrEqualTo(50);
  }

  @Test
  void csvFilesInOddEncodings() throws IOException {
    String text = "a,b,c\n\"x\",1,é\ny,2,ü\n\"z,q\",3,€\n";
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    int cases = forBudget(seed -> {
      SplittableRandom rng = new SplittableRandom(seed);
      byte[] b = utf8;
      if (rng.nextBoolean()) {
        byte[] bom = new byte[b.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(b, 0, bom, 3, b.length);
        b = bom;
      }
      if (rng.nextInt(3) == 0) {
        b = text.getBytes(StandardCharsets.ISO_8859_1);
      }
      b = mutate(b, rng);
      if (rng.nextBoolean()) {
        b = gzip(b);
        if (rng.nextBoolean()) {
          b = mutate(b, rng);
        }
      }
      check("csv seed " + seed, b, "d.csv", p -> CsvData.read(p, ReadOptions.defaults()));
    });
    assertThat(cases).isGreaterThanOrEqualTo(50);
  }
}
