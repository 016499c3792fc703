package pmodel.data.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import pmodel.api.data.Dataset;
import pmodel.data.DataSources;
import pmodel.data.io.ReadOptions;

class CansTest {
  @Test
  void imagesCarryTheirFactorsAndDependOnNothingElse() {
    Dataset d = Cans.sample(500, 4, 0);
    assertThat(d.schema()).isEqualTo(Cans.schema());
    Dataset meta = d.metadata().orElseThrow();
    assertThat(meta.schema().names()).containsExactly("height", "width");
    byte[] img = new byte[Cans.SIDE * Cans.SIDE];
    for (int i = 0; i < d.rows(); i++) {
      double h = meta.value(i, 0);
      double w = meta.value(i, 1);
      assertThat(h).isBetween(Cans.MIN_HEIGHT, Cans.MAX_HEIGHT);
      assertThat(w).isBetween(Cans.MIN_WIDTH, Cans.MAX_WIDTH);
      // The image is a function of (height, width) alone: rendering them again gives it.
      Cans.render(h, w, img);
      for (int p = 0; p < img.length; p++) {
        assertThat(d.code(i, p)).isEqualTo(img[p] & 0xFF);
      }
    }
  }

  @Test
  void canCoversItsAreaAndGrowsWithBothFactors() {
    byte[] img = new byte[Cans.SIDE * Cans.SIDE];
    // The lit pixel mass (coverage) is about height × width; compare two cans that differ in
    // one factor only.
    Cans.render(20, 10, img);
    double small = mass(img);
    Cans.render(20, 20, img);
    double wide = mass(img);
    Cans.render(26, 10, img);
    double tall = mass(img);
    assertThat(wide).isGreaterThan(1.8 * small);
    assertThat(tall).isGreaterThan(1.2 * small);
  }

  private static double mass(byte[] img) {
    double s = 0;
    for (byte b : img) {
      s += (b & 0xFF) > 0 ? 1 : 0;
    }
    return s;
  }

  @Test
  void builtinSourceHasRowsSeedAndAnIndependentTestPart() {
    Dataset a = DataSources.read("builtin:cans?rows=50&seed=2", ReadOptions.defaults());
    Dataset b = DataSources.read("builtin:cans:train?rows=50&seed=2", ReadOptions.defaults());
    Dataset t = DataSources.read("builtin:cans:test?rows=50&seed=2", ReadOptions.defaults());
    assertThat(a.rows()).isEqualTo(50);
    assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
    assertThat(t.fingerprint()).isNotEqualTo(a.fingerprint());
    assertThat(DataSources.read("builtin:cans", ReadOptions.defaults()).rows()).isEqualTo(5000);
  }
}
