package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Model files users already have keep working: the files in {@code src/test/compat/v1} were
 * written by an earlier pmodel (how, in that directory's README.md), beside what that pmodel
 * printed for them. Today's pmodel must load each one and, through the same commands, reproduce
 * those outputs: the same samples and scores for the exact models, and the same figures up to
 * float rounding for the neural ones.
 */
class ModelFileCompatibilityTest extends CommandLineTestBase {
  static final Path V1 = Path.of("src", "test", "compat", "v1");

  private Path model(String name) throws IOException {
    Path p = file(name + ".pm");
    Files.copy(V1.resolve(name + ".pm"), p);
    Result inspect = run("inspect", "--model", p.toString());
    assertThat(inspect.exit()).as(name + ": " + inspect.err()).isZero();
    return p;
  }

  private void runs(String... args) {
    Result r = run(args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
  }

  private static List<String> lines(Path p) throws IOException {
    return Files.readAllLines(p);
  }

  /**
   * Per-row log-probabilities against the recorded ones, within {@code relative} of each. The
   * header and the row numbers must match exactly.
   */
  private void sameScores(String name, String data, double relative, String... extra)
      throws IOException {
    Path m = model(name);
    String[] args = new String[] {"score", "--model", m.toString(), "--data", data,
        "--per-row", file(name + "-scores.csv").toString()};
    runs(concat(args, extra));
    List<String> want = lines(V1.resolve(name + "-scores.csv"));
    List<String> got = lines(file(name + "-scores.csv"));
    assertThat(got).hasSameSizeAs(want);
    assertThat(got.get(0)).isEqualTo(want.get(0));
    for (int i = 1; i < want.size(); i++) {
      String[] w = want.get(i).split(",");
      String[] g = got.get(i).split(",");
      assertThat(g[0]).isEqualTo(w[0]);
      double expected = Double.parseDouble(w[1]);
      assertThat(Double.parseDouble(g[1])).as(name + " row " + w[0])
          .isCloseTo(expected, within(relative * Math.abs(expected)));
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** {@code pmodel sample --model NAME.pm -n N --seed 4 EXTRA... --out OUTPUT}, as recorded. */
  private Path sample(String name, String output, int n, String... extra) {
    List<String> args = new ArrayList<>(List.of("sample", "--model",
        file(name + ".pm").toString(), "-n", Integer.toString(n), "--seed", "4"));
    args.addAll(List.of(extra));
    args.addAll(List.of("--out", file(output).toString()));
    runs(args.toArray(String[]::new));
    return file(output);
  }

  /** {@code pmodel interpolate --model NAME.pm --pairs P --steps S --out OUTPUT}. */
  private Path interpolate(String name, String output, int pairs, int steps) {
    runs("interpolate", "--model", file(name + ".pm").toString(), "--pairs",
        Integer.toString(pairs), "--steps", Integer.toString(steps), "--out",
        file(output).toString());
    return file(output);
  }

  private void sameSamples(String name, String output, int n, String... extra)
      throws IOException {
    assertThat(lines(sample(name, output, n, extra))).as(name)
        .isEqualTo(lines(V1.resolve(output)));
  }

  // Exact models. Their log-probabilities are logs of the same counts, so the only freedom is
  // Math.log's (and the sum's) last bit: 1e-12 relative is a thousand ulps. Their samples come
  // from integer and double arithmetic on the seed's stream: identical text.

  @Test
  void denseHistogram() throws IOException {
    sameScores("histogram-dense", "builtin:outfits:test?rows=200&seed=2", 1e-12);
    sameSamples("histogram-dense", "histogram-dense-samples.csv", 50);
    sameSamples("histogram-dense", "histogram-dense-given.csv", 20, "--given", "hair_color=Red");
  }

  @Test
  void sparseHistogram() throws IOException {
    sameScores("histogram-sparse", "builtin:outfits:test?rows=200&seed=2", 1e-12);
    sameSamples("histogram-sparse", "histogram-sparse-samples.csv", 50);
  }

  @Test
  void histogramOfContinuousFeatures() throws IOException {
    sameScores("histogram-world", "builtin:world:test?rows=200&seed=2", 1e-12);
    sameSamples("histogram-world", "histogram-world-samples.csv", 50);
  }

  @Test
  void naiveBayes() throws IOException {
    sameScores("naive-bayes", "builtin:outfits:test?rows=200&seed=2", 1e-12);
    sameSamples("naive-bayes", "naive-bayes-samples.csv", 50);
  }

  /**
   * The VAE's bound is a float32 network's output summed over 1024 pixels; another CPU's kernels
   * or another split over threads may round differently. The worst-case relative error of a
   * float32 sum of n terms is about n·2⁻²⁴ = 1024 × 6e-8 = 6e-5, so 1e-4 relative. A decoded
   * mean image is rounded to levels: a pixel whose mean lies at a rounding boundary may land one
   * level off; any more, or more than 1% of such pixels, is a real change.
   */
  @Test
  void vae() throws IOException {
    sameScores("vae", "builtin:cans:test?rows=50&seed=2", 1e-4, "--seed", "5");
    assertCloseTable(interpolate("vae", "vae-path.csv", 1, 3), V1.resolve("vae-path.csv"), 1,
        0.01);
  }

  /** The convolutional VAE, with the tolerances of {@link #vae()}. */
  @Test
  void convolutionalVae() throws IOException {
    sameScores("vae-conv", "builtin:cans:test?rows=50&seed=2", 1e-4, "--seed", "5");
    assertCloseTable(interpolate("vae-conv", "vae-conv-path.csv", 1, 3),
        V1.resolve("vae-conv-path.csv"), 1, 0.01);
  }

  /**
   * The GAN samples in Java, in a fixed order of float operations, but through Math.tanh and
   * Math.exp, which may differ in the last bit between JDKs: coordinates of about 2 in
   * float32 (ulp 2.4e-7), a few layers deep, stay within 1e-4.
   */
  @Test
  void gan() throws IOException {
    model("gan");
    assertCloseTable(sample("gan", "gan-samples.csv", 50), V1.resolve("gan-samples.csv"), 1e-4,
        0);
    assertCloseTable(interpolate("gan", "gan-path.csv", 2, 4), V1.resolve("gan-path.csv"), 1e-4,
        0);
  }

  /**
   * The convolutional generator's images, rounded to levels like the VAE's means: at most one
   * level off, in at most 1% of the pixels (see {@link #vae()}).
   */
  @Test
  void convolutionalGan() throws IOException {
    model("gan-conv");
    assertCloseTable(sample("gan-conv", "gan-conv-samples.csv", 8),
        V1.resolve("gan-conv-samples.csv"), 1, 0.01);
  }

  /**
   * Same header and shape; every value within {@code tolerance} of the recorded one, and at most
   * a {@code differing} fraction of values not exactly equal.
   */
  private static void assertCloseTable(Path got, Path want, double tolerance, double differing)
      throws IOException {
    List<String> g = lines(got);
    List<String> w = lines(want);
    assertThat(g).hasSameSizeAs(w);
    assertThat(g.get(0)).isEqualTo(w.get(0));
    long values = 0;
    long unequal = 0;
    for (int i = 1; i < w.size(); i++) {
      String[] a = g.get(i).split(",");
      String[] b = w.get(i).split(",");
      assertThat(a).hasSameSizeAs(b);
      for (int j = 0; j < b.length; j++) {
        double x = Double.parseDouble(a[j]);
        double y = Double.parseDouble(b[j]);
        assertThat(x).as(got.getFileName() + " line " + (i + 1) + " column " + (j + 1))
            .isCloseTo(y, within(tolerance));
        values++;
        unequal += x == y ? 0 : 1;
      }
    }
    if (differing == 0) {
      return;
    }
    assertThat((double) unequal / values).as(got.getFileName() + ": values not equal")
        .isLessThanOrEqualTo(differing);
  }
}
