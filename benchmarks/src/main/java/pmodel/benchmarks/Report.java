package pmodel.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Turns one session's results, JMH's JSON and the numpy peers' {@code name: value} lines, into
 * the Markdown tables of docs/benchmarks.md: every figure as measured, ratios against the
 * baselines and numpy, and each target of issue 5 as met or missed by how much.
 *
 * <p>Usage: {@code Report JMH_JSON [PEER_OUTPUT...]}; prints Markdown to standard output.
 */
public final class Report {
  private static final String PKG = "pmodel.benchmarks.";

  private final Map<String, Result> jmh = new LinkedHashMap<>();
  private final Map<String, Double> peers = new LinkedHashMap<>();
  private final List<String> targets = new ArrayList<>();
  private final StringBuilder out = new StringBuilder();
  /** Cells or rows per counting operation, for the bytes allocated by one whole count. */
  private long allocScale;

  /** One JMH result: score (in its unit per operation), error, and bytes allocated per op. */
  record Result(double score, double error, double allocPerOp) {
  }

  Report(String jmhJson, List<String> peerOutputs) {
    try {
      JsonNode root = new ObjectMapper().readTree(jmhJson);
      for (JsonNode r : root) {
        String name = r.path("benchmark").asText().replace(PKG, "");
        JsonNode params = r.path("params");
        StringBuilder key = new StringBuilder(name);
        params.fieldNames().forEachRemaining(p -> key.append(' ').append(p).append('=')
            .append(params.path(p).asText()));
        JsonNode pm = r.path("primaryMetric");
        JsonNode alloc = r.path("secondaryMetrics").path("gc.alloc.rate.norm");
        jmh.put(key.toString(), new Result(pm.path("score").asDouble(),
            pm.path("scoreError").asDouble(Double.NaN),
            alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("JMH results are not JSON", e);
    }
    for (String text : peerOutputs) {
      for (String line : text.split("\n")) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String value = line.substring(colon + 1).trim().split("\\s+")[0];
        try {
          peers.put(line.substring(0, colon).trim(), Double.parseDouble(value));
        } catch (NumberFormatException e) {
          // not a number: an environment line
        }
      }
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: Report JMH_JSON [PEER_OUTPUT...]");
      System.exit(2);
    }
    List<String> peerTexts = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      Path p = Path.of(args[i]);
      if (Files.isRegularFile(p)) {
        peerTexts.add(Files.readString(p));
      }
    }
    System.out.println("Data: " + BenchData.describe() + "\n");
    System.out.print(new Report(Files.readString(Path.of(args[0])), peerTexts).render());
  }

  OptionalDouble jmh(String key) {
    Result r = jmh.get(key);
    return r == null ? OptionalDouble.empty() : OptionalDouble.of(r.score());
  }

  OptionalDouble peer(String key) {
    Double v = peers.get(key);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** The smallest of the peer figures present (numpy's best formulation). */
  OptionalDouble bestPeer(String... keys) {
    OptionalDouble best = OptionalDouble.empty();
    for (String k : keys) {
      OptionalDouble v = peer(k);
      if (v.isPresent() && (best.isEmpty() || v.getAsDouble() < best.getAsDouble())) {
        best = v;
      }
    }
    return best;
  }

  String render() {
    nbCounting();
    histCounting();
    nbSampling();
    histSampling();
    sparseSampling();
    scoring();
    tables();
    limits();
    StringBuilder all = new StringBuilder();
    all.append("### Targets (issue 5)\n\n");
    if (targets.isEmpty()) {
      all.append("(no target could be checked: results missing)\n");
    }
    for (String t : targets) {
      all.append("- ").append(t).append('\n');
    }
    all.append('\n').append(out);
    return all.toString();
  }

  private void nbCounting() {
    String cls = "CountingBench.naiveBayes";
    OptionalDouble numpy = bestPeer("fit_numpy_offset_trick_ns_per_cell",
        "fit_numpy_per_column_ns_per_cell", "fit_numpy_block16_offset_ns_per_cell");
    allocScale = CountingBench.NB_CELLS;
    table("Naive Bayes counting: 60,000 × 784 pixels, ns per counted cell", "ns/cell", numpy,
        "numpy best", List.of(
            row("pmodel, 1 thread", cls + " threads=1", true),
            row("pmodel, 2 threads", cls + " threads=2", true),
            row("plain nested loop (Java, 1 thread)", cls + "PlainLoop", true),
            row("pmodel whole fit (counting + model tables), 1 thread", cls + "Fit threads=1",
                true),
            row("pmodel whole fit (counting + model tables), 2 threads", cls + "Fit threads=2",
                true),
            peerRow("numpy, offset trick (one bincount)", "fit_numpy_offset_trick_ns_per_cell"),
            peerRow("numpy, bincount per column", "fit_numpy_per_column_ns_per_cell"),
            peerRow("numpy, 16-column offset bincount", "fit_numpy_block16_offset_ns_per_cell")));
    OptionalDouble tables = jmh(cls + "Tables");
    if (tables.isPresent()) {
      out.append(String.format(Locale.ROOT, "The model's tables from the counts (θ, log θ, 784"
          + " alias tables of 256 entries), timed apart: %.2f ms per model.%n%n",
          tables.getAsDouble() / 1e6));
    }
    OptionalDouble one = jmh(cls + " threads=1");
    OptionalDouble two = jmh(cls + " threads=2");
    target("naive Bayes counting ≥ 4× faster per cell than numpy's best", numpy, two, 4,
        "pmodel on 2 threads");
    target("naive Bayes counting on 2 threads ≥ 1.7× faster than on 1", one, two, 1.7,
        "2 threads vs 1");
  }

  private void histCounting() {
    String cls = "CountingBench.histogram";
    allocScale = CountingBench.HIST_ROWS;
    table("Histogram counting: 10,000,000 outfits rows (4032 cells), ns per row", "ns/row",
        peer("fit_hist_ns_per_row"), "numpy", List.of(
            row("pmodel, 1 thread", cls + " threads=1", true),
            row("pmodel, 2 threads", cls + " threads=2", true),
            row("plain nested loop (Java, 1 thread)", cls + "PlainLoop", true),
            peerRow("numpy, cell index + bincount", "fit_hist_ns_per_row"),
            peerRow("numpy, ravel_multi_index + bincount", "fit_hist_ravel_multi_index_ns_per_row")));
  }

  private void nbSampling() {
    String cls = "NaiveBayesSamplingBench.";
    OptionalDouble numpy = peer("sample_alias_100000_ns_per_pixel");
    table("Naive Bayes sampling: 100,000 images × 784 pixels, ns per value", "ns/value", numpy,
        "numpy alias", samplerRows(cls,
            peerRow("numpy, alias tables", "sample_alias_100000_ns_per_pixel"),
            peerRow("numpy, inverse CDF (searchsorted)", "sample_inverse_cdf_100000_ns_per_pixel")));
    OptionalDouble one = jmh(cls + "pmodel threads=1");
    OptionalDouble two = jmh(cls + "pmodel threads=2");
    target("naive Bayes sampling ≥ 4× faster per value than numpy's alias sampling", numpy, two, 4,
        "pmodel on 2 threads");
    target("(same, on 1 thread)", numpy, one, 4, "pmodel on 1 thread");
    target("naive Bayes sampling faster than Commons RNG's alias sampler (both 1 thread)",
        jmh(cls + "commonsAlias"), one, 1, "pmodel on 1 thread");
  }

  /** pmodel on 1 and 2 threads, the three Java baselines of a sampling class, then the peers. */
  private List<Row> samplerRows(String cls, Row... peerRows) {
    List<Row> rows = new ArrayList<>(List.of(
        row("pmodel, 1 thread", cls + "pmodel threads=1", false),
        row("pmodel, 2 threads", cls + "pmodel threads=2", false),
        row("Commons RNG AliasMethodDiscreteSampler (1 thread)", cls + "commonsAlias", false),
        row("Commons RNG GuideTableDiscreteSampler (1 thread)", cls + "commonsGuideTable", false),
        row("inverse CDF, binary search (Java, 1 thread)", cls + "inverseCdf", false)));
    rows.addAll(List.of(peerRows));
    return rows;
  }

  private void histSampling() {
    String cls = "HistogramSamplingBench.";
    OptionalDouble numpy = peer("sample_searchsorted_cells_ns_per_row");
    table("Histogram sampling: 10,000,000 rows from 4032 cells (5 byte columns), ns per row",
        "ns/row", numpy, "numpy searchsorted", samplerRows(cls,
            peerRow("numpy, searchsorted (cell numbers only)",
                "sample_searchsorted_cells_ns_per_row"),
            peerRow("numpy, rng.choice(p=...) (cell numbers only)",
                "sample_rng_choice_p_cells_ns_per_row"),
            peerRow("numpy, searchsorted + 5 uint8 columns",
                "sample_searchsorted_to_5_uint8_columns_ns_per_row")));
    target("histogram sampling ≥ 10× faster per row than numpy's searchsorted", numpy,
        jmh(cls + "pmodel threads=2"), 10, "pmodel on 2 threads");
    target("(same, on 1 thread)", numpy, jmh(cls + "pmodel threads=1"), 10, "pmodel on 1 thread");
  }

  private void sparseSampling() {
    String cls = "HistogramSamplingBench.";
    table("Sparse smoothed histogram sampling", "ns", OptionalDouble.empty(), null, List.of(
        row("outfits, sparse table (50,000 rows seen), 1 thread — ns/row",
            cls + "sparseOutfits threads=1", false),
        row("outfits, sparse table, 2 threads — ns/row", cls + "sparseOutfits threads=2", false),
        row("outfits, the same model as a dense table, 1 thread — ns/row",
            cls + "sparseOutfitsDenseTable threads=1", false),
        row("outfits, the same model as a dense table, 2 threads — ns/row",
            cls + "sparseOutfitsDenseTable threads=2", false),
        row("Fashion-MNIST histogram (sparse), 1 thread — ns/value",
            cls + "sparseImages threads=1", false),
        row("Fashion-MNIST histogram (sparse), 2 threads — ns/value",
            cls + "sparseImages threads=2", false),
        row("uniform bytes, plain loop (Java, 1 thread) — ns/value",
            cls + "uniformBytesPlainLoop", false)));
  }

  private void scoring() {
    String cls = "ScoringBench.";
    table("Scoring: exact log-probabilities of the 10,000 test images, ns per value", "ns/value",
        OptionalDouble.empty(), null, List.of(
            row("pmodel, 1 thread", cls + "pmodel threads=1", false),
            row("pmodel, 2 threads", cls + "pmodel threads=2", false),
            row("plain nested loop by row (Java, 1 thread)", cls + "plainLoopByRow", false),
            row("plain nested loop by feature (Java, 1 thread)", cls + "plainLoopByFeature",
                false),
            row("for comparison: pmodel counting, 1 thread (ns/cell)",
                "CountingBench.naiveBayes threads=1", false),
            row("for comparison: pmodel counting, 2 threads (ns/cell)",
                "CountingBench.naiveBayes threads=2", false)));
    for (int t = 1; t <= 2; t++) {
      target("scoring at least as fast per value as counting per cell (" + t + " thread"
          + (t == 1 ? "" : "s") + ")", jmh("CountingBench.naiveBayes threads=" + t),
          jmh(cls + "pmodel threads=" + t), 1, "scoring vs counting");
    }
  }

  private void tables() {
    String cls = "TableBench.";
    List<String> sizes = new ArrayList<>();
    for (String k : jmh.keySet()) {
      if (k.startsWith(cls + "buildAliasTable size=")) {
        sizes.add(k.substring(k.indexOf('=') + 1));
      }
    }
    if (sizes.isEmpty()) {
      return;
    }
    String[][] kinds = {{"AliasTable", "AliasTable"}, {"Commons alias", "CommonsAlias"},
        {"Commons guide table", "CommonsGuideTable"}, {"CDF / binary search", "Cdf"}};
    for (String what : new String[] {"build", "sample"}) {
      out.append("#### ").append(what.equals("build")
          ? "Table construction, ns per table (µs = 1000 ns)"
          : "Sampling one value at a time from one table, ns per sample").append("\n\n");
      out.append("| outcomes |");
      for (String[] k : kinds) {
        out.append(' ').append(k[0]).append(" |");
      }
      out.append("\n|---|");
      for (int i = 0; i < kinds.length; i++) {
        out.append("---|");
      }
      out.append('\n');
      for (String size : sizes) {
        out.append("| ").append(size).append(" |");
        for (String[] k : kinds) {
          String name = what.equals("sample") && k[1].equals("Cdf") ? "InverseCdf" : k[1];
          OptionalDouble v = jmh(cls + what + name + " size=" + size);
          out.append(' ').append(v.isPresent() ? num(v.getAsDouble()) : "–").append(" |");
        }
        out.append('\n');
      }
      out.append('\n');
    }
  }

  private void limits() {
    String cls = "LimitsBench.";
    table("What bounds the hot loops (1 thread)", "ns", OptionalDouble.empty(), null, List.of(
        row("JMH baseline() (empty benchmark), ns per call", cls + "baseline", false),
        row("reading the 47 MB of training pixels, ns per byte", cls + "readPixels", false),
        row("writing a 78 MB sample, ns per byte", cls + "writeSample", false),
        row("one xoshiro256++ nextLong(), ns per number", cls + "xoshiroNextLong", false)));
  }

  private record Row(String label, OptionalDouble value, OptionalDouble alloc, double error) {
  }

  private Row row(String label, String key, boolean withAlloc) {
    Result r = jmh.get(key);
    if (r == null) {
      return new Row(label, OptionalDouble.empty(), OptionalDouble.empty(), Double.NaN);
    }
    return new Row(label, OptionalDouble.of(r.score()),
        withAlloc && !Double.isNaN(r.allocPerOp()) ? OptionalDouble.of(r.allocPerOp())
            : OptionalDouble.empty(), r.error());
  }

  private Row peerRow(String label, String key) {
    return new Row(label, peer(key), OptionalDouble.empty(), Double.NaN);
  }

  private void table(String title, String unit, OptionalDouble reference, String refName,
      List<Row> rows) {
    if (rows.stream().allMatch(r -> r.value().isEmpty())) {
      return; // nothing of this table was run
    }
    boolean alloc = rows.stream().anyMatch(r -> r.alloc().isPresent());
    out.append("#### ").append(title).append("\n\n| implementation | ").append(unit)
        .append(" | ± (99.9%) |");
    if (refName != null) {
      out.append(" speed-up vs ").append(refName).append(" |");
    }
    if (alloc) {
      out.append(" bytes allocated per ").append(unit.substring(unit.indexOf('/') + 1))
          .append(" | bytes allocated per whole count |");
    }
    out.append("\n|---|---:|---:|");
    if (refName != null) {
      out.append("---:|");
    }
    if (alloc) {
      out.append("---:|---:|");
    }
    out.append('\n');
    for (Row r : rows) {
      if (r.value().isEmpty()) {
        continue;
      }
      double v = r.value().getAsDouble();
      out.append("| ").append(r.label()).append(" | ").append(num(v)).append(" | ")
          .append(Double.isNaN(r.error()) ? "" : num(r.error())).append(" |");
      if (refName != null) {
        out.append(' ').append(reference.isPresent()
            ? String.format(Locale.ROOT, "%.2f×", reference.getAsDouble() / v) : "–").append(" |");
      }
      if (alloc) {
        out.append(' ').append(r.alloc().isPresent() ? num(r.alloc().getAsDouble()) : "")
            .append(" | ").append(r.alloc().isPresent()
                ? String.format(Locale.ROOT, "%,.0f", r.alloc().getAsDouble() * allocScale) : "")
            .append(" |");
      }
      out.append('\n');
    }
    out.append('\n');
  }

  /** Records "slow / fast ≥ factor" as met or missed (and by how much). */
  private void target(String what, OptionalDouble slow, OptionalDouble fast, double factor,
      String who) {
    if (slow.isEmpty() || fast.isEmpty()) {
      targets.add(what + ": not measured in this run");
      return;
    }
    double ratio = slow.getAsDouble() / fast.getAsDouble();
    String verdict = ratio >= factor ? "**met**"
        : String.format(Locale.ROOT, "**missed** by a factor %.2f", factor / ratio);
    targets.add(String.format(Locale.ROOT, "%s: %s is %.2f× (needs %s×) — %s", what, who, ratio,
        factor == Math.rint(factor) ? String.valueOf((int) factor) : String.valueOf(factor),
        verdict));
  }

  static String num(double v) {
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 0.1) {
      return String.format(Locale.ROOT, "%.3f", v);
    }
    return String.format(Locale.ROOT, "%.2g", v);
  }
}
