package pmodel.data.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import pmodel.api.data.Dataset;
import pmodel.api.sampling.ChiSquare;

/** The world's land mask and its P_data, uniform by area on land. */
class WorldTest {
  @Test
  void theMaskKnowsLandFromSea() {
    assertThat(World.onLand(0, 0)).as("Gulf of Guinea").isFalse();
    assertThat(World.onLand(-150, 0)).as("Pacific").isFalse();
    assertThat(World.onLand(-30, 30)).as("Atlantic").isFalse();
    assertThat(World.onLand(20, 10)).as("Chad").isTrue();
    assertThat(World.onLand(-50, -10)).as("Brazil").isTrue();
    assertThat(World.onLand(2.35, 48.85)).as("Paris").isTrue();
    assertThat(World.onLand(135, -25)).as("Australia").isTrue();
    assertThat(World.onLand(0, -89.9)).as("South Pole").isTrue();
    assertThat(World.onLand(0, 89.9)).as("North Pole").isFalse();
    assertThat(World.onLand(200, 0)).isFalse();
  }

  @Test
  void landCoversAboutTwentyNinePercentOfTheSphere() {
    // Earth's land (with Antarctica) is 148.9 of 510.1 million km^2: 0.292. The raster's error
    // at 1/8 degree along ~1e6 km of coast is a few tenths of a percent of the land.
    double land = 0;
    double total = 0;
    for (int y = 0; y < World.HEIGHT; y++) {
      double band = Math.sin(Math.toRadians(World.top(y))) - Math.sin(Math.toRadians(World.top(y + 1)));
      double lat = World.top(y) - World.CELL_DEGREES / 2;
      for (int x = 0; x < World.WIDTH; x++) {
        total += band;
        if (World.onLand(-180 + (x + 0.5) * World.CELL_DEGREES, lat)) {
          land += band;
        }
      }
    }
    assertThat(land / total).isCloseTo(0.292, within(0.006));
  }

  @Test
  void samplesAreOnLandReproducibleAndIndependentBetweenParts() {
    Dataset a = World.sample(50_000, 4, 0);
    assertThat(World.landFraction(a)).isEqualTo(1.0);
    assertThat(World.sample(50_000, 4, 0).fingerprint()).isEqualTo(a.fingerprint());
    Dataset test = World.sample(50_000, 4, 1);
    assertThat(test.fingerprint()).isNotEqualTo(a.fingerprint());
    for (int i = 0; i < a.rows(); i++) {
      assertThat(World.logDensity(a.value(i, 0), a.value(i, 1))).isFinite();
    }
    assertThat(World.logDensity(0, 0)).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void latitudesFollowTheLandsAreaByBand() {
    // expected probability of each 10-degree band: its land area over all land, computed from
    // the mask cell by cell through onLand (independently of the sampler's tables)
    int bands = 18;
    double[] expected = new double[bands];
    for (int y = 0; y < World.HEIGHT; y++) {
      double area = Math.sin(Math.toRadians(World.top(y)))
          - Math.sin(Math.toRadians(World.top(y + 1)));
      double lat = World.top(y) - World.CELL_DEGREES / 2;
      int band = (int) ((90 - lat) / 10);
      for (int x = 0; x < World.WIDTH; x++) {
        if (World.onLand(-180 + (x + 0.5) * World.CELL_DEGREES, lat)) {
          expected[band] += area;
        }
      }
    }
    Dataset d = World.sample(200_000, 12, 0);
    long[] counts = new long[bands];
    for (int i = 0; i < d.rows(); i++) {
      counts[Math.min(bands - 1, (int) ((90 - d.value(i, 1)) / 10))]++;
    }
    ChiSquare.Result r = ChiSquare.test(counts, expected);
    assertThat(r.pValue()).as(r.toString()).isGreaterThan(ChiSquare.SIGNIFICANCE);
  }
}
