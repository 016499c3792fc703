package pmodel.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pmodel.api.GenerativeModel;
import pmodel.runtime.ModelRegistry;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Cans;
import pmodel.api.data.Dataset;
import pmodel.runtime.ModelFiles;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;

/** Trains tiny VAEs on small data and checks what a VAE promises. */
class VaeModelTest {
  static final VaeProvider PROVIDER = new VaeProvider();
  static final Dataset CANS = Cans.sample(1200, 3, 0);
  static final Dataset CANS_TEST = Cans.sample(300, 3, 1);
  /** A small fitted model shared by the tests that only read it. */
  static VaeModel small;
  static List<Double> smallLoss = new ArrayList<>();

  static Parameters params(Map<String, String> given) {
    return Parameters.parse("vae", PROVIDER.parameters(), given);
  }

  /**
   * Fits on one PyTorch thread: these networks are too small to gain from two, and on a machine
   * shared with other jobs two OpenMP threads can be many times slower than one.
   */
  static VaeModel fit(Dataset data, Map<String, String> given, long seed, List<Double> loss) {
    return (VaeModel) PROVIDER.fit(data, params(given), new FitContext(seed, 1,
        p -> loss.add(p.metrics().get("loss")), null));
  }

  static final Map<String, String> SMALL = Map.of("architecture", "mlp", "hidden", "64,32", "epochs", "4",
      "batch", "64");

  @BeforeAll
  static void fitSmall() {
    small = fit(CANS, SMALL, 11, smallLoss);
  }

  @Test
  void lossFallsAndProgressIsReportedPerEpoch() {
    assertThat(smallLoss).hasSize(4);
    // Epoch 1 starts from random weights (about 8 bits/dim = 5700 nats per 32x32 image); by
    // epoch 4 the decoder has the background and the can's outline: the loss falls by far more
    // than the epoch-to-epoch noise of a minibatch average (a few nats).
    assertThat(smallLoss.get(3)).isLessThan(smallLoss.get(0) - 200);
    assertThat(small.describe(10)).hasSize(5).first().asString().contains("MLP 1024-64-32-2");
  }

  @Test
  void sameSeedSameParametersAndForcedGcChangesNothing() {
    VaeModel again = fit(CANS, SMALL, 11, new ArrayList<>());
    assertThat(again.network().values).isDeepEqualTo(small.network().values);
    VaeModel other = fit(CANS, SMALL, 12, new ArrayList<>());
    assertThat(other.network().values[0]).isNotEqualTo(small.network().values[0]);
    // The DJL bug (docs/internals.md, "DJL's freed scalars"): a scalar freed before backward corrupts gradients
    // when the garbage collector runs in between. Forcing a collection at that moment in
    // every step must leave the result bit for bit unchanged, and the loss must still fall.
    Training.betweenForwardAndBackward = System::gc;
    List<Double> loss = new ArrayList<>();
    VaeModel gc;
    try {
      gc = fit(CANS, SMALL, 11, loss);
    } finally {
      Training.betweenForwardAndBackward = null;
    }
    assertThat(loss).isEqualTo(smallLoss);
    assertThat(gc.network().values).isDeepEqualTo(small.network().values);
  }

