package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.data.io.IdxData;

/** The gan through the command line: fit, sample, interpolate, and what it refuses. */
class GanCliTest extends CommandLineTestBase {
  private static final String[] FAST = {"--set", "epochs=2", "--set", "latent=3", "--set",
      "hidden=16,16", "--set", "channels=4", "--set", "batch=50"};

  private Result fit(String data, String out) {
    List<String> a = new ArrayList<>(List.of("fit", "gan", "--data", data, "--seed", "4",
        "--threads", "1", "--out", out));
    a.addAll(List.of(FAST));
    return run(a.toArray(String[]::new));
  }

  @Test
  void aTableGanSamplesInterpolatesAndHasNoScore() throws Exception {
    Result f = fit("builtin:ring8?rows=400&seed=1", "@ring.pm");
    assertThat(f.exit()).as(f.err()).isZero();
    assertThat(f.err()).contains("critic_loss=", "generator_loss=");
    assertThat(run("sample", "--model", "@ring.pm", "-n", "20", "--out", "@s.csv").exit())
        .isZero();
    assertThat(Files.readAllLines(dir.resolve("s.csv"))).hasSize(21).first().isEqualTo("x,y");
    Result i = run("interpolate", "--model", "@ring.pm", "--pairs", "3", "--steps", "4",
        "--out", "@i.csv");
    assertThat(i.exit()).as(i.err()).isZero();
    assertThat(i.out()).contains("wrote 3 paths of 4 decoded points");
    assertThat(Files.readAllLines(dir.resolve("i.csv"))).hasSize(13);
    Result png = run("interpolate", "--model", "@ring.pm", "--out", "@i.png");
    assertThat(png.exit()).isEqualTo(2);
    assertThat(png.err()).contains("a PNG grid needs an image model");
    Result score = run("score", "--model", "@ring.pm", "--data", "builtin:ring8:test?rows=10");
    assertThat(score.exit()).isEqualTo(2);
    assertThat(score.err()).contains("no likelihood");
    // evaluate fits it beside an explicit model and says in words that it has no likelihood
    Result eval = run("evaluate", "--train", "builtin:ring8?rows=400&seed=1", "--test",
        "builtin:ring8:test?rows=200", "--models", "gan,histogram", "--set", "gan.epochs=1",
        "--set", "gan.latent=3", "--set", "gan.hidden=16", "--set", "gan.batch=50",
        "--samples", "200", "--threads", "1");
    assertThat(eval.exit()).as(eval.err()).isZero();
    assertThat(eval.out()).contains("none*").contains("* gan: " + Report.NO_LIKELIHOOD);
    Result inspect = run("inspect", "--model", "@ring.pm");
    assertThat(inspect.exit()).isZero();
    assertThat(inspect.out()).contains("implicit", "MLP generator 3-16-16-2");
  }

  @Test
  void anImageGanDrawsAPngGridAndAnInterpolationPicture() throws Exception {
    Schema s = Schema.image(8, 8, 4);
    Dataset.Builder b = Dataset.builder(s);
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < 200; i++) {
      int[] codes = new int[64];
      int bar = r.nextInt(8);
      for (int p = 0; p < 64; p++) {
        codes[p] = p % 8 == bar ? 3 : 0;
      }
      b.add(codes, null);
    }
    IdxData.write(dir.resolve("bars-idx3-ubyte"), b.build());
    Result f = fit("@bars-idx3-ubyte", "@bars.pm");
    assertThat(f.exit()).as(f.err()).isZero();
    Result g = run("sample", "--model", "@bars.pm", "-n", "64", "--out", "@grid.png");
    assertThat(g.exit()).as(g.err()).isZero();
    assertPng("grid.png", 8 * 8 * 2 + 9 * 2);
    Result i = run("interpolate", "--model", "@bars.pm", "--pairs", "2", "--steps", "5",
        "--out", "@path.png");
    assertThat(i.exit()).as(i.err()).isZero();
    assertPng("path.png", 5 * 8 * 2 + 6 * 2);
  }

  /** A PNG file whose width is at least {@code minWidth} pixels (its IHDR header). */
  private void assertPng(String name, int minWidth) throws java.io.IOException {
    byte[] b = Files.readAllBytes(dir.resolve(name));
    assertThat(b.length).isGreaterThan(33);
    assertThat(new String(b, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
    int width = java.nio.ByteBuffer.wrap(b, 16, 4).getInt();
    assertThat(width).isGreaterThanOrEqualTo(minWidth / 2);
  }

  @Test
  void interpolateWalksAnyLatentDecoderTheVaeToo() throws Exception {
    Result fit = run("fit", "vae", "--data", "builtin:cans?rows=200&seed=1", "--set", "epochs=1",
        "--set", "hidden=16", "--threads", "1", "--out", "@cans.pm");
    assertThat(fit.exit()).as(fit.err()).isZero();
    Result i = run("interpolate", "--model", "@cans.pm", "--pairs", "2", "--steps", "3",
        "--out", "@cans-path.png");
    assertThat(i.exit()).as(i.err()).isZero();
    assertPng("cans-path.png", 3 * 32 * 2);
  }

  @Test
  void interpolateRefusesModelsWithoutALatentDecoderAndBadCounts() {
    assertThat(run("fit", "histogram", "--data", "builtin:outfits?rows=100", "--out", "@h.pm")
        .exit()).isZero();
    Result r = run("interpolate", "--model", "@h.pm", "--out", "@x.csv");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("'histogram' has no latent space to walk");
    Result steps = run("interpolate", "--model", "@h.pm", "--steps", "1", "--out", "@x.csv");
    assertThat(steps.err()).contains("--steps 1 is out of range; expected 2..64");
    assertThat(Files.exists(dir.resolve("x.csv"))).isFalse();
  }

  @Test
  void slerpPathsEndAtTheirEndPointsAndKeepTheirNorm() {
    double[] z = InterpolateCommand.paths(1, 5, 64, 3);
    double na = norm(z, 0, 64);
    double nb = norm(z, 4 * 64, 64);
    double mid = norm(z, 2 * 64, 64);
    // the norm along a great-circle path between two points of near-equal norm stays between
    // them (up to the small difference of the two norms), never sinking towards the middle of
    // the chord (which would be about na/√2 for nearly orthogonal 64-D Gaussian points)
    assertThat(mid).isBetween(Math.min(na, nb) * 0.97, Math.max(na, nb) * 1.03);
  }

  private static double norm(double[] z, int from, int n) {
    double s = 0;
    for (int i = from; i < from + n; i++) {
      s += z[i] * z[i];
    }
    return Math.sqrt(s);
  }
}
