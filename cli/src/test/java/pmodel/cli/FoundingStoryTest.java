package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pmodel.api.ExactDensity;
import pmodel.api.ModelRegistry;
import pmodel.api.builtin.Outfits;
import pmodel.api.data.Dataset;
import pmodel.api.eval.Evaluation;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.spi.Parameters;

/** The seed's trade-off between the two explicit-tractable models, computed by pmodel. */
class FoundingStoryTest {
  static double kl(String id, int n) {
    ModelProvider p = ModelRegistry.discover().get(id);
    Dataset train = Outfits.sample(n, 0, 0);
    ExactDensity m = (ExactDensity) p.fit(train, Parameters.defaults(p.parameters()),
        FitContext.of(0, 2));
    return Evaluation.klDivergence(Outfits.probabilities(), m);
  }

  @Test
  void naiveBayesWinsOnLittleDataAndTheHistogramOnALot() {
    double[][] kl = new double[4][2];
    int[] sizes = {50, 500, 5000, 50_000};
    for (int i = 0; i < sizes.length; i++) {
      kl[i][0] = kl("histogram", sizes[i]);
      kl[i][1] = kl("naive-bayes", sizes[i]);
    }
    // Margins, from the documented P_data: at N = 50 the smoothed histogram is still close to
    // uniform (KL(P_data || uniform) = 1.25 nats) while naive Bayes has about 0.5 nats of
    // dependence it cannot represent plus ~23/(2*50) = 0.23 nats of estimation error; at
    // N = 50,000 the histogram's error is about 4031/(2N) = 0.04 nats, far below 0.51.
    assertThat(kl[0][1]).isLessThan(kl[0][0] - 0.2);
    assertThat(kl[3][0]).isLessThan(kl[3][1] - 0.3);
    // naive Bayes cannot go below KL(P_data || product of its marginals) = 0.513 nats
    for (double[] row : kl) {
      assertThat(row[1]).isGreaterThan(0.51);
    }
    // the histogram keeps improving with data
    assertThat(kl[0][0]).isGreaterThan(kl[1][0]);
    assertThat(kl[1][0]).isGreaterThan(kl[2][0]);
    assertThat(kl[2][0]).isGreaterThan(kl[3][0]);
  }

  @Test
  void quickDemoRunsAndWritesWhatItPromises(@TempDir Path dir) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"demo", "--quick", "--out", dir.toString()},
        new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("wins from N = 5000 on");
    assertThat(dir.resolve("outfits-crossover.csv")).exists();
    assertThat(dir.resolve("outfits-naive-bayes-samples.csv")).exists();
    if (pmodel.api.builtin.FashionMnist.locate(null).isPresent()) {
      assertThat(dir.resolve("fashion-naive-bayes.png")).exists();
      assertThat(out.toString()).contains("bits/dim");
    } else {
      assertThat(out.toString()).contains("Fashion-MNIST is not installed: skipped");
    }
    assertThat(Files.isDirectory(dir)).isTrue();
  }
}