  @Test
  void importanceWeightedEstimateIsAtLeastTheElboUpToMonteCarloError() {
    int n = CANS_TEST.rows();
    double[] elbo = new double[n];
    double[] iw = new double[n];
    small.lowerBounds(CANS_TEST, elbo, 5);
    small.importanceWeighted(CANS_TEST, 50, iw, 6);
    // E[IW_k] >= E[ELBO] for every row (Burda et al. 2016, theorem 1). The two estimates use
    // independent seeds, so the paired differences d_i are independent across rows; their mean
    // is >= 0 in expectation, and a sample mean below -3 standard errors would happen with
    // probability < 0.14% if the bound held. The bound is then far from tight, so in practice
    // the mean difference is clearly positive.
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = iw[i] - elbo[i];
    }
    double mean = Arrays.stream(d).average().orElseThrow();
    double sd = Math.sqrt(Arrays.stream(d).map(v -> (v - mean) * (v - mean)).sum() / (n - 1));
    assertThat(mean).isGreaterThan(-3 * sd / Math.sqrt(n));
    assertThat(mean).isPositive();
    // With k = 1 the importance-weighted estimate is the single-sample ELBO itself.
    double[] one = new double[n];
    small.importanceWeighted(CANS_TEST, 1, one, 5);
    assertThat(one).containsExactly(elbo);
  }

  @Test
  void saveAndLoadReproduceTheBoundEncodingAndSamples(@TempDir Path dir) {
    Path file = dir.resolve("vae.pm");
    ModelFiles.save(file, small, PROVIDER, null);
    GenerativeModel loaded = ModelFiles.load(file, ModelRegistry.of(List.of(PROVIDER))).model();
    assertThat(loaded).isInstanceOf(VaeModel.class);
    VaeModel m = (VaeModel) loaded;
    double[] a = new double[CANS_TEST.rows()];
    double[] b = new double[CANS_TEST.rows()];
    small.lowerBounds(CANS_TEST, a, 9);
    m.lowerBounds(CANS_TEST, b, 9);
    assertThat(b).containsExactly(a);
    assertThat(m.encode(CANS_TEST)).containsExactly(small.encode(CANS_TEST));
    assertThat(m.sample(20, 4).fingerprint()).isEqualTo(small.sample(20, 4).fingerprint());
    assertThat(m.describe(3)).isEqualTo(small.describe(3));
  }

  @Test
  void missingOrTruncatedParameterBlobIsACleanError(@TempDir Path dir) throws IOException {
    Path good = dir.resolve("vae.pm");
    ModelFiles.save(good, small, PROVIDER, null);
    ModelRegistry registry = ModelRegistry.of(List.of(PROVIDER));

    Path missing = dir.resolve("missing.pm");
    rewrite(good, missing, name -> name.equals("blobs/network.bin") ? null : name, null);
    assertThatThrownBy(() -> ModelFiles.load(missing, registry))
        .isInstanceOf(PmodelException.class).hasMessageContaining("network");

    // Truncated inside the zip: the api's length and SHA-256 check catches it.
    Path cut = dir.resolve("cut.pm");
    rewrite(good, cut, UnaryOperator.identity(), bytes -> Arrays.copyOf(bytes, 1000));
    assertThatThrownBy(() -> ModelFiles.load(cut, registry))
        .isInstanceOf(PmodelException.class).hasMessageContaining("network");

    // Truncated with model.json rewritten to match (length and checksum): the provider's own
    // check of DJL's encoding catches it before DJL parses anything.
    Path forged = dir.resolve("forged.pm");
    rewriteConsistently(good, forged, bytes -> Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> ModelFiles.load(forged, registry))
        .isInstanceOf(PmodelException.class)
        .hasMessageContaining("blob 'network'").hasMessageContaining("truncated");

    // A blob of another architecture's shapes.
    Path wrong = dir.resolve("wrong.pm");
    byte[] other = fit(CANS.slice(0, 100), Map.of("architecture", "mlp", "hidden", "16", "epochs", "1"), 1,
        new ArrayList<>()).network().encodeDjl();
    rewriteConsistently(good, wrong, bytes -> other);
    assertThatThrownBy(() -> ModelFiles.load(wrong, registry))
        .isInstanceOf(PmodelException.class).hasMessageContaining("blob 'network'");
  }

  /** Copies a model file, renaming/dropping entries and changing the network blob's bytes. */
  private static void rewrite(Path from, Path to, UnaryOperator<String> names,
      UnaryOperator<byte[]> blob) throws IOException {
    try (ZipFile zip = new ZipFile(from.toFile());
        OutputStream os = Files.newOutputStream(to);
        ZipOutputStream out = new ZipOutputStream(os)) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        String name = names.apply(e.getName());
        if (name == null) {
          continue;
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
          bytes = in.readAllBytes();
        }
        if (blob != null && name.equals("blobs/network.bin")) {
          bytes = blob.apply(bytes);
        }
        out.putNextEntry(new ZipEntry(name));
        out.write(bytes);
        out.closeEntry();
      }
    }
  }

  private static void rewriteConsistently(Path from, Path to, UnaryOperator<byte[]> change)
      throws IOException {
    byte[][] changed = new byte[1][];
    Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
    rewrite(from, tmp, UnaryOperator.identity(), b -> changed[0] = change.apply(b));
    String sha;
    try {
      sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(changed[0]));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String newSha = sha;
    try (ZipFile zip = new ZipFile(tmp.toFile());
        OutputStream os = Files.newOutputStream(to);
        ZipOutputStream out = new ZipOutputStream(os)) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
          bytes = in.readAllBytes();
        }
        if (e.getName().equals("model.json")) {
          String json = new String(bytes, StandardCharsets.UTF_8);
          String fixed = json.replaceAll("(\"network\"\\s*:\\s*\\{\\s*\"type\"\\s*:\\s*"
              + "\"bytes\"\\s*,\\s*\"length\"\\s*:\\s*)\\d+(\\s*,\\s*\"blob\"\\s*:\\s*"
              + "\"blobs/network.bin\"\\s*,\\s*\"sha256\"\\s*:\\s*\")[0-9a-f]+",
              "$1" + changed[0].length + "$2" + newSha);
          assertThat(fixed).isNotEqualTo(json);
          bytes = fixed.getBytes(StandardCharsets.UTF_8);
        }
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(bytes);
        out.closeEntry();
      }
    }
  }

  @Test
  void binarizedImagesGetABernoulliWhoseSamplesAreBinary() {
    VaeModel m = fit(CANS.slice(0, 300), Map.of("architecture", "mlp", "hidden", "32", "epochs", "1",
        "binarize", "true"), 1, new ArrayList<>());
    assertThat(m.likelihood()).isInstanceOf(Likelihood.Bernoulli.class);
    Dataset s = m.sample(50, 2);
    for (int f = 0; f < s.schema().size(); f++) {
      for (byte v : s.bytes(f)) {
        assertThat(v & 0xFF).isIn(0, 255);
      }
    }
    // A Bernoulli log-probability of binary pixels is at most 0 per pixel.
    double[] lb = new double[20];
    m.lowerBounds(CANS_TEST.slice(0, 20), lb, 1);
    for (double v : lb) {
      assertThat(v).isNegative().isGreaterThan(-1024 * Math.log(2) * 8);
    }
  }

  @Test
  void scoringChecksItsInput() {
    assertThatThrownBy(() -> small.importanceWeighted(CANS_TEST, 0, new double[300], 1))
        .isInstanceOf(PmodelException.class).hasMessageContaining("k = 0");
    Dataset other = pmodel.data.builtin.Outfits.sample(10, 1, 0);
    assertThatThrownBy(() -> small.lowerBounds(other, new double[10], 1))
        .isInstanceOf(PmodelException.class).hasMessageContaining("schema differs");
    assertThatThrownBy(() -> small.decode(new double[3], 2))
        .isInstanceOf(PmodelException.class).hasMessageContaining("latent values");
  }
}
