package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The vae through the command line: fit, sample, score (bound and importance-weighted), latent. */
class VaeCliTest extends CommandLineTestBase {
  @Test
  void fitSampleScoreAndLatentPictures() throws IOException {
    Result fit = run("fit", "vae", "--data", "builtin:cans?rows=400&seed=1", "--set", "epochs=2",
        "--set", "hidden=32", "--threads", "1", "--out", "@cans.pm");
    assertThat(fit.exit()).as(fit.err()).isZero();
    assertThat(fit.err()).contains("epoch 1/2").contains("loss=").contains("kl=");

    Result sample = run("sample", "--model", "@cans.pm", "-n", "16", "--out", "@s.png");
    assertThat(sample.exit()).as(sample.err()).isZero();

    Result bound = run("score", "--model", "@cans.pm", "--data",
        "builtin:cans:test?rows=50&seed=1", "--json");
    assertThat(bound.exit()).as(bound.err()).isZero();
    JsonNode b = JsonOut.parse(bound.out());
    assertThat(b.get("kind").asText()).isEqualTo("bound");
    assertThat(b.get("estimate").asText()).isEqualTo("elbo");
    Result iw = run("score", "--model", "@cans.pm", "--data",
        "builtin:cans:test?rows=50&seed=1", "--json", "--iw", "20");
    assertThat(iw.exit()).as(iw.err()).isZero();
    JsonNode w = JsonOut.parse(iw.out());
    assertThat(w.get("estimate").asText()).isEqualTo("importance-weighted");
    assertThat(w.get("k").asInt()).isEqualTo(20);
    assertThat(w.get("nll_nats_per_row").asDouble()).isFinite();

    Result map = run("latent", "--model", "@cans.pm", "--data", "builtin:cans:test?rows=200",
        "--out", "@map.png");
    assertThat(map.exit()).as(map.err()).isZero();
    BufferedImage img = ImageIO.read(dir.resolve("map.png").toFile());
    assertThat(img.getWidth()).isEqualTo(LatentCommand.SIZE);

    Result grid = run("latent", "--model", "@cans.pm", "--grid", "5", "--out", "@grid.png");
    assertThat(grid.exit()).as(grid.err()).isZero();
    BufferedImage g = ImageIO.read(dir.resolve("grid.png").toFile());
    assertThat(g.getWidth()).isEqualTo(5 * (32 * 2 + 2) + 2);

    Result both = run("latent", "--model", "@cans.pm", "--grid", "5", "--data", "x",
        "--out", "@x.png");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("either --data");
  }

  @Test
  void latentRefusesModelsWithoutALatentSpaceAndIwRefusesExactOnes() {
    assertThat(run("fit", "naive-bayes", "--data", "builtin:cans?rows=50", "--out", "@nb.pm")
        .exit()).isZero();
    Result r = run("latent", "--model", "@nb.pm", "--grid", "4", "--out", "@g.png");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("has no latent space");
    Result s = run("score", "--model", "@nb.pm", "--data", "builtin:cans?rows=5", "--iw");
    assertThat(s.exit()).isEqualTo(2);
    assertThat(s.err()).contains("computes it exactly");
  }

  @Test
  void normalQuantileMatchesKnownValues() {
    assertThat(LatentCommand.normalQuantile(0.5)).isCloseTo(0, org.assertj.core.data.Offset
        .offset(1e-9));
    assertThat(LatentCommand.normalQuantile(0.95)).isCloseTo(1.6448536, org.assertj.core.data
        .Offset.offset(1e-6));
    assertThat(LatentCommand.normalQuantile(0.01)).isCloseTo(-2.3263479, org.assertj.core.data
        .Offset.offset(1e-6));
  }
}
