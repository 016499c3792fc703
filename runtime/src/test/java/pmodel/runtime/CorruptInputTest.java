package pmodel.runtime;

import pmodel.data.io.CsvData;
import pmodel.data.io.IdxData;
import pmodel.data.io.ReadOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.Dataset;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;
import pmodel.testing.UniformTestProvider;

/**
 * Corrupted, truncated and mutated CSV, IDX and model files: the only allowed outcomes are
 * success or a clean {@link PmodelException} with a one-line message, within a time limit. Every
 * mutation is drawn from a seeded generator, so a failure names a reproducible case.
 */
class CorruptInputTest {
  @TempDir
  Path dir;

  /** Runs the reader on the bytes; fails on anything but success or a clean PmodelException. */
  private void cleanOutcome(String what, byte[] bytes, Consumer<Path> reader) throws IOException {
    Path p = dir.resolve("input");
    Files.write(p, bytes);
    Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      try {
        reader.accept(p);
      } catch (PmodelException e) {
        assertThat(e.getMessage()).as(what).doesNotContain("\n").isNotBlank();
        assertThat(e.exitCode()).as(what).isIn(1, 2);
      } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
        fail(what + ": " + e, e);
      }
    }, what);
  }

  private static byte[] flip(byte[] in, SplittableRandom rng, int flips) {
    byte[] out = in.clone();
    for (int i = 0; i < flips; i++) {
      out[rng.nextInt(out.length)] ^= (byte) (1 + rng.nextInt(255));
    }
    return out;
  }

  private byte[] validCsv() throws IOException {
    Path p = dir.resolve("valid.csv");
    CsvData.write(p, Outfits.sample(60, 1, 0));
    return Files.readAllBytes(p);
  }

  @Test
  void csvCutAtEveryLength() throws IOException {
    byte[] valid = validCsv();
    for (int cut = 0; cut <= valid.length; cut++) {
      byte[] b = java.util.Arrays.copyOf(valid, cut);
      cleanOutcome("csv cut at " + cut, b, p -> CsvData.read(p, ReadOptions.defaults()));
      cleanOutcome("csv cut at " + cut + " with schema", b,
          p -> CsvData.read(p, ReadOptions.withSchema(Outfits.schema())));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void csvWithFlippedBytesAndInsertedText(long seed) throws IOException {
    byte[] valid = validCsv();
    SplittableRandom rng = new SplittableRandom(seed);
    String[] inserts = {"\"", ",", "\n", "\r\n", "\"\"", "1e999999", "NaN", "-Infinity",
        "\u0000", "\uFEFF", "99999999999999999999999999999", ",,,,,,,,,,", "\"a\nb\""};
    for (int i = 0; i < 150; i++) {
      byte[] b = flip(valid, rng, 1 + rng.nextInt(4));
      String s = new String(b, StandardCharsets.ISO_8859_1);
      int at = rng.nextInt(s.length());
      s = s.substring(0, at) + inserts[rng.nextInt(inserts.length)] + s.substring(at);
      byte[] mutated = s.getBytes(StandardCharsets.ISO_8859_1);
      cleanOutcome("csv seed " + seed + " case " + i, mutated,
          p -> CsvData.read(p, ReadOptions.defaults()));
      cleanOutcome("csv+schema seed " + seed + " case " + i, mutated,
          p -> CsvData.read(p, ReadOptions.withSchema(Outfits.schema())));
      cleanOutcome("csv+continuous seed " + seed + " case " + i, mutated,
          p -> CsvData.read(p, new ReadOptions(null, java.util.Set.of("hair_type"), null)));
    }
  }

  private byte[] validIdx(boolean gzip) throws IOException {
    Path p = dir.resolve("valid.idx");
    int n = 20;
    Object[] cols = new Object[16];
    for (int j = 0; j < 16; j++) {
      byte[] c = new byte[n];
      for (int i = 0; i < n; i++) {
        c[i] = (byte) (i * j);
      }
      cols[j] = c;
    }
    IdxData.write(p, Dataset.of(pmodel.api.data.Schema.image(4, 4, 256), n, cols));
    byte[] raw = Files.readAllBytes(p);
    if (!gzip) {
      return raw;
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(b)) {
      z.write(raw);
    }
    return b.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void idxCutAtEveryLengthAndFlipped(boolean gzip) throws IOException {
    byte[] valid = validIdx(gzip);
    for (int cut = 0; cut <= valid.length; cut++) {
      cleanOutcome("idx cut at " + cut, java.util.Arrays.copyOf(valid, cut), IdxData::read);
    }
    SplittableRandom rng = new SplittableRandom(gzip ? 11 : 12);
    for (int i = 0; i < 500; i++) {
      cleanOutcome("idx flip case " + i, flip(valid, rng, 1 + rng.nextInt(3)), IdxData::read);
    }
  }

  @Test
  void idxHeadersWithHugeOrNegativeDimensions() throws IOException {
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 300; i++) {
      byte[] h = new byte[4 + 4 * 3 + rng.nextInt(64)];
      h[2] = (byte) (rng.nextInt(4) == 0 ? rng.nextInt(256) : 8);
      h[3] = (byte) (rng.nextInt(5));
      for (int k = 4; k < h.length; k++) {
        h[k] = (byte) rng.nextInt(256);
      }
      cleanOutcome("idx header case " + i, h, IdxData::read);
    }
  }

  private byte[] validModel() throws IOException {
    UniformTestProvider provider = new UniformTestProvider();
    Path p = dir.resolve("valid.pm");
    ModelFiles.save(p, provider.fit(Outfits.sample(10, 1, 0),
        Parameters.parse(provider.id(), provider.parameters(), Map.of("size", "100")),
        FitContext.of(1)), provider, new Provenance(10, "sha256:x", "builtin:outfits", 1, 1,
        "2026-11-29T00:00:00Z", "test"));
    return Files.readAllBytes(p);
  }

  private final ModelRegistry registry = ModelRegistry.of(List.of(new UniformTestProvider()));

  @Test
  void modelFileCutAtEveryLengthAndFlipped() throws IOException {
    byte[] valid = validModel();
    for (int cut = 0; cut < valid.length; cut++) {
      cleanOutcome("model cut at " + cut, java.util.Arrays.copyOf(valid, cut),
          p -> ModelFiles.load(p, registry));
    }
    SplittableRandom rng = new SplittableRandom(21);
    for (int i = 0; i < 1000; i++) {
      cleanOutcome("model flip case " + i, flip(valid, rng, 1 + rng.nextInt(3)),
          p -> ModelFiles.load(p, registry));
    }
  }

  @Test
  void modelJsonWithWrongTypesHugeNumbersAndDeepNesting() throws IOException {
    byte[] valid = validModel();
    String json;
    try (var z = new java.util.zip.ZipFile(writeTo("m.pm", valid).toFile())) {
      json = new String(z.getInputStream(z.getEntry("model.json")).readAllBytes(),
          StandardCharsets.UTF_8);
    }
    String[] replacements = {"\"x\"", "-1", "1e400", "99999999999999999999999999", "null",
        "[]", "{}", "true", "0", "2147483648", "-9223372036854775808", "\"NaN\"",
        "[".repeat(40) + "]".repeat(40), "{\"a\":".repeat(40) + "1" + "}".repeat(40)};
    SplittableRandom rng = new SplittableRandom(3);
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile(":\\s*(\"[^\"]*\"|-?[0-9.eE+-]+|true|false|null)").matcher(json);
    List<int[]> values = new java.util.ArrayList<>();
    while (m.find()) {
      values.add(new int[] {m.start(1), m.end(1)});
    }
    for (int[] v : values) {
      for (int k = 0; k < 3; k++) {
        String r = replacements[rng.nextInt(replacements.length)];
        String mutated = json.substring(0, v[0]) + r + json.substring(v[1]);
        cleanOutcome("model.json value " + json.substring(v[0], v[1]) + " -> " + r,
            rezip(valid, mutated), p -> ModelFiles.load(p, registry));
      }
    }
  }

  private Path writeTo(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private byte[] rezip(byte[] model, String json) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var z = new java.util.zip.ZipFile(writeTo("src.pm", model).toFile());
        var zo = new java.util.zip.ZipOutputStream(out)) {
      var entries = z.entries();
      while (entries.hasMoreElements()) {
        var e = entries.nextElement();
        zo.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
        zo.write(e.getName().equals("model.json") ? json.getBytes(StandardCharsets.UTF_8)
            : z.getInputStream(e).readAllBytes());
        zo.closeEntry();
      }
    }
    return out.toByteArray();
  }
}
