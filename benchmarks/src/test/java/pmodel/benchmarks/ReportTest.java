package pmodel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary reads JMH's JSON and the peers' lines and computes ratios and verdicts. */
class ReportTest {
  private static String result(String name, String params, double score, double alloc) {
    return "{\"benchmark\":\"pmodel.benchmarks." + name + "\",\"params\":{" + params + "},"
        + "\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":0.01,\"scoreUnit\":\"ns/op\"},"
        + "\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":" + alloc + "}}}";
  }

  @Test
  void ratiosAndTargetsComeFromTheMeasuredFigures() {
    String json = "[" + String.join(",",
        result("CountingBench.naiveBayes", "\"threads\":\"1\"", 0.5, 0.034),
        result("CountingBench.naiveBayes", "\"threads\":\"2\"", 0.4, 0.069),
        result("NaiveBayesSamplingBench.pmodel", "\"threads\":\"1\"", 2.0, 0),
        result("NaiveBayesSamplingBench.commonsAlias", "", 4.0, 0),
        result("TableBench.buildAliasTable", "\"size\":\"256\"", 3000, 0)) + "]";
    String peers = "numpy: 2.4.6\nfit_numpy_per_column_ns_per_cell: 2.0\n"
        + "fit_numpy_offset_trick_ns_per_cell: 2.5\nsample_alias_100000_ns_per_pixel: 10.0\n";
    String md = new Report(json, List.of(peers)).render();
    assertThat(md)
        .contains("| pmodel, 1 thread | 0.500 | 0.010 | 4.00× | 0.034 | 1,599,360 |")
        .contains("naive Bayes counting ≥ 4× faster per cell than numpy's best: pmodel on 2"
            + " threads is 5.00× (needs 4×) — **met**")
        .contains("naive Bayes counting on 2 threads ≥ 1.7× faster than on 1: 2 threads vs 1 is"
            + " 1.25× (needs 1.7×) — **missed** by a factor 1.36")
        .contains("(same, on 1 thread): pmodel on 1 thread is 5.00× (needs 4×) — **met**")
        .contains("faster than Commons RNG's alias sampler (both 1 thread): pmodel on 1 thread is"
            + " 2.00× (needs 1×) — **met**")
        .contains("histogram sampling ≥ 10× faster per row than numpy's searchsorted: not"
            + " measured in this run")
        .contains("| 256 | 3,000 | – | – | – |")
        .doesNotContain("Sparse smoothed");
  }
}
