package pmodel.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pmodel.api.GenerativeModel;
import pmodel.api.LatentDecoder;
import pmodel.runtime.ModelRegistry;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Ring8;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.runtime.ModelFiles;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;
import pmodel.api.spi.Progress;
import pmodel.api.spi.Support;

/** The GAN's own behaviour beyond the kit: training reports, persistence, bad input. */
class GanProviderTest {
  private final GanProvider provider = new GanProvider();

  private Parameters params(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return Parameters.parse("gan", provider.parameters(), m);
  }

  private static final String[] SMALL = {"epochs", "3", "latent", "4", "hidden", "32,32",
      "batch", "100", "lr-g", "1e-3", "lr-d", "1e-3"};

  @Test
  void trainingReportsCriticAndGeneratorLossesEveryEpoch() {
    List<Progress> seen = new ArrayList<>();
    provider.fit(Ring8.sample(1000, 1, 0), params(SMALL), new FitContext(3, 1, seen::add, null));
    // three epochs, then the collapse check's spread ratio (Spread)
    assertEquals(4, seen.size());
    assertEquals("sample-spread", seen.get(3).stage());
    assertTrue(seen.get(3).metrics().get("ratio_to_data") >= 0, seen.get(3).toString());
    for (int e = 0; e < 3; e++) {
      Progress p = seen.get(e);
      assertEquals("epoch", p.stage());
      assertEquals(e + 1, p.step());
      assertEquals(3, p.steps());
      assertTrue(Double.isFinite(p.metrics().get("critic_loss")), p.toString());
      assertTrue(Double.isFinite(p.metrics().get("generator_loss")), p.toString());
    }
    List<Progress> wgan = new ArrayList<>();
    String[] w = SMALL.clone();
    provider.fit(Ring8.sample(1000, 1, 0), params(concat(w, "loss", "wgan-gp", "critic-steps",
        "2")), new FitContext(3, 1, wgan::add, null));
    assertTrue(wgan.get(2).metrics().containsKey("wasserstein"), wgan.toString());
    assertTrue(wgan.get(2).metrics().get("penalty") >= 0, wgan.toString());
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * DJL frees the temporary array of a Java number operand at once (docs/internals.md, "DJL's freed scalars"): a
   * garbage collection between forward and backward then corrupts gradients if any such operand
   * is differentiated. Forcing one before every critic backward must change nothing at all.
   */
  @ParameterizedTest
  @CsvSource({"ns, 0", "ns, 1", "wgan-gp, 0"})
  void garbageCollectionBetweenForwardAndBackwardChangesNothing(String loss, String r1) {
    Dataset data = Ring8.sample(600, 2, 0);
    Parameters p = params(concat(SMALL, "loss", loss, "r1", r1, "epochs", "2"));
    GanModel plain = (GanModel) provider.fit(data, p, FitContext.of(5, 1));
    Training.betweenForwardAndBackward = System::gc;
    GanModel collected;
    try {
      collected = (GanModel) provider.fit(data, p, FitContext.of(5, 1));
    } finally {
      Training.betweenForwardAndBackward = null;
    }
    float[][] a = plain.generator().values();
    float[][] b = collected.generator().values();
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i], "tensor " + i + " differs after forced collections");
    }
  }

  @Test
  void sameSeedSameSamplesAfterTrainingAndOtherSeedOtherSamples() {
    Dataset data = Ring8.sample(1000, 1, 0);
    GenerativeModel a = provider.fit(data, params(SMALL), FitContext.of(9, 1));
    GenerativeModel b = provider.fit(data, params(SMALL), FitContext.of(9, 1));
    GenerativeModel c = provider.fit(data, params(SMALL), FitContext.of(10, 1));
    assertEquals(a.sample(3000, 4, 1).fingerprint(), b.sample(3000, 4, 2).fingerprint());
    assertNotEquals(a.sample(3000, 4, 1).fingerprint(), c.sample(3000, 4, 1).fingerprint());
  }

  @Test
  void aModelFileWithAMissingParameterBlobFailsCleanly(@TempDir Path dir) throws IOException {
    GenerativeModel m = provider.fit(Ring8.sample(500, 1, 0), params(SMALL), FitContext.of(1, 1));
    Path file = dir.resolve("gan.pm");
    ModelFiles.save(file, m, provider, null);
    ModelRegistry registry = ModelRegistry.of(List.of(provider));
    assertEquals(m.sample(100, 1, 1).fingerprint(),
        ModelFiles.load(file, registry).model().sample(100, 1, 1).fingerprint());
    Path cut = dir.resolve("cut.pm");
    int removed = 0;
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(file));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(cut))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.getName().equals("blobs/g.fc1.weight.bin")) {
          removed++;
          continue;
        }
        out.putNextEntry(new ZipEntry(e.getName()));
        in.transferTo(out);
        out.closeEntry();
      }
    }
    assertEquals(1, removed, "the test expects the hidden layer's weights in a blob");
    PmodelException e = assertThrows(PmodelException.class, () -> ModelFiles.load(cut,
        registry));
    assertEquals(PmodelException.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("g.fc1.weight"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "latent|-1", "latent|100000", "steps|0", "batch|-1", "lr-g|1.5", "lr-d|2", "beta1|1",
      "beta2|-0.1", "critic-steps|0", "critic-steps|1000", "penalty|-1", "hidden|-1",
      "hidden|100000", "channels|0", "channels|4096", "loss|hinge", "architecture|resnet",
      "r1|NaN", "r1|-1", "ema|1", "epochs|-3", "batch|100000", "lr-g|-0.001", "penalty|1e9",
      "beta1|NaN"})
  void absurdHyperparametersAreRejected(String name, String value) {
    PmodelException e = assertThrows(PmodelException.class, () -> params(name, value));
    assertEquals(PmodelException.BAD_INPUT, e.exitCode());
    // one line naming the parameter, the value and what was expected
    assertTrue(e.getMessage().contains(name + "=" + value) && e.getMessage().contains("expected"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void criticStepsThatNeverReachTheGeneratorAreRejectedBeforeTraining() {
    PmodelException e = assertThrows(PmodelException.class, () -> provider.fit(
        Ring8.sample(100, 1, 0), params("epochs", "1", "batch", "50", "critic-steps", "5"),
        FitContext.of(1, 1)));
    assertTrue(e.getMessage().contains("critic-steps=5") && e.getMessage().contains("at most 2"),
        e.getMessage());
  }

  @Test
  void supportsRefusesWhatItCannotModelWithAReason() {
    Support table = provider.supports(Ring8.schema(), params("architecture", "conv"));
    assertFalse(table.supported());
    assertTrue(table.reason().contains("table"), table.reason());
    Support big = provider.supports(Schema.image(64, 64, 256), params("architecture", "conv"));
    assertTrue(big.reason().contains("64x64"), big.reason());
    assertTrue(provider.supports(Schema.image(64, 64, 256), params()).supported(),
        "auto picks the MLP for images too large for the canvas");
    Support wide = provider.supports(Schema.of(pmodel.api.data.DiscreteFeature.integer("id",
        100_000)), params());
    assertTrue(wide.reason().contains("100000 wide"), wide.reason());
    Support heavy = provider.supports(Ring8.schema(), params("hidden", "8192,8192,8192"));
    assertTrue(heavy.reason().contains("weights"), heavy.reason());
  }

  @Test
  void decodingIsDeterministicAndRefusesBadPoints() {
    LatentDecoder m = (LatentDecoder) provider.fit(Ring8.sample(500, 1, 0), params(SMALL),
        FitContext.of(1, 1));
    assertEquals(4, m.latentDimension());
    double[] z = {0, 0, 0, 0, 1, -1, 0.5, 2};
    Dataset a = m.decode(z, 2);
    assertEquals(a.fingerprint(), m.decode(z.clone(), 2).fingerprint());
    assertThrows(PmodelException.class, () -> m.decode(new double[3], 1));
    assertThrows(PmodelException.class, () -> m.decode(new double[] {0, Double.NaN, 0, 0}, 1));
    assertEquals(2, m.describe(2).size());
    assertTrue(m.describe(1).get(0).contains("no likelihood"), m.describe(1).toString());
  }
}
