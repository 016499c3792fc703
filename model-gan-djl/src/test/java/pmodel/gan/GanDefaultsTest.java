package pmodel.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import pmodel.data.builtin.Outfits;
import pmodel.data.builtin.Ring8;
import pmodel.api.data.Schema;
import pmodel.api.params.Parameters;

/** The automatic hyperparameters (docs/models.md, "GAN") resolve as documented. */
class GanDefaultsTest {
  static final GanProvider P = new GanProvider();

  static Parameters params(Map<String, String> set) {
    return Parameters.parse("gan", P.parameters(), set);
  }

  @Test
  void aTwoColumnTableGetsTheRing8Settings() {
    Parameters d = params(Map.of());
    assertArrayEquals(new int[] {128, 128, 128}, Defaults.hidden(2, d));
    assertEquals(16, Defaults.latent(Nets.Kind.MLP, 2, d));
    assertEquals(256, Defaults.batch(Nets.Kind.MLP, d));
    assertEquals(1e-3, Defaults.learningRate(Nets.Kind.MLP, 2, d, "lr-g"));
    assertEquals(0.1, d.real("r1"));
    assertEquals(0, d.integer("epochs"));
  }

  @Test
  void widerDataGetWiderLayersAndSmallerRates() {
    Parameters d = params(Map.of());
    // 8 × 40 = 320, rounded up to 512; 8 × 16 = 128 exactly
    assertArrayEquals(new int[] {512, 512, 512}, Defaults.hidden(40, d));
    assertArrayEquals(new int[] {128, 128, 128}, Defaults.hidden(16, d));
    assertArrayEquals(new int[] {256, 256, 256}, Defaults.hidden(17, d));
    assertEquals(40, Defaults.latent(Nets.Kind.MLP, 40, d));
    assertEquals(64, Defaults.latent(Nets.Kind.MLP, 1000, d));
    // 1e-3 × √(64 / 256) = 5e-4; the floor 2e-4 for very wide data
    assertEquals(5e-4, Defaults.learningRate(Nets.Kind.MLP, 256, d, "lr-d"), 1e-12);
    assertEquals(2e-4, Defaults.learningRate(Nets.Kind.MLP, 100_000, d, "lr-d"));
    assertEquals(2e-4, Defaults.learningRate(Nets.Kind.CONV, 1024, d, "lr-g"));
    assertEquals(64, Defaults.latent(Nets.Kind.CONV, 1024, d));
    assertEquals(64, Defaults.batch(Nets.Kind.CONV, d));
  }

  @Test
  void givenValuesWinAndAMixedHiddenListIsRefused() {
    Parameters given = params(Map.of("hidden", "8,8", "latent", "3", "batch", "10", "lr-g",
        "0.01"));
    assertArrayEquals(new int[] {8, 8}, Defaults.hidden(2, given));
    assertEquals(3, Defaults.latent(Nets.Kind.MLP, 2, given));
    assertEquals(10, Defaults.batch(Nets.Kind.MLP, given));
    assertEquals(0.01, Defaults.learningRate(Nets.Kind.MLP, 2, given, "lr-g"));
    assertTrue(P.supports(Ring8.schema(), params(Map.of("hidden", "0,8"))).reason()
        .contains("hidden=0 means automatic widths and must stand alone"));
    Schema outfits = Outfits.schema();
    assertTrue(P.supports(outfits, params(Map.of())).supported());
  }
}
