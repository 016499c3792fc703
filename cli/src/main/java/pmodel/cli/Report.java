package pmodel.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import pmodel.api.DependencyGraph;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;
import pmodel.eval.ImageQuality;
import pmodel.eval.LikelihoodReport;
import pmodel.eval.ModelResult;
import pmodel.eval.TableBins;
import pmodel.eval.TableQuality;
import pmodel.data.io.AtomicFiles;

/**
 * A self-contained HTML report: inline CSS, pictures as PNG data URIs, plots as inline SVG, no
 * network access. Built section by section and written atomically.
 */
final class Report {
  /** The words shown instead of a number for a model without a likelihood. */
  static final String NO_LIKELIHOOD = "none: implicit model, it defines only a sampler and no"
      + " likelihood; judge it by its samples";

  /** What an infinite NLL means. */
  static final String INFINITE = "infinite NLL: some held-out row has probability zero under the"
      + " model (outside the range it was fitted on, or a value it never saw with alpha = 0)";

  private static final String CSS = """
      body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:2em auto;max-width:72em;
      color:#222;line-height:1.4;padding:0 1em}
      h1{font-size:1.6em;border-bottom:2px solid #ccc;padding-bottom:.2em}
      h2{font-size:1.25em;margin-top:2em}
      table{border-collapse:collapse;margin:1em 0;font-size:.9em}
      th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}
      th{background:#f2f2f2}
      td.l,th.l{text-align:left}
      figure{display:inline-block;margin:.5em 1em .5em 0;vertical-align:top}
      figcaption{font-size:.85em;color:#555;max-width:40em}
      img{image-rendering:pixelated;border:1px solid #ddd}
      .swatch{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 .8em;
      vertical-align:middle}
      .small{font-size:.8em;color:#777}
      """;

  private final String title;
  private final StringBuilder body = new StringBuilder();
  private int pictures;

  Report(String title) {
    this.title = title;
  }

  static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  Report heading(String text) {
    body.append("<h2>").append(esc(text)).append("</h2>\n");
    return this;
  }

  Report paragraph(String text) {
    body.append("<p>").append(esc(text)).append("</p>\n");
    return this;
  }

  /** A PNG picture with a caption. */
  Report picture(String caption, byte[] png) {
    pictures++;
    body.append("<figure><img alt=\"").append(esc(caption)).append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>")
        .append(esc(caption)).append("</figcaption></figure>\n");
    return this;
  }

