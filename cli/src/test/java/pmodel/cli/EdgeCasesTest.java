package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pmodel.api.ExactDensity;
import pmodel.api.GenerativeModel;
import pmodel.runtime.ModelRegistry;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;
import pmodel.eval.Evaluation;
import pmodel.data.io.CsvData;
import pmodel.runtime.ModelFiles;
import pmodel.data.io.ReadOptions;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.Parameters;

/** Numeric edges and concurrency, for every built-in counting model. */
class EdgeCasesTest {
  static final ModelRegistry REGISTRY = ModelRegistry.discover();

  @TempDir
  Path dir;

  static GenerativeModel fit(String id, Dataset data) {
    ModelProvider p = REGISTRY.get(id);
    return p.fit(data, Parameters.defaults(p.parameters()), FitContext.of(1, 2));
  }

  static double[] probabilities(ExactDensity m) {
    double[] logP = m.logDensities(Evaluation.allCells(m.schema()));
    double[] p = new double[logP.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(logP[i]);
    }
    return p;
  }

  @ParameterizedTest
  @ValueSource(strings = {"histogram", "naive-bayes"})
  void eightThreadsSamplingAtOnceGiveExactlyTheSequentialResults(String id) throws Exception {
    GenerativeModel m = fit(id, Outfits.sample(3000, 2, 0));
    String[] sequential = new String[8];
    for (int t = 0; t < 8; t++) {
      sequential[t] = m.sample(20_000, 100 + t, 1).fingerprint();
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> futures = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (int t = 0; t < 8; t++) {
          long seed = 100 + t;
          Callable<String> c = () -> m.sample(20_000, seed, 2).fingerprint();
          futures.add(pool.submit(c));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).get()).isEqualTo(sequential[i % 8]);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"histogram", "naive-bayes"})
  void aSingleTrainingRow(String id) {
    Dataset one = Outfits.sample(1, 3, 0);
    ExactDensity m = (ExactDensity) fit(id, one);
    double[] p = probabilities(m);
    double sum = 0;
    for (double x : p) {
      sum += x;
    }
    assertThat(sum).isCloseTo(1, within(1e-12));
    // the row seen gets the most probability: (1 + 1)/(1 + 4032) for the histogram
    double seen = Math.exp(m.logDensities(one)[0]);
    for (double x : p) {
      assertThat(seen).isGreaterThanOrEqualTo(x);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"histogram", "naive-bayes"})
  void aFeatureWithOneLevel(String id) {
    Schema s = Schema.of(DiscreteFeature.categorical("only", List.of("x")),
        DiscreteFeature.categorical("two", List.of("a", "b")));
    Dataset d = Dataset.of(s, 3, new Object[] {new byte[3], new byte[] {0, 1, 1}});
    ExactDensity m = (ExactDensity) fit(id, d);
    // smoothed with alpha = 1: P(two = a) = (1 + 1)/(3 + 2), P(two = b) = 3/5
    double[] p = probabilities(m);
    assertThat(p[0]).isCloseTo(0.4, within(1e-15));
    assertThat(p[1]).isCloseTo(0.6, within(1e-15));
    Dataset samples = m.sample(1000, 1, 2);
    for (int i = 0; i < samples.rows(); i++) {
      assertThat(samples.code(i, 0)).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"histogram", "naive-bayes"})
  void aFeatureWith70000Levels(String id) throws IOException {
    int n = 100_000;
    StringBuilder csv = new StringBuilder("id,colour\n");
    for (int i = 0; i < n; i++) {
      csv.append("user").append(i % 70_000).append(',').append(i % 3 == 0 ? "red" : "blue")
          .append('\n');
    }
    Path file = dir.resolve("wide.csv");
    Files.writeString(file, csv);
    Dataset d = CsvData.read(file, ReadOptions.defaults());
    assertThat(d.schema().discrete(0).cardinality()).isEqualTo(70_000);
    ExactDensity m = (ExactDensity) fit(id, d);
    double sum = 0;
    for (double p : probabilities(m)) {
      sum += p;
    }
    assertThat(sum).isCloseTo(1, within(1e-9));
    Path model = dir.resolve("wide.pm");
    ModelFiles.save(model, m, REGISTRY.get(id), null);
    ExactDensity back = (ExactDensity) ModelFiles.load(model, REGISTRY).model();
    assertThat(back.logDensities(d.slice(0, 1000))).isEqualTo(m.logDensities(d.slice(0, 1000)));
    Dataset s = m.sample(10_000, 4, 2);
    for (int i = 0; i < s.rows(); i++) {
      assertThat(s.code(i, 0)).isBetween(0, 69_999);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"histogram", "naive-bayes"})
  void aConstantContinuousColumnGetsAUnitWideBin(String id) {
    Schema s = Schema.of(new ContinuousFeature("x"));
    Dataset d = Dataset.of(s, 4, new Object[] {new double[] {3, 3, 3, 3}});
    ExactDensity m = (ExactDensity) fit(id, d);
    // bins over [2.5, 3.5], 10 of width 0.1; 3.0 falls in bin 5, seen 4 times of 4:
    // density (4 + 1)/(4 + 10) / 0.1
    double[] logP = m.logDensities(d);
    assertThat(logP[0]).isCloseTo(Math.log(5.0 / 14 / 0.1), within(1e-12));
    Dataset samples = m.sample(1000, 1, 1);
    for (int i = 0; i < samples.rows(); i++) {
      assertThat(samples.value(i, 0)).isBetween(2.5, 3.5);
    }
  }

  @Test
  void nanOrInfinityInAContinuousColumnIsRefusedWithItsRow() throws IOException {
    Files.writeString(dir.resolve("nan.csv"), "x,y\n1,a\n2,b\nInfinity,c\n");
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"fit", "histogram", "--data",
        dir.resolve("nan.csv").toString(), "--continuous", "x", "--out",
        dir.resolve("m.pm").toString()}, new PrintWriter(new StringWriter()),
        new PrintWriter(err, true));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("nan.csv:4: column 'x': 'Infinity' is not finite");
    assertThat(dir.resolve("m.pm")).doesNotExist();
  }
}
