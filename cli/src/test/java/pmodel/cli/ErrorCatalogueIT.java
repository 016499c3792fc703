package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue of bad inputs in docs/errors.md, kept honest: every case below is run through
 * the packaged CLI in its own process, as a user runs it, and its exact one-line message (with
 * the scratch directory shown as DIR) and exit code must appear in that file as a table row. Run
 * with -Dpmodel.errors.write=true to rewrite the file from the cases after a message changes on
 * purpose.
 */
class ErrorCatalogueIT {
  static final Path DOC = Path.of("..", "docs", "errors.md");

  @TempDir
  Path dir;

  /** One bad input: what the user did, a setup that makes the files, the command. */
  record Case(String group, String situation, Setup setup, int exit,
      java.util.Map<String, String> env, String... args) {
    Case(String group, String situation, Setup setup, int exit, String... args) {
      this(group, situation, setup, exit, java.util.Map.of(), args);
    }
  }

  /** A saved naive Bayes model copied with STORED entries, one digit of alpha changed. */
  static Setup storedModelWithFlippedBit() {
    return d -> {
      run(d, "fit", "naive-bayes", "--data", "builtin:outfits?rows=200", "--out", "DIR/m.pm");
      java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
      try (ZipFile in = new ZipFile(d.resolve("m.pm").toFile())) {
        var it = in.entries();
        while (it.hasMoreElements()) {
          ZipEntry e = it.nextElement();
          entries.put(e.getName(), in.getInputStream(e).readAllBytes());
        }
      }
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (ZipOutputStream out = new ZipOutputStream(bytes)) {
        for (var e : entries.entrySet()) {
          ZipEntry z = new ZipEntry(e.getKey());
          z.setMethod(ZipEntry.STORED);
          z.setSize(e.getValue().length);
          java.util.zip.CRC32 crc = new java.util.zip.CRC32();
          crc.update(e.getValue());
          z.setCrc(crc.getValue());
          out.putNextEntry(z);
          out.write(e.getValue());
          out.closeEntry();
        }
      }
      String raw = new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1);
      assertThat(raw).contains("\"alpha\" : 1.0");
      Files.write(d.resolve("edited.pm"), raw.replace("\"alpha\" : 1.0", "\"alpha\" : 6.0")
          .getBytes(StandardCharsets.ISO_8859_1));
    };
  }

  @FunctionalInterface
  interface Setup {
    void in(Path dir) throws IOException;
  }

  static final Setup NONE = d -> { };

  static Setup file(String name, String content) {
    return d -> Files.writeString(d.resolve(name), content);
  }

  static Setup bytes(String name, byte[] content) {
    return d -> Files.write(d.resolve(name), content);
  }

  static Setup model() {
    return d -> run(d, "fit", "histogram", "--data", "builtin:outfits?rows=500", "--out",
        "DIR/m.pm");
  }

  /** A saved model whose model.json is edited: {@code find} becomes {@code replace}. */
  static Setup editedModel(String find, String replace) {
    return d -> {
      model().in(d);
      rewrite(d, json -> {
        assertThat(json).contains(find);
        return json.replace(find, replace);
      }, null);
    };
  }

  /** A sparse histogram whose keys blob is edited (null: removed). */
  static Setup modelWithBlob(java.util.function.UnaryOperator<byte[]> edit) {
    return d -> {
      run(d, "fit", "histogram", "--data", "builtin:outfits?rows=500", "--set",
          "storage=sparse", "--out", "DIR/m.pm");
      rewrite(d, json -> json, edit);
    };
  }

  /** A small GAN fitted on ring8 (a few seconds), saved as m.pm. */
  static Setup ganModel() {
    return d -> run(d, "fit", "gan", "--data", "builtin:ring8?rows=200", "--set", "epochs=1",
        "--set", "latent=2", "--set", "hidden=8", "--set", "batch=100", "--threads", "1",
        "--out", "DIR/m.pm");
  }

  /** A small GAN whose generator tensor {@code tensor} is removed from the file. */
  static Setup ganModelWithout(String tensor) {
    return d -> {
      ganModel().in(d);
      rewrite(d, json -> json, null, name -> name.equals("blobs/" + tensor + ".bin"));
    };
  }

  /** A small vae whose network blobs are removed from the model file. */
  static Setup vaeWithoutBlobs() {
    return d -> {
      run(d, "fit", "vae", "--data", "builtin:cans?rows=64", "--set", "epochs=1", "--set",
          "hidden=16", "--threads", "1", "--out", "DIR/m.pm");
      rewrite(d, json -> json, null, name -> name.startsWith("blobs/"));
    };
  }

  static void rewrite(Path d, java.util.function.UnaryOperator<String> json,
      java.util.function.UnaryOperator<byte[]> keysBlob) throws IOException {
    rewrite(d, json, keysBlob, name -> false);
  }

  /**
   * Copies m.pm to edited.pm, editing model.json, applying {@code keysBlob} to the keys blob
   * (null: removed), and leaving out the entries {@code drop} names.
   */
  static void rewrite(Path d, java.util.function.UnaryOperator<String> json,
      java.util.function.UnaryOperator<byte[]> keysBlob,
      java.util.function.Predicate<String> drop) throws IOException {
    Path p = d.resolve("m.pm");
    Path q = d.resolve("edited.pm");
    try (ZipFile in = new ZipFile(p.toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(q))) {
      var entries = in.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (drop.test(e.getName())) {
          continue;
        }
        byte[] b = in.getInputStream(e).readAllBytes();
        if (e.getName().equals("model.json")) {
          b = json.apply(new String(b, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }
        if (e.getName().equals("blobs/keys.bin") && keysBlob != null) {
          b = keysBlob.apply(b);
          if (b == null) {
            continue;
          }
        }
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(b);
        out.closeEntry();
      }
    }
  }

  static final String OUTFITS_HEADER =
      "accessories,clothing_color,clothing_type,hair_color,hair_type\n";

  static final List<Case> CASES = List.of(
      new Case("CSV files", "a row with a missing column",
          file("data.csv", "a,b,c\n1,2,3\n4,5\n"), 2,
          "fit", "histogram", "--data", "DIR/data.csv", "--out", "DIR/m.pm"),
      new Case("CSV files", "a level the model has never heard of",
          d -> {
            model().in(d);
            Files.writeString(d.resolve("data.csv"),
                OUTFITS_HEADER + "Blank,Black,Hoodie,Purple,NoHair\n");
          }, 2, "score", "--model", "DIR/m.pm", "--data", "DIR/data.csv"),
      new Case("CSV files", "a column the model needs is absent",
          d -> {
            model().in(d);
            Files.writeString(d.resolve("data.csv"), "accessories,hair\nBlank,Red\n");
          }, 2, "score", "--model", "DIR/m.pm", "--data", "DIR/data.csv"),
      new Case("CSV files", "NaN or infinity in a continuous column",
          file("data.csv", "x,y\n1,a\nNaN,b\n"), 2,
          "fit", "histogram", "--data", "DIR/data.csv", "--continuous", "x", "--out",
          "DIR/m.pm"),
      new Case("CSV files", "text in a continuous column",
          file("data.csv", "x,y\n1,a\nten,b\n"), 2,
          "fit", "histogram", "--data", "DIR/data.csv", "--continuous", "x", "--out",
          "DIR/m.pm"),
      new Case("CSV files", "an unclosed quote", file("data.csv", "a,b\n1,\"2\n"), 2,
          "fit", "naive-bayes", "--data", "DIR/data.csv", "--out", "DIR/m.pm"),
      new Case("CSV files", "an empty cell", file("data.csv", "a,b\n1,\n"), 2,
          "fit", "naive-bayes", "--data", "DIR/data.csv", "--out", "DIR/m.pm"),
      new Case("CSV files", "an empty file", file("data.csv", ""), 2,
          "fit", "naive-bayes", "--data", "DIR/data.csv", "--out", "DIR/m.pm"),
      new Case("CSV files", "a header and no rows", file("data.csv", "a,b\n"), 2,
          "fit", "naive-bayes", "--data", "DIR/data.csv", "--out", "DIR/m.pm"),
      new Case("CSV files", "a column name twice", file("data.csv", "a,a\n1,2\n"), 2,
          "fit", "naive-bayes", "--data", "DIR/data.csv", "--out", "DIR/m.pm"),
      new Case("CSV files", "bytes that are not UTF-8 (here Latin-1)",
          bytes("data.csv", "a,b\nx,1\ny,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1)), 2,
          "fit", "naive-bayes", "--data", "DIR/data.csv", "--out", "DIR/m.pm"),
      new Case("CSV files", "a schema file that never ends", NONE, 2,
          "fit", "naive-bayes", "--data", "builtin:outfits", "--schema", "/dev/zero", "--out",
          "DIR/m.pm"),
      new Case("IDX files", "a truncated file (the header promises more)",
          bytes("images-idx3-ubyte", new byte[] {0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0,
              28, 1, 2, 3}), 2,
          "fit", "naive-bayes", "--data", "DIR/images-idx3-ubyte", "--out", "DIR/m.pm"),
      new Case("IDX files", "values that are not unsigned bytes",
          bytes("floats-idx", new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0}), 2,
          "fit", "naive-bayes", "--data", "DIR/floats-idx", "--out", "DIR/m.pm"),
      new Case("Model files", "not a model file at all", file("m.pm", "hello"), 2,
          "inspect", "--model", "DIR/m.pm"),
      new Case("Model files", "a newer format version",
          editedModel("\"format_version\" : 1", "\"format_version\" : 2"), 2,
          "inspect", "--model", "DIR/edited.pm"),
      new Case("Model files", "a model of a provider that is not installed",
          editedModel("\"id\" : \"histogram\"", "\"id\" : \"transformer\""), 2,
          "inspect", "--model", "DIR/edited.pm"),
      new Case("Model files", "a missing parameter blob", modelWithBlob(b -> null), 2,
          "inspect", "--model", "DIR/edited.pm"),
      new Case("Model files", "a truncated parameter blob",
          modelWithBlob(b -> java.util.Arrays.copyOf(b, b.length / 2)), 2,
          "inspect", "--model", "DIR/edited.pm"),
      new Case("Model files", "a corrupt parameter blob", modelWithBlob(b -> {
        byte[] c = b.clone();
        c[c.length / 2] ^= 1;
        return c;
      }), 2, "inspect", "--model", "DIR/edited.pm"),
      new Case("Model files", "a file that does not exist", NONE, 2,
          "inspect", "--model", "DIR/none.pm"),
      new Case("Model files", "one flipped bit (alpha 1.0 to 6.0) in a stored entry",
          storedModelWithFlippedBit(), 2, "inspect", "--model", "DIR/edited.pm"),
      new Case("Models and hyperparameters", "a model that is not installed", NONE, 2,
          "fit", "transformer", "--data", "builtin:outfits", "--out", "DIR/m.pm"),
      new Case("Models and hyperparameters", "an unknown --set name", NONE, 2,
          "fit", "histogram", "--data", "builtin:outfits", "--set", "alfa=1", "--out",
          "DIR/m.pm"),
      new Case("Models and hyperparameters", "a negative smoothing alpha", NONE, 2,
          "fit", "naive-bayes", "--data", "builtin:outfits", "--set", "alpha=-1", "--out",
          "DIR/m.pm"),
      new Case("Models and hyperparameters", "a value of the wrong type", NONE, 2,
          "fit", "histogram", "--data", "builtin:outfits", "--set", "bins=many", "--out",
          "DIR/m.pm"),
      new Case("Models and hyperparameters", "a model that cannot model the data", NONE, 2,
          "fit", "histogram", "--data", "builtin:fashion-mnist-subset:train", "--set",
          "storage=dense", "--out", "DIR/m.pm"),
      new Case("Neural models", "a likelihood that does not fit the data", NONE, 2,
          "fit", "vae", "--data", "builtin:world?rows=100", "--set", "likelihood=logistic",
          "--out", "DIR/m.pm"),
      new Case("Neural models", "a convolutional VAE on a table", NONE, 2,
          "fit", "vae", "--data", "builtin:outfits?rows=100", "--set", "architecture=conv",
          "--out", "DIR/m.pm"),
      new Case("Neural models", "a latent dimension of 0", NONE, 2,
          "fit", "vae", "--data", "builtin:cans?rows=64", "--set", "latent=0", "--out",
          "DIR/m.pm"),
      new Case("Neural models", "a model file without its network", vaeWithoutBlobs(), 2,
          "sample", "--model", "DIR/edited.pm", "-n", "4", "--out", "DIR/s.png"),
      new Case("Neural models", "a latent map of a model without a latent space", model(), 2,
          "latent", "--model", "DIR/m.pm", "--grid", "5", "--out", "DIR/s.png"),
      new Case("Neural models", "an absurd GAN learning rate", NONE, 2,
          "fit", "gan", "--data", "builtin:ring8", "--set", "lr-d=5", "--out", "DIR/m.pm"),
      new Case("Neural models", "the GAN's convolutional pair on a table", NONE, 2,
          "fit", "gan", "--data", "builtin:ring8", "--set", "architecture=conv", "--out",
          "DIR/m.pm"),
      new Case("Neural models", "a GAN whose generator lost a weight tensor",
          ganModelWithout("g.fc0.weight"), 2, "inspect", "--model", "DIR/edited.pm"),
      new Case("Sampling", "a feature the model does not have", model(), 2,
          "sample", "--model", "DIR/m.pm", "-n", "5", "--given", "hair=Red", "--out",
          "DIR/s.csv"),
      new Case("Sampling", "a level the feature does not have", model(), 2,
          "sample", "--model", "DIR/m.pm", "-n", "5", "--given", "hair_color=Purple", "--out",
          "DIR/s.csv"),
      new Case("Sampling", "a condition of probability zero",
          d -> run(d, "fit", "histogram", "--data", "builtin:outfits?rows=50", "--set",
              "alpha=0", "--out", "DIR/m.pm"), 2,
          "sample", "--model", "DIR/m.pm", "-n", "5", "--given", "hair_color=SilverGray",
          "--given", "clothing_color=PastelGreen", "--given", "hair_type=NoHair", "--out",
          "DIR/s.csv"),
      new Case("Sampling", "no rows asked for", model(), 2,
          "sample", "--model", "DIR/m.pm", "-n", "0", "--out", "DIR/s.csv"),
      new Case("Sampling", "an output type pmodel cannot write", model(), 2,
          "sample", "--model", "DIR/m.pm", "-n", "5", "--out", "DIR/s.txt"),
      new Case("Sampling", "a picture of a table", model(), 2,
          "sample", "--model", "DIR/m.pm", "-n", "5", "--out", "DIR/s.png"),
      new Case("Scoring", "an implicit model (a GAN has no likelihood)", ganModel(), 2,
          "score", "--model", "DIR/m.pm", "--data", "builtin:ring8:test?rows=10"),
      new Case("Output", "a directory that does not exist", NONE, 2,
          "fit", "histogram", "--data", "builtin:outfits", "--out", "DIR/no/such/m.pm"),
      new Case("Output", "a symbolic link", d -> {
        Files.writeString(d.resolve("real.pm"), "x");
        Files.createSymbolicLink(d.resolve("link.pm"), d.resolve("real.pm"));
      }, 2, "fit", "histogram", "--data", "builtin:outfits", "--out", "DIR/link.pm"),
      new Case("Output", "the output is the input", file("data.csv", "a,b\nx,1\n"), 2,
          "fit", "naive-bayes", "--data", "DIR/data.csv", "--out", "DIR/data.csv"),
      new Case("Output", "a file name longer than file systems allow", NONE, 2,
          "fit", "histogram", "--data", "builtin:outfits", "--out",
          "DIR/" + "m".repeat(297) + ".pm"),
      new Case("Built-in data", "an unknown data set", NONE, 2,
          "fit", "histogram", "--data", "builtin:outfitz", "--out", "DIR/m.pm"),
      new Case("Built-in data", "an option out of range", NONE, 2,
          "fit", "histogram", "--data", "builtin:outfits?rows=0", "--out", "DIR/m.pm"),
      new Case("Built-in data", "an unknown option", NONE, 2,
          "fit", "histogram", "--data", "builtin:outfits?colour=red", "--out", "DIR/m.pm"),
      new Case("Built-in data", "a malformed %-escape", NONE, 2,
          "fit", "histogram", "--data", "builtin:ring8?rows=%zz", "--out", "DIR/m.pm"),
      new Case("Built-in data", "PMODEL_FASHION_MNIST_DIR names a missing folder", NONE, 2,
          java.util.Map.of("PMODEL_FASHION_MNIST_DIR", "/no/such/folder"),
          "fit", "naive-bayes", "--data", "builtin:fashion-mnist:test", "--out", "DIR/m.pm"),
      new Case("Built-in data", "a file that does not exist", NONE, 2,
          "fit", "histogram", "--data", "DIR/none.csv", "--out", "DIR/m.pm"),
      new Case("Evaluation", "train and test of different schemas", NONE, 2,
          "evaluate", "--train", "builtin:outfits?rows=100", "--test", "builtin:world:test",
          "--models", "histogram"),
      new Case("Evaluation", "no samples asked for", NONE, 2,
          "evaluate", "--train", "builtin:outfits?rows=100", "--test",
          "builtin:outfits:test?rows=100", "--models", "histogram", "--samples", "0"),
      new Case("Evaluation", "an empty model list", NONE, 2,
          "evaluate", "--train", "builtin:outfits?rows=100", "--test",
          "builtin:outfits:test?rows=100", "--models", ","),
      new Case("Usage", "a required option missing", NONE, 2,
          "fit", "histogram", "--data", "builtin:outfits"),
      new Case("Usage", "an unknown command", NONE, 2, "frobnicate"),
      new Case("Usage", "zero threads", NONE, 2,
          "fit", "histogram", "--data", "builtin:outfits", "--threads", "0", "--out",
          "DIR/m.pm"));

  static String[] expand(Path d, String[] args) {
    String[] out = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = args[i].replace("DIR", d.toString());
    }
    return out;
  }

  static String run(Path d, String... args) {
    StringWriter err = new StringWriter();
    int code = Main.run(expand(d, args), new PrintWriter(new StringWriter()),
        new PrintWriter(err, true));
    if (code != 0) {
      throw new AssertionError("setup failed: " + err);
    }
    return err.toString();
  }

  static String row(Case c, String message) {
    StringBuilder env = new StringBuilder();
    c.env().forEach((k, v) -> env.append(k).append('=').append(v).append(' '));
    return "| " + c.situation() + " | `" + env + "pmodel " + String.join(" ", c.args())
        .replace("|", "\\|")
        + "` | `" + message.replace("|", "\\|") + "` | " + c.exit() + " |";
  }

  @Test
  void everyCatalogueEntryIsTheMessageUsersGet() throws Exception {
    List<String> rows = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    for (Case c : CASES) {
      Path d = Files.createTempDirectory(dir, "case");
      c.setup().in(d);
      CliProcess.Result r = CliProcess.run(d, 120, c.env(), List.of(), expand(d, c.args()));
      String text = r.err().strip();
      int code = r.exit();
      assertThat(code).as(c.situation() + ": " + text).isEqualTo(c.exit());
      assertThat(text.lines().count()).as(c.situation() + ": " + text).isEqualTo(1);
      assertThat(text).as(c.situation()).startsWith("pmodel: ").doesNotContain("Exception");
      // nothing half-written: no output file and no temporary file in the case's directory
      try (var files = Files.list(d)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .as(c.situation()).noneMatch(n -> n.contains("pmodel-tmp") || n.equals("s.csv")
                || n.equals("s.txt") || n.equals("s.png"));
      }
      if (!groups.contains(c.group())) {
        groups.add(c.group());
      }
      rows.add(c.group() + "\t" + row(c, text.replace(d.toString(), "DIR")));
    }
    if (Boolean.getBoolean("pmodel.errors.write")) {
      write(groups, rows);
      return;
    }
    String doc = Files.readString(DOC);
    for (String r : rows) {
      assertThat(doc).as("docs/errors.md is out of date (run this test with"
          + " -Dpmodel.errors.write=true to rewrite it)").contains(r.substring(r.indexOf('\t')
          + 1));
    }
  }

  static void write(List<String> groups, List<String> rows) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# Errors\n\n");
    sb.append("What pmodel says when its input is bad, exactly. Every row below is produced by"
        + " running the command\n(`cli/src/test/java/pmodel/cli/ErrorCatalogueIT.java`; DIR"
        + " is a scratch directory), so the\ncatalogue cannot drift from the code.\n\n");
    sb.append("Exit codes: **0** success, **1** a failure while running (an I/O error, a bug:"
        + " `pmodel: internal error: ...`),\n**2** bad usage or bad input. Errors are one line"
        + " on standard error; `--debug` adds the Java stack\ntrace. Nothing is half-written:"
        + " outputs are replaced atomically, and a failed command leaves no output.\n"
        + "The Spark launcher's messages are in [errors-spark.md](errors-spark.md).\n");
    for (String g : groups) {
      sb.append("\n## ").append(g).append("\n\n");
      sb.append("| situation | command | message | exit |\n|---|---|---|---|\n");
      for (String r : rows) {
        if (r.startsWith(g + "\t")) {
          sb.append(r.substring(g.length() + 1)).append('\n');
        }
      }
    }
    Files.writeString(DOC, sb.toString());
  }
}
