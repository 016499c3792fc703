package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The HTML report, loaded in headless Chromium (Debian's chromium package, which .ci/run
 * installs): the rendered page holds the results table and every picture decoded. Without
 * Chromium the test is skipped, unless PMODEL_REQUIRE_DATA is set, as CI sets it.
 */
class ReportRenderTest extends CommandLineTestBase {
  static Path chromium() {
    for (String name : new String[] {"chromium", "chromium-browser"}) {
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    if (System.getenv("PMODEL_REQUIRE_DATA") != null) {
      throw new AssertionError("chromium is required (PMODEL_REQUIRE_DATA is set) but is not on"
          + " the PATH; apt-get install chromium");
    }
    Assumptions.assumeTrue(false, "chromium not installed (apt-get install chromium)");
    return null;
  }

  /** Runs headless Chromium on a local file with a fresh profile and no network use. */
  String chromium(Path chromium, Path html, String... mode) throws IOException,
      InterruptedException {
    Path profile = Files.createTempDirectory(dir, "profile");
    List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
        "--virtual-time-budget=5000", "--window-size=1280,1600"));
    cmd.addAll(List.of(mode));
    cmd.add(html.toUri().toString());
    Path stdout = dir.resolve("chromium.out");
    Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
        .redirectError(dir.resolve("chromium.err").toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s");
    }
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("chromium.err"))).isZero();
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  static int attribute(String dom, String name) {
    Matcher m = Pattern.compile(name + "=\"(\\d+)\"").matcher(dom);
    assertThat(m.find()).as(name + " in the rendered page").isTrue();
    return Integer.parseInt(m.group(1));
  }

  @Test
  void reportsOfTablesAndImagesRenderWithEveryPicture() throws Exception {
    Path chromium = chromium();
    Result t = run("evaluate", "--train", "builtin:world?rows=3000", "--test",
        "builtin:world:test?rows=1000", "--models", "histogram",
        "--samples", "500", "--report", "@world.html");
    assertThat(t.exit()).as(t.err()).isZero();
    Result i = run("evaluate", "--train", "builtin:fashion-mnist-subset:train?rows=500",
        "--test", "builtin:fashion-mnist-subset:test?rows=100", "--models",
        "naive-bayes,implicit-test", "--samples", "64", "--report", "@fashion.html");
    assertThat(i.exit()).as(i.err()).isZero();
    for (String name : new String[] {"world.html", "fashion.html"}) {
      String source = Files.readString(file(name));
      // self-contained: nothing is fetched from anywhere
      assertThat(source).doesNotContainPattern("(src|href)=\"(?!data:)");
      assertThat(source).doesNotContain("http:").doesNotContain("https:");
      String dom = chromium(chromium, file(name), "--dump-dom");
      String model = name.startsWith("world") ? "histogram" : "naive-bayes";
      assertThat(dom).contains("<h2>Results</h2>").contains("<td class=\"l\">" + model + "</td>");
      int images = attribute(dom, "data-images");
      assertThat(images).isPositive();
      assertThat(attribute(dom, "data-rendered")).isEqualTo(images);
    }
    String fashion = chromium(chromium, file("fashion.html"), "--dump-dom");
    assertThat(fashion).contains("implicit-test").contains("no likelihood")
        .contains("Samples (left) next to held-out images (right)");
    String world = chromium(chromium, file("world.html"), "--dump-dom");
    assertThat(world).contains("Marginals of every feature").contains("<svg")
        .contains("lon: TV histogram").contains("lat: TV histogram");

    // a screenshot shows a page with content: dark text and pictures on a white page
    chromium(chromium, file("world.html"), "--screenshot=" + file("world.png"));
    BufferedImage shot = ImageIO.read(file("world.png").toFile());
    assertThat(shot.getWidth()).isEqualTo(1280);
    int dark = 0;
    int white = 0;
    for (int y = 0; y < shot.getHeight(); y += 2) {
      for (int x = 0; x < shot.getWidth(); x += 2) {
        int rgb = shot.getRGB(x, y) & 0xFFFFFF;
        dark += (rgb >> 16) < 64 && (rgb & 0xFF) < 64 ? 1 : 0;
        white += rgb == 0xFFFFFF ? 1 : 0;
      }
    }
    assertThat(dark).isGreaterThan(1000);
    assertThat(white).isGreaterThan(dark);
  }
}
