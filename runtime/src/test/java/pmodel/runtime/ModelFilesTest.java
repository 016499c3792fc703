package pmodel.runtime;

import pmodel.data.io.AtomicFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Outfits;
import pmodel.runtime.internal.Json;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;
import pmodel.testing.UniformTestProvider;

class ModelFilesTest {
  @TempDir
  Path dir;

  UniformTestProvider provider = new UniformTestProvider();
  ModelRegistry registry = ModelRegistry.of(List.of(provider));
  Path file;

  @BeforeEach
  void save() {
    GenerativeModel m = provider.fit(Outfits.sample(10, 1, 0),
        Parameters.parse(provider.id(), provider.parameters(), Map.of("size", "1000")),
        FitContext.of(1));
    file = dir.resolve("m.pm");
    ModelFiles.save(file, m, provider, new Provenance(10, "sha256:x", "builtin:outfits", 1, 1,
        "2026-11-29T00:00:00Z", "test"));
  }

  @Test
  void roundTripKeepsStateAndProvenance() throws IOException {
    SavedModel s = ModelFiles.load(file, registry);
    assertThat(((UniformTestProvider.Model) s.model()).weights[999]).isEqualTo(499.5);
    assertThat(s.model().schema()).isEqualTo(Outfits.schema());
    assertThat(s.provenance().trainingRows()).isEqualTo(10);
    assertThat(s.provenance().dataSource()).isEqualTo("builtin:outfits");
    try (ZipFile z = new ZipFile(file.toFile())) {
      assertThat(z.getEntry("model.json")).isNotNull();
      assertThat(z.getEntry("blobs/weights.bin").getSize()).isEqualTo(8000);
    }
    // no temporary files are left beside the model
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("m.pm");
    }
  }

  private ObjectNode json() throws IOException {
    try (ZipFile z = new ZipFile(file.toFile())) {
      return (ObjectNode) Json.MAPPER.readTree(z.getInputStream(z.getEntry("model.json")));
    }
  }

  /** Rewrites the model file with another model.json and the same or other blobs. */
  private void rewrite(ObjectNode json, Map<String, byte[]> blobs) throws IOException {
    Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
    try (ZipFile z = new ZipFile(file.toFile())) {
      var it = z.entries();
      while (it.hasMoreElements()) {
        ZipEntry e = it.nextElement();
        entries.put(e.getName(), z.getInputStream(e).readAllBytes());
      }
    }
    entries.put("model.json", Json.MAPPER.writeValueAsBytes(json));
    entries.putAll(blobs);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (var e : entries.entrySet()) {
        if (e.getValue() == null) {
          continue;
        }
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
    Files.write(file, bytes.toByteArray());
  }

  private String loadError() {
    try {
      ModelFiles.load(file, registry);
    } catch (PmodelException e) {
      assertThat(e.exitCode()).isEqualTo(2);
      assertThat(e.getMessage()).startsWith("model file " + file).doesNotContain("\n");
      return e.getMessage();
    }
    throw new AssertionError("loading should have failed");
  }

  @Test
  void newerFormatVersionIsRefusedWithAnUpgradeHint() throws IOException {
    ObjectNode j = json();
    j.put("format_version", 2);
    rewrite(j, Map.of());
    assertThat(loadError()).contains("has format version 2; this pmodel reads format version 1")
        .contains("upgrade pmodel");
  }

  @Test
  void uninstalledProviderIsNamed() throws IOException {
    ObjectNode j = json();
    ((ObjectNode) j.get("provider")).put("id", "vae");
    rewrite(j, Map.of());
    assertThat(loadError()).contains("needs model 'vae', which is not installed; installed:"
        + " uniform-test");
  }

  @Test
  void truncatedFileIsNotAModelFile() throws IOException {
    byte[] all = Files.readAllBytes(file);
    for (int cut : new int[] {0, 1, 10, all.length / 2, all.length - 1}) {
      Files.write(file, java.util.Arrays.copyOf(all, cut));
      assertThat(loadError()).contains("is not a pmodel model file");
    }
  }

  @Test
  void foreignFilesAreRecognised() throws IOException {
    Files.writeString(file, "{\"hello\": 1}");
    assertThat(loadError()).contains("is not a pmodel model file");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      out.putNextEntry(new ZipEntry("model.json"));
      out.write("{\"format\": \"other\"}".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    Files.write(file, bytes.toByteArray());
    assertThat(loadError()).contains("is not a pmodel model file (model.json has no \"format\"");
  }

  @Test
  void missingOrCorruptBlobFailsCleanly() throws IOException {
    java.util.HashMap<String, byte[]> none = new java.util.HashMap<>();
    none.put("blobs/weights.bin", null);
    rewrite(json(), none);
    assertThat(loadError()).contains("blob 'blobs/weights.bin' is missing");
    save();
    rewrite(json(), Map.of("blobs/weights.bin", new byte[8000]));
    assertThat(loadError()).contains("corrupt (SHA-256 does not match)");
    save();
    rewrite(json(), Map.of("blobs/weights.bin", new byte[80]));
    assertThat(loadError()).contains("holds 80 bytes; expected 8000");
  }

  @Test
  void lengthsAreCheckedBeforeAllocation() throws IOException {
    ObjectNode j = json();
    ((ObjectNode) j.get("parameters").get("weights")).put("length", Integer.MAX_VALUE);
    rewrite(j, Map.of());
    assertThat(loadError()).contains("parameter 'weights' has 2147483647 values; expected 1000");
    save();
    j = json();
    ((ObjectNode) j.get("hyperparameters")).put("size", 999_999);
    rewrite(j, Map.of());
    assertThat(loadError()).contains("parameter 'weights' has 1000 values; expected 999999");
  }

  @Test
  void entriesThatEscapeTheBundleAreRefused() throws IOException {
    rewrite(json(), Map.of("../evil.bin", new byte[1]));
    assertThat(loadError()).contains("entry '../evil.bin' escapes the model file");
    save();
    rewrite(json(), Map.of("blobs/x.class", new byte[1]));
    assertThat(loadError()).contains("unexpected entry 'blobs/x.class'");
  }

  @Test
  void deepNestingAndHugeNumbersAreRefused() throws IOException {
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      deep.append('[');
    }
    writeRawJson(deep.toString());
    assertThat(loadError()).contains("model.json exceeds a limit");
    writeRawJson("{\"format\": \"pmodel-model\", \"format_version\": 1" + "0".repeat(200) + "}");
    assertThat(loadError()).contains("model.json exceeds a limit");
  }

  private void writeRawJson(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      out.putNextEntry(new ZipEntry("model.json"));
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    Files.write(file, bytes.toByteArray());
  }

  @Test
  void atomicWritesGiveOrdinaryPermissionsAndKeepExistingOnes() throws IOException {
    Path fresh = dir.resolve("fresh.txt");
    AtomicFiles.write(fresh, out -> out.write(1));
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(fresh))).isEqualTo("rw-r--r--");
    Files.setPosixFilePermissions(fresh,
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
    AtomicFiles.write(fresh, out -> out.write(2));
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(fresh))).isEqualTo("rw-rw----");
  }

  @Test
  void atomicWriteLeavesTheOldFileWhenTheBodyFails() throws IOException {
    byte[] before = Files.readAllBytes(file);
    assertThatThrownBy(() -> AtomicFiles.write(file, (OutputStream out) -> {
      out.write(new byte[1000]);
      throw new IOException("disk full");
    })).isInstanceOf(PmodelException.class).hasMessageContaining("disk full");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    try (var files = Files.list(dir)) {
      assertThat(files.count()).isEqualTo(1);
    }
    assertThatThrownBy(() -> AtomicFiles.write(dir.resolve("no/such/dir/x"), out -> { }))
        .hasMessageContaining("does not exist");
  }
}