  /** A table of text cells; the first column is left-aligned. */
  Report table(List<String> header, List<List<String>> rows) {
    body.append("<table><thead><tr>");
    for (int i = 0; i < header.size(); i++) {
      body.append(i == 0 ? "<th class=\"l\">" : "<th>").append(esc(header.get(i)))
          .append("</th>");
    }
    body.append("</tr></thead><tbody>\n");
    for (List<String> row : rows) {
      body.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        boolean words = i == 0 || !cell.matches("[-+0-9.eE ]*|-?infinity|–");
        body.append(words ? "<td class=\"l\">" : "<td>").append(esc(cell)).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</tbody></table>\n");
    return this;
  }

  /** The number of pictures added so far. */
  int pictures() {
    return pictures;
  }

  static String num(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "infinity" : "-infinity";
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }

  /** The header of the results table for table or image data. */
  static List<String> resultHeader(List<ModelResult> results) {
    List<String> h = new ArrayList<>(List.of("model", "family", "fit s", "free parameters",
        "kind", "NLL nats/row", "bits/dim"));
    if (results.stream().anyMatch(r -> r.importanceWeighted() != null)) {
      h.add("IW NLL nats/row");
    }
    if (results.stream().anyMatch(r -> r.klNats() != null)) {
      h.add("KL nats");
    }
    if (results.stream().anyMatch(r -> r.images() != null)) {
      h.addAll(List.of("nearest-train distance", "held-out nearest-train", "pixel mean error",
          "pixel variance error", "copies"));
    } else {
      h.addAll(List.of("marginal TV", "pair TV", "copies"));
    }
    return h;
  }

  /** One row of the results table per model, as text. */
  static List<List<String>> resultRows(List<ModelResult> results) {
    boolean iw = results.stream().anyMatch(r -> r.importanceWeighted() != null);
    boolean kl = results.stream().anyMatch(r -> r.klNats() != null);
    List<List<String>> rows = new ArrayList<>();
    for (ModelResult r : results) {
      List<String> row = new ArrayList<>();
      row.add(r.model());
      row.add(r.family().id());
      row.add(String.format(Locale.ROOT, "%.2f", r.fitSeconds()));
      row.add(Format.count(r.freeParameters()));
      row.add(r.kind());
      LikelihoodReport l = r.likelihood();
      if (l == null) {
        row.add(NO_LIKELIHOOD);
        row.add("–");
      } else {
        row.add(num(l.nllNatsPerRow()));
        row.add(num(l.bitsPerDim()));
      }
      if (iw) {
        row.add(r.importanceWeighted() == null ? "–" : num(r.importanceWeighted()
            .nllNatsPerRow()));
      }
      if (kl) {
        row.add(r.klNats() == null ? "–" : num(r.klNats()));
      }
      ImageQuality q = r.images();
      TableQuality t = r.table();
      if (q != null) {
        row.add(num(q.nearestTrainingDistance()));
        row.add(num(q.heldOutNearestTrainingDistance()));
        row.add(num(q.pixelMeanError()));
        row.add(num(q.pixelVarianceError()));
        row.add(num(q.copyFraction()));
      } else {
        row.add(num(t.marginalTv()));
        row.add(num(t.pairTv()));
        row.add(num(t.copyFraction()));
      }
      rows.add(row);
    }
    return rows;
  }

  /** The results table, with a legend of its columns. */
  Report results(List<ModelResult> results) {
    table(resultHeader(results), resultRows(results));
    boolean images = results.stream().anyMatch(r -> r.images() != null);
    paragraph("NLL: mean negative log-likelihood of the held-out rows, in nats per row and bits"
        + " per dimension; kind 'exact' is the model's exact likelihood, 'bound' an upper bound"
        + " (negative ELBO), 'none' a model with no likelihood. "
        + (images ? "Nearest-train distance: mean distance (root mean square pixel difference,"
            + " pixels on [0, 1]) from each sample to its nearest training image; near 0 means"
            + " copying, and held-out real images score the 'held-out nearest-train' figure."
            + " Pixel errors: mean absolute difference of the per-pixel means and variances."
            : "Marginal TV: mean total variation distance between each feature's distribution in"
            + " the samples and in the held-out rows (0 identical, 1 disjoint); pair TV: the same"
            + " for every pair of features' contingency table.")
        + " Copies: fraction of samples that are exact copies of a training row."
        + (results.stream().anyMatch(r -> r.likelihood() != null && r.likelihood().infinite())
            ? " " + INFINITE.substring(0, 1).toUpperCase(Locale.ROOT) + INFINITE.substring(1)
            + "." : ""));
    for (ModelResult r : results) {
      if (r.fitted() instanceof DependencyGraph g) {
        graph(r.model(), g);
      }
    }
    return this;
  }

  /** The most features whose graph is drawn; larger graphs are described in words. */
  static final int MAX_GRAPH_NODES = 60;

  /** A model's learned dependency graph as an inline SVG (parents above their children). */
  Report graph(String model, DependencyGraph g) {
    Schema s = g.schema();
    List<DependencyGraph.Edge> edges = g.edges();
    if (s.size() > MAX_GRAPH_NODES) {
      paragraph(model + " learned " + edges.size() + " dependencies among " + s.size()
          + " features: too many to draw; 'pmodel inspect' lists the strongest.");
      return this;
    }
    body.append("<figure>").append(svgGraph(s, edges)).append("<figcaption>")
        .append(esc(model + ": the learned dependencies, each feature below the one it depends"
            + " on; edges labelled with their " + g.weightName()))
        .append("</figcaption></figure>\n");
    return this;
  }

  /** Nodes in rows by depth from the roots, edges with their weights. */
  static String svgGraph(Schema s, List<DependencyGraph.Edge> edges) {
    int d = s.size();
    int[] parent = new int[d];
    java.util.Arrays.fill(parent, -1);
    double[] weight = new double[d];
    for (DependencyGraph.Edge e : edges) {
      parent[e.child()] = e.parent();
      weight[e.child()] = e.weight();
    }
    int[] depth = new int[d];
    int levels = 1;
    for (int j = 0; j < d; j++) {
      int k = 0;
      for (int p = parent[j]; p >= 0 && k <= d; p = parent[p]) {
        k++;
      }
      depth[j] = k;
      levels = Math.max(levels, k + 1);
    }
    List<List<Integer>> rows = new ArrayList<>();
    for (int l = 0; l < levels; l++) {
      rows.add(new ArrayList<>());
    }
    for (int j = 0; j < d; j++) {
      rows.get(depth[j]).add(j);
    }
    int cell = 150;
    int rowHeight = 80;
    int widest = rows.stream().mapToInt(List::size).max().orElse(1);
    int width = widest * cell;
    int height = levels * rowHeight;
    double[] x = new double[d];
    double[] y = new double[d];
    for (int l = 0; l < levels; l++) {
      List<Integer> row = rows.get(l);
      for (int i = 0; i < row.size(); i++) {
        x[row.get(i)] = (i + 0.5) * width / row.size();
        y[row.get(i)] = l * rowHeight + 30;
      }
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">", width,
        height, width, height));
    for (int j = 0; j < d; j++) {
      if (parent[j] >= 0) {
        int p = parent[j];
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\""
            + " y2=\"%.1f\" stroke=\"#888\" stroke-width=\"%.1f\"/>", x[p], y[p] + 12, x[j],
            y[j] - 12, 1 + Math.min(4, 20 * weight[j])));
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\""
            + " fill=\"#555\" text-anchor=\"middle\">%s</text>", (x[p] + x[j]) / 2 + 4,
            (y[p] + y[j]) / 2 + 4, esc(num(weight[j]))));
      }
    }
    for (int j = 0; j < d; j++) {
      String name = s.feature(j).name();
      String shown = name.length() > 20 ? name.substring(0, 19) + "…" : name;
      sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\""
          + " height=\"24\" rx=\"6\" fill=\"#f4f1ea\" stroke=\"#444\"/>", x[j] - 65,
          y[j] - 12, 130));
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\""
          + " text-anchor=\"middle\">%s</text>", x[j], y[j] + 4, esc(shown)));
    }
    return sb.append("</svg>").toString();
  }

  /** Grouped bars of every feature's marginal: held-out rows and each model's samples. */
  Report marginals(TableBins bins, Dataset heldOut, List<ModelResult> results) {
    Schema s = bins.schema();
    body.append("<p>");
    swatch(0, "held-out data");
    for (int m = 0; m < results.size(); m++) {
      swatch(m + 1, results.get(m).model() + " samples");
    }
    body.append("</p>\n");
    for (int f = 0; f < s.size(); f++) {
      List<double[]> series = new ArrayList<>();
      series.add(bins.marginal(heldOut, f));
      StringBuilder caption = new StringBuilder(s.feature(f).name()).append(": TV ");
      for (int m = 0; m < results.size(); m++) {
        ModelResult r = results.get(m);
        series.add(bins.marginal(r.samples(), f));
        caption.append(m == 0 ? "" : ", ").append(r.model()).append(' ')
            .append(num(r.table().marginalTvs()[f]));
      }
      body.append("<figure>").append(svgBars(bins.labels(f), series)).append("<figcaption>")
          .append(esc(caption.toString())).append("</figcaption></figure>\n");
    }
    return this;
  }

  private void swatch(int series, String name) {
    body.append(String.format("<span class=\"swatch\" style=\"background:#%06x\"></span>%s",
        Plots.COLOURS[series % Plots.COLOURS.length], esc(name)));
  }

  /** An inline SVG bar chart: one group per category, one bar per series. */
  static String svgBars(List<String> labels, List<double[]> series) {
    int k = labels.size();
    int bar = Math.max(3, Math.min(14, 60 / series.size()));
    int group = bar * series.size() + 6;
    int plotH = 140;
    int labelH = 90;
    int left = 52;
    int width = left + k * group + 10;
    double max = 1e-12;
    for (double[] p : series) {
      for (double v : p) {
        max = Math.max(max, v);
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg width=\"%d\""
        + " height=\"%d\" font-size=\"10\" font-family=\"DejaVu Sans,Arial,sans-serif\">",
        width, plotH + labelH + 10));
    sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\""
        + " stroke=\"#888\"/>", left, plotH + 5, width - 5, plotH + 5));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"12\" text-anchor=\"end\">%s</text>",
        left - 4, num(max)));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>",
        left - 4, plotH + 5));
    for (int c = 0; c < k; c++) {
      int gx = left + c * group + 3;
      for (int s = 0; s < series.size(); s++) {
        double h = series.get(s)[c] / max * (plotH - 10);
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\""
            + " height=\"%.1f\" fill=\"#%06x\"><title>%s: %s</title></rect>", gx + s * bar,
            plotH + 5 - h, bar, h, Plots.COLOURS[s % Plots.COLOURS.length], esc(labels.get(c)),
            num(series.get(s)[c])));
      }
      int tx = gx + group / 2;
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\""
          + " transform=\"rotate(-50 %d %d)\">%s</text>", tx, plotH + 16, tx, plotH + 16,
          esc(shorten(labels.get(c)))));
    }
    return sb.append("</svg>").toString();
  }

  private static String shorten(String s) {
    return s.length() <= 18 ? s : s.substring(0, 17) + "…";
  }

  /** The first rows of held-out data and of each model's samples, side by side as tables. */
  Report sampleRows(Dataset heldOut, List<ModelResult> results, int rows) {
    List<String> header = new ArrayList<>();
    header.add("source");
    header.addAll(heldOut.schema().names());
    List<List<String>> body = new ArrayList<>();
    addRows(body, "held-out", heldOut, rows);
    for (ModelResult r : results) {
      addRows(body, r.model(), r.samples(), rows);
    }
    return table(header, body);
  }

  private static void addRows(List<List<String>> out, String name, Dataset d, int rows) {
    Schema s = d.schema();
    for (int i = 0; i < Math.min(rows, d.rows()); i++) {
      List<String> row = new ArrayList<>();
      row.add(name);
      for (int f = 0; f < s.size(); f++) {
        row.add(s.feature(f) instanceof DiscreteFeature df ? df.level(d.code(i, f))
            : num(d.value(i, f)));
      }
      out.add(row);
    }
  }

  /** The whole page. */
  String html() {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + esc(title) + "</title><style>" + CSS + "</style></head><body>\n<h1>" + esc(title)
        + "</h1>\n" + body
        + "<p class=\"small\" id=\"render-check\">Written by pmodel "
        + esc(pmodel.runtime.ModelFiles.pmodelVersion()) + "; self-contained: no network.</p>\n"
        + "<script>window.addEventListener('load',function(){var im=document.images,ok=0;"
        + "for(var i=0;i<im.length;i++){if(im[i].complete&&im[i].naturalWidth>0)ok++;}"
        + "var p=document.getElementById('render-check');p.setAttribute('data-images',"
        + "im.length);p.setAttribute('data-rendered',ok);});</script>\n</body></html>\n";
  }

  /** Writes the page atomically. */
  void write(Path path) {
    byte[] bytes = html().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(path, o -> o.write(bytes));
  }
}
