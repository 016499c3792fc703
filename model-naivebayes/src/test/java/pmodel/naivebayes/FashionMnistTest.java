package pmodel.naivebayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pmodel.data.builtin.FashionMnist;
import pmodel.api.data.Dataset;
import pmodel.eval.Evaluation;
import pmodel.eval.LikelihoodReport;
import pmodel.data.io.PngImages;
import pmodel.api.spi.FitContext;
import pmodel.api.params.Parameters;

/**
 * Naive Bayes on Fashion-MNIST (60,000 training and 10,000 test images of 784 pixels). Needs the
 * data (Debian's dataset-fashion-mnist, which .ci/run installs); without it the tests are skipped,
 * unless PMODEL_REQUIRE_DATA is set, as CI sets it, in which case they fail.
 */
class FashionMnistTest {
  static Dataset train;
  static Dataset test;
  static NaiveBayesModel model;

  @BeforeAll
  static void load() {
    boolean present = FashionMnist.locate(null).isPresent();
    if (!present && System.getenv("PMODEL_REQUIRE_DATA") != null) {
      throw new AssertionError("Fashion-MNIST is required (PMODEL_REQUIRE_DATA is set) but was"
          + " not found in " + FashionMnist.searchPath(null));
    }
    Assumptions.assumeTrue(present, "Fashion-MNIST not installed (apt-get install"
        + " dataset-fashion-mnist)");
    train = FashionMnist.read(FashionMnist.Split.TRAIN, null);
    test = FashionMnist.read(FashionMnist.Split.TEST, null);
    NaiveBayesProvider p = new NaiveBayesProvider();
    model = (NaiveBayesModel) p.fit(train, Parameters.defaults(p.parameters()),
        FitContext.of(1, 2));
  }

  @Test
  void exactTestBitsPerDimEqualAnIndependentStraightforwardComputation() {
    assertThat(train.rows()).isEqualTo(60_000);
    assertThat(test.rows()).isEqualTo(10_000);
    // straightforward: count every pixel value with a nested loop, smooth, sum logs row by row
    long[][] counts = new long[784][256];
    for (int i = 0; i < 60_000; i++) {
      for (int j = 0; j < 784; j++) {
        counts[j][train.code(i, j)]++;
      }
    }
    double total = 0;
    for (int i = 0; i < 10_000; i++) {
      double row = 0;
      for (int j = 0; j < 784; j++) {
        row += Math.log((counts[j][test.code(i, j)] + 1.0) / (60_000 + 256));
      }
      total += row;
    }
    double expected = -total / 10_000 / (784 * Math.log(2));
    LikelihoodReport r = Evaluation.exactNll(model, test, 2);
    assertThat(r.bitsPerDim()).isCloseTo(expected, within(1e-9));
    double[] rows = model.logDensities(test);
    double sum = 0;
    for (double v : rows) {
      sum += v;
    }
    assertThat(-sum / 10_000 / (784 * Math.log(2))).isCloseTo(expected, within(1e-9));
    // the numpy peer and sklearn's CategoricalNB report 4.587509 bits/dim (benchmarks/peers)
    assertThat(r.bitsPerDim()).isCloseTo(4.587509, within(5e-7));
  }

  @Test
  void samplesAreNoiseBesideRealImages() throws Exception {
    Dataset samples = model.sample(100, 2026, 2);
    Path dir = Path.of("target", "pictures");
    Files.createDirectories(dir);
    Path png = dir.resolve("naive-bayes-fashion-mnist.png");
    PngImages.writePanels(png, List.of(samples, test.slice(0, 100)), 10, 2);
    // the PNG's IHDR chunk: two panels of 10 x 10 images of 56 px with 2 px gaps, 16 px apart
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.wrap(Files.readAllBytes(png), 16, 8);
    assertThat(ihdr.getInt()).isEqualTo(2 * (10 * 58 + 2) + 16);
    assertThat(ihdr.getInt()).isEqualTo(10 * 58 + 2);
    // Noise, not clothes: neighbouring pixels of real images are strongly correlated (0.77 on
    // these 100), those of naive Bayes samples are independent by construction. Over the
    // 100 x 12 x 11 = 13,200 pairs measured, the correlation of independent pixels has standard
    // error 1/sqrt(13,200) = 0.0087; 0.05 is 5.7 standard errors.
    assertThat(neighbourCorrelation(test.slice(0, 100))).isGreaterThan(0.5);
    assertThat(Math.abs(neighbourCorrelation(samples))).isLessThan(0.05);
  }

  /** Correlation of horizontally adjacent pixels in the central rows. */
  static double neighbourCorrelation(Dataset d) {
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double syy = 0;
    double sxy = 0;
    long n = 0;
    for (int i = 0; i < d.rows(); i++) {
      for (int r = 8; r < 20; r++) {
        for (int c = 8; c < 19; c++) {
          double x = d.code(i, r * 28 + c);
          double y = d.code(i, r * 28 + c + 1);
          sx += x;
          sy += y;
          sxx += x * x;
          syy += y * y;
          sxy += x * y;
          n++;
        }
      }
    }
    double cov = sxy / n - sx / n * sy / n;
    return cov / Math.sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n));
  }
}
