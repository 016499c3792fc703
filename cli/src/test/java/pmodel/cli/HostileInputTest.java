package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The hostile inputs of issue 20, each run through the command line as the user meets it: every
 * case is refused with one line and exit code 2 (or handled), never an internal error, a hang or
 * a clobbered file.
 */
class HostileInputTest extends CommandLineTestBase {

  /** The entries of a model file, in order. */
  static Map<String, byte[]> entries(Path model) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(model.toFile())) {
      var it = z.entries();
      while (it.hasMoreElements()) {
        ZipEntry e = it.nextElement();
        out.put(e.getName(), z.getInputStream(e).readAllBytes());
      }
    }
    return out;
  }

  /** Writes {@code entries} as a zip of STORED (uncompressed) entries, with correct CRCs. */
  static void writeStored(Path target, Map<String, byte[]> entries) throws IOException {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry z = new ZipEntry(e.getKey());
        z.setMethod(ZipEntry.STORED);
        z.setSize(e.getValue().length);
        CRC32 crc = new CRC32();
        crc.update(e.getValue());
        z.setCrc(crc.getValue());
        out.putNextEntry(z);
        out.write(e.getValue());
        out.closeEntry();
      }
    }
  }

  /** Rewrites model.json of {@code from} into {@code to} (deflated, correct CRCs). */
  static void editJson(Path from, Path to, UnaryOperator<String> edit) throws IOException {
    Map<String, byte[]> e = entries(from);
    String json = new String(e.get("model.json"), StandardCharsets.UTF_8);
    String edited = edit.apply(json);
    assertThat(edited).as("the edit changed model.json").isNotEqualTo(json);
    e.put("model.json", edited.getBytes(StandardCharsets.UTF_8));
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
      for (Map.Entry<String, byte[]> x : e.entrySet()) {
        out.putNextEntry(new ZipEntry(x.getKey()));
        out.write(x.getValue());
        out.closeEntry();
      }
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  // item 5: zip CRCs

  @Test
  void aFlippedBitInAStoredEntryIsCaughtByItsCrc() throws IOException {
    assertThat(run("fit", "naive-bayes", "--data", "builtin:outfits?rows=200", "--out",
        "@m.pm").exit()).isZero();
    Path stored = file("stored.pm");
    writeStored(stored, entries(file("m.pm")));
    // the stored copy is a valid model file
    Result ok = run("inspect", "--model", "@stored.pm");
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("alpha");

    byte[] raw = Files.readAllBytes(stored);
    byte[] alpha = "\"alpha\" : 1.0".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(raw, alpha);
    assertThat(at).as("alpha in the stored model.json").isPositive();
    // '1' (0x31) to '6' (0x36) is a three-bit flip; one bit ('1' to '0') would do as well
    raw[at + alpha.length - 3] = '6';
    Files.write(stored, raw);

    refused("model file " + stored + ": entry 'model.json' is corrupt (CRC-32", null,
        "inspect", "--model", "@stored.pm");
    refused("entry 'model.json' is corrupt (CRC-32", "rows.csv",
        "score", "--model", "@stored.pm", "--data", "builtin:outfits?rows=10", "--per-row",
        "@rows.csv");
  }

  @Test
  void aFlippedBitInAStoredBlobIsCaughtByItsCrc() throws IOException {
    assertThat(run("fit", "histogram", "--data", "builtin:outfits?rows=300", "--set",
        "storage=sparse", "--out", "@m.pm").exit()).isZero();
    Map<String, byte[]> e = entries(file("m.pm"));
    assertThat(e).containsKey("blobs/keys.bin");
    Path stored = file("stored.pm");
    writeStored(stored, e);
    byte[] raw = Files.readAllBytes(stored);
    int at = indexOf(raw, e.get("blobs/keys.bin"));
    assertThat(at).isPositive();
    raw[at + 5] ^= 0x10;
    Files.write(stored, raw);
    refused("model file " + stored + ": entry 'blobs/keys.bin' is corrupt (CRC-32", null,
        "inspect", "--model", "@stored.pm");
  }

  // item 6: naive Bayes counts that overflow

  @Test
  void naiveBayesCountsThatOverflowToTheRowCountAreRefused() throws IOException {
    Files.writeString(file("d.csv"), "a\nx\ny\nz\n");
    assertThat(run("fit", "naive-bayes", "--data", "@d.csv", "--out", "@m.pm").exit())
        .isZero();
    // 2 * (2^63 - 1) + 5 = 2^64 + 3, which wraps to 3 = rows in 64-bit arithmetic
    editJson(file("m.pm"), file("edited.pm"), json -> json.replaceFirst(
        "\"values\" : \\[ 1, 1, 1 \\]",
        "\"values\" : [ 9223372036854775807, 9223372036854775807, 5 ]"));
    refused("model file " + file("edited.pm") + ": the counts of feature 'a' overflow", null,
        "score", "--model", "@edited.pm", "--data", "@d.csv");
  }

  // item 2: --out, --per-row and --report never replace what is not a regular file

  @Test
  void aSymbolicLinkIsNeverReplacedByAFile() throws IOException {
    Path real = Files.writeString(file("real.txt"), "keep me");
    Files.createSymbolicLink(file("link.pm"), real);
    refused("cannot write " + file("link.pm") + ": it is a symbolic link", null,
        "fit", "histogram", "--data", "builtin:outfits?rows=50", "--out", "@link.pm");
    assertThat(run("fit", "histogram", "--data", "builtin:outfits?rows=50", "--out", "@m.pm")
        .exit()).isZero();
    refused("it is a symbolic link", null, "score", "--model", "@m.pm", "--data",
        "builtin:outfits?rows=5", "--per-row", "@link.pm");
    refused("it is a symbolic link", null, "evaluate", "--train", "builtin:outfits?rows=50",
        "--test", "builtin:outfits:test?rows=50", "--models", "histogram", "--report",
        "@link.pm");
    Files.createSymbolicLink(file("link.csv"), real);
    refused("it is a symbolic link", null, "sample", "--model", "@m.pm", "-n", "3", "--out",
        "@link.csv");
    assertThat(Files.isSymbolicLink(file("link.csv"))).isTrue();
    assertThat(Files.isSymbolicLink(file("link.pm"))).isTrue();
    assertThat(Files.readString(real)).isEqualTo("keep me");
  }

  @Test
  void aNamedPipeOrDeviceIsNotReplaced() throws Exception {
    Path fifo = file("pipe.pm");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(p.waitFor()).isZero();
    refused("cannot write " + fifo + ": it is not a regular file", null,
        "fit", "histogram", "--data", "builtin:outfits?rows=50", "--out", "@pipe.pm");
    assertThat(Files.isRegularFile(fifo, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.exists(fifo, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  // item 3: an output that names an input is refused before any work

  @Test
  void anOutputThatIsAnInputIsRefusedAndTheInputKept() throws IOException {
    Files.writeString(file("d.csv"), "a,b\nx,1\ny,2\n");
    byte[] data = Files.readAllBytes(file("d.csv"));
    refused("--out " + file("d.csv") + " is the input --data " + file("d.csv"), null,
        "fit", "naive-bayes", "--data", "@d.csv", "--out", "@d.csv");
    assertThat(run("fit", "naive-bayes", "--data", "@d.csv", "--out", "@m.pm").exit()).isZero();
    byte[] model = Files.readAllBytes(file("m.pm"));
    refused("--per-row " + file("m.pm") + " is the input --model", null,
        "score", "--model", "@m.pm", "--data", "@d.csv", "--per-row", "@m.pm");
    refused("--per-row " + dir + "/./d.csv is the input --data", null,
        "score", "--model", "@m.pm", "--data", "@d.csv", "--per-row", "@./d.csv");
    Files.copy(file("m.pm"), file("model.csv"));
    refused("--out " + file("model.csv") + " is the input --model", null,
        "sample", "--model", "@model.csv", "-n", "3", "--out", "@model.csv");
    assertThat(Files.readAllBytes(file("model.csv"))).isEqualTo(model);
    refused("--report " + file("d.csv") + " is the input --train", null,
        "evaluate", "--train", "@d.csv", "--test", "@d.csv", "--models", "naive-bayes",
        "--report", "@d.csv");
    // a hard link is the same file under another name
    Files.createLink(file("alias.csv"), file("d.csv"));
    refused("is the input --data", null,
        "fit", "naive-bayes", "--data", "@d.csv", "--out", "@alias.csv");
    Files.writeString(file("s.json"), "{}");
    refused("is the input --schema", null,
        "fit", "naive-bayes", "--data", "@d.csv", "--schema", "@s.json", "--out", "@s.json");
    assertThat(Files.readAllBytes(file("d.csv"))).isEqualTo(data);
    assertThat(Files.readAllBytes(file("m.pm"))).isEqualTo(model);
  }

  // item 4: small files that ask for huge memory

  @Test
  void aSchemaFileThatNeverEndsIsRefused() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/dev/zero")));
    refused("/dev/zero: larger than 67108864 bytes", "m.pm",
        "fit", "naive-bayes", "--data", "builtin:outfits?rows=20", "--schema", "/dev/zero",
        "--out", "@m.pm");
  }

  @Test
  void aModelFileWhoseSchemaDeclaresHugeSizesIsRefusedBeforeAllocating() throws IOException {
    Files.writeString(file("d.csv"), "a\n1\n2\n0\n");
    Path schema = Files.writeString(file("s.json"),
        "{\"features\": [{\"name\": \"a\", \"type\": \"integer\", \"levels\": 3}]}");
    assertThat(run("fit", "naive-bayes", "--data", "@d.csv", "--schema", "@s.json", "--out",
        "@m.pm").exit()).isZero();
    // 2e9 levels: a long[2e9] (16 GB) if the reader trusted the schema and the declared length
    editJson(file("m.pm"), file("edited.pm"), json -> json
        .replace("\"levels\" : 3", "\"levels\" : 2000000000")
        .replace("\"length\" : 3", "\"length\" : 2000000000"));
    refused("parameter 'counts' does not hold 2000000000 values", null,
        "inspect", "--model", "@edited.pm");
    assertThat(schema).exists();
  }

  @Test
  void aForgedGzipIdxFileIsRefusedAsTruncated() throws IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(b)) {
      z.write(java.nio.ByteBuffer.allocate(16).putInt(0x803).putInt(2_000_000).putInt(28)
          .putInt(28).array());
      z.write(new byte[3000]);
    }
    byte[] bytes = b.toByteArray();
    long claimed = 16L + 2_000_000L * 784;
    for (int i = 0; i < 4; i++) {
      bytes[bytes.length - 4 + i] = (byte) (claimed >>> (8 * i));
    }
    Files.write(file("forged-idx3-ubyte.gz"), bytes);
    // the forged trailer no longer matches the data, so gzip's own check refuses it
    refused(file("forged-idx3-ubyte.gz") + ": truncated or corrupt IDX file", "m.pm",
        "fit", "naive-bayes", "--data", "@forged-idx3-ubyte.gz", "--out", "@m.pm");
  }

  // item 10: malformed arguments are usage errors

  @Test
  void aMalformedPercentEscapeIsAUsageError() {
    refused("builtin:ring8?rows=%zz: option 'rows=%zz' has a malformed %-escape", "m.pm",
        "fit", "histogram", "--data", "builtin:ring8?rows=%zz", "--out", "@m.pm");
  }

  @Test
  void anEmptyModelListIsAUsageError() {
    refused("--models lists no model id", null, "evaluate", "--train",
        "builtin:outfits?rows=50", "--test", "builtin:outfits:test?rows=50", "--models", ",");
  }

  // item 14

  @Test
  void latentHelpPrintsNoWarning() {
    Result r = run("latent", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out() + r.err()).doesNotContain("WARN").contains("central 90%");
  }

  // item 9: a plugin that throws an Error

  @Test
  void aPluginThatOverflowsTheStackIsOneLineNamingIt() {
    String property = pmodel.cli.testing.ResamplingTestProvider.OVERFLOW_PROPERTY;
    System.setProperty(property, "true");
    try {
      Result r = run("fit", "implicit-test", "--data", "builtin:outfits?rows=20", "--out",
          "@m.pm");
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err().strip()).isEqualTo("pmodel: model 'implicit-test' failed:"
          + " java.lang.StackOverflowError (run again with --debug for the stack trace)");
      assertThat(file("m.pm")).doesNotExist();
      Result debug = run("fit", "implicit-test", "--data", "builtin:outfits?rows=20", "--out",
          "@m.pm", "--debug");
      assertThat(debug.err()).contains("\tat pmodel.cli.testing.ResamplingTestProvider");
    } finally {
      System.clearProperty(property);
    }
  }

  // item 8: extreme floats

  @Test
  void valuesNear1e308AreBinnedAndScoreFinitely() throws IOException {
    StringBuilder csv = new StringBuilder("x,y\n");
    for (String x : new String[] {"-1e308", "-5e307", "5e307", "1e308", "0"}) {
      for (String y : new String[] {"a", "b"}) {
        csv.append(x).append(',').append(y).append('\n');
      }
    }
    Files.writeString(file("d.csv"), csv);
    for (String model : new String[] {"histogram", "naive-bayes"}) {
      Result fit = run("fit", model, "--data", "@d.csv", "--continuous", "x", "--set", "bins=4",
          "--out", "@" + model + ".pm");
      assertThat(fit.exit()).as(fit.err()).isZero();
      Result score = run("score", "--model", "@" + model + ".pm", "--data", "@d.csv", "--json",
          "--per-row", "@" + model + "-rows.csv");
      assertThat(score.exit()).as(score.err()).isZero();
      var j = JsonOut.parse(score.out());
      assertThat(j.get("infinite").asBoolean()).as(model).isFalse();
      // four bins of width 5e307 (log 708.1...): every row's log-density is finite
      assertThat(Files.readAllLines(file(model + "-rows.csv")).subList(1, 11))
          .allMatch(l -> Double.isFinite(Double.parseDouble(l.split(",")[1])));
    }
  }

  // item 12: vague messages

  @Test
  void theLargestSmoothingStillSamplesAndScores() {
    // alpha * K overflows a double; the alias table's weights summed to Infinity
    Result fit = run("fit", "naive-bayes", "--data", "builtin:outfits?rows=100", "--set",
        "alpha=1e308", "--out", "@m.pm");
    assertThat(fit.exit()).as(fit.err()).isZero();
    Result sample = run("sample", "--model", "@m.pm", "-n", "10", "--out", "@s.csv");
    assertThat(sample.exit()).as(sample.err()).isZero();
    Result score = run("score", "--model", "@m.pm", "--data", "builtin:outfits?rows=10",
        "--json");
    assertThat(score.exit()).as(score.err()).isZero();
    assertThat(JsonOut.parse(score.out()).get("infinite").asBoolean()).isFalse();
  }

  @Test
  void badBinBoundsInAModelFileNameTheFileAndTheFeature() throws IOException {
    Files.writeString(file("d.csv"), "x,y\n1,a\n2,b\n3,a\n");
    assertThat(run("fit", "naive-bayes", "--data", "@d.csv", "--continuous", "x", "--out",
        "@m.pm").exit()).isZero();
    editJson(file("m.pm"), file("edited.pm"), json -> json.replaceFirst(
        "\"upper\" : \\{([^}]*)\"values\" : \\[ 3.0 \\]",
        "\"upper\" : {$1\"values\" : [ 0.5 ]"));
    refused("model file " + file("edited.pm") + ": feature 'x': bins [1.0, 0.5] x 10 are"
        + " invalid; expected finite bounds with lower < upper", null,
        "inspect", "--model", "@edited.pm");
  }

  @Test
  void aLongModelNameWorksAndATooLongOneIsRefusedBeforeTheFit() {
    String name243 = "m".repeat(240) + ".pm";
    Result ok = run("fit", "naive-bayes", "--data", "builtin:outfits?rows=50", "--out",
        "@" + name243);
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(file(name243)).exists();
    String name300 = "m".repeat(297) + ".pm";
    refused("the file name is 300 bytes long; file systems allow at most 255", null,
        "fit", "naive-bayes", "--data", "builtin:outfits?rows=50", "--out", "@" + name300);
  }

  // item 11: encodings

  static byte[] gzipMembers(byte[]... parts) throws IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      java.io.ByteArrayOutputStream one = new java.io.ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(one)) {
        z.write(part);
      }
      b.write(one.toByteArray());
    }
    return b.toByteArray();
  }

  @Test
  void invalidUtf8IsReportedWithItsLineAndByteOffset() throws IOException {
    byte[] csv = "a,b\nx,1\ny\u0000,2\n".getBytes(StandardCharsets.US_ASCII);
    csv[9] = (byte) 0xff; // line 3, after "a,b\nx,1\ny"
    Files.write(file("d.csv"), csv);
    refused(file("d.csv") + ":3: invalid UTF-8 (byte 0xff at byte offset 9); expected UTF-8"
        + " text", "m.pm", "fit", "naive-bayes", "--data", "@d.csv", "--out", "@m.pm");
    // a long file: the place is still exact, though the parser reads ahead in blocks
    StringBuilder big = new StringBuilder("a,b\n");
    for (int i = 0; i < 5000; i++) {
      big.append("x,").append(i).append('\n');
    }
    byte[] head = big.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] bad = java.util.Arrays.copyOf(head, head.length + 5);
    bad[head.length] = 'z';
    bad[head.length + 1] = (byte) 0xc3; // a two-byte sequence cut by a comma
    bad[head.length + 2] = ',';
    bad[head.length + 3] = '1';
    bad[head.length + 4] = '\n';
    Files.write(file("big.csv"), bad);
    refused(file("big.csv") + ":5002: invalid UTF-8 (byte 0xc3 at byte offset "
        + (head.length + 1) + ")", "m.pm",
        "fit", "histogram", "--data", "@big.csv", "--out", "@m.pm");
  }

  @Test
  void aByteOrderMarkBeforeAQuotedHeaderIsSkipped() throws IOException {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] text = "\"a\",\"b\"\nx,1\ny,2\n".getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + text.length];
    System.arraycopy(bom, 0, all, 0, 3);
    System.arraycopy(text, 0, all, 3, text.length);
    Files.write(file("d.csv"), all);
    Result r = run("fit", "naive-bayes", "--data", "@d.csv", "--out", "@m.pm");
    assertThat(r.exit()).as(r.err()).isZero();
    Result score = run("score", "--model", "@m.pm", "--data", "@d.csv");
    assertThat(score.exit()).as(score.err()).isZero();
  }

  @Test
  void gzippedAndMultiMemberGzippedCsvFilesAreRead() throws IOException {
    byte[] a = "a,b\nx,1\ny,2\n".getBytes(StandardCharsets.UTF_8);
    byte[] b = "x,2\ny,1\nx,1\n".getBytes(StandardCharsets.UTF_8);
    Files.write(file("one.csv.gz"), gzipMembers(a));
    Files.write(file("two.csv.gz"), gzipMembers(a, b));
    Result one = run("fit", "naive-bayes", "--data", "@one.csv.gz", "--out", "@one.pm");
    assertThat(one.exit()).as(one.err()).isZero();
    assertThat(one.out()).contains("on 2 rows of 2 features");
    Result two = run("fit", "histogram", "--data", "@two.csv.gz", "--out", "@two.pm");
    assertThat(two.exit()).as(two.err()).isZero();
    assertThat(two.out()).contains("on 5 rows of 2 features");
  }
}
