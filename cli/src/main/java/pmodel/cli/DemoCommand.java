package pmodel.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import pmodel.api.ExactDensity;
import pmodel.api.GenerativeModel;
import pmodel.api.LatentDecoder;
import pmodel.api.LatentSpace;
import pmodel.runtime.ModelRegistry;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Cans;
import pmodel.data.builtin.FashionMnist;
import pmodel.data.builtin.Outfits;
import pmodel.data.builtin.Ring8;
import pmodel.data.builtin.World;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.api.data.ProductSpace;
import pmodel.api.data.Schema;
import pmodel.eval.Evaluation;
import pmodel.eval.Harness;
import pmodel.eval.LatentFactors;
import pmodel.eval.ModelResult;
import pmodel.data.io.AtomicFiles;
import pmodel.data.io.CsvData;
import pmodel.data.io.PngImages;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.Parameters;
import pmodel.api.spi.ProgressListener;
import pmodel.api.spi.Support;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code pmodel demo}: the founding story on built-in data, with every number computed on the
 * spot, in order: the box model on 'world' against a finer histogram, histogram versus naive Bayes
 * on 'outfits', naive Bayes on Fashion-MNIST, then the VAE and the GAN when their plugins are
 * installed. A model that is not installed is named and skipped. Pictures, tables and one HTML
 * report go to the output directory.
 */
@Command(name = "demo", description = "Run the founding story on built-in data: the box model on"
    + " 'world', histogram versus naive Bayes on 'outfits' (the crossover), naive Bayes on"
    + " Fashion-MNIST, and the VAE and GAN when installed; writes pictures and report.html.")
final class DemoCommand implements Callable<Integer> {
  /** The story's points: A at sea inside the box, B on land outside the small box, C inside. */
  static final double[][] POINTS = {{0, 0}, {-50, -10}, {20, 10}};
  static final char[] LETTERS = {'A', 'B', 'C'};
  /** The story's small box: observations from Europe and Africa only (lon, then lat). */
  static final double[] REGION = {-20, 60, -40, 75};

  @ParentCommand
  Main main;

  @Mixin
  CommonOptions common;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "pmodel-demo",
      description = "Where to write the tables, pictures and report.html (default:"
          + " ${DEFAULT-VALUE}).")
  Path outDir;

  @Option(names = "--quick", description = "Smaller sizes, same code path (for tests).")
  boolean quick;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed.")
  long seed;

  PrintWriter out;
  int section;
  int threads;
  Report report;
  private final List<String> written = new ArrayList<>();
  /** The Fashion-MNIST data of section 3, reused by the plugin sections. */
  private Dataset fashionTrain;
  private Dataset fashionTest;

  /**
   * A later section of the story that needs a model plugin (the hook where the VAE's and the
   * GAN's sections are wired in): when the model is installed, {@link #pluginSection} runs the
   * section's story with it; when it is not, the section is named and skipped. A Fashion-MNIST
   * section fits on at most {@code trainRows} images (0: {@link #PLUGIN_TRAIN}); in every
   * section {@code settings} and {@code quickSettings} (for {@code --quick}) override the
   * model's default hyperparameters, to keep the demo's budget.
   */
  record PluginSection(String modelId, Story story, String title, int trainRows,
      Map<String, String> settings, Map<String, String> quickSettings) {
    PluginSection(String modelId, Story story, String title) {
      this(modelId, story, title, 0, Map.of(), Map.of());
    }
  }

  /** What a plugin section shows. */
  enum Story {
    /** A 2-D latent space on 'cans': how well it explains the true height and width. */
    CANS,
    /** The harness on Fashion-MNIST: likelihood in words, samples, the latent map if any. */
    FASHION,
    /**
     * The harness on 'ring8' (eight Gaussians on a circle): held-out likelihood beside the true
     * density's, modes covered, samples beside held-out points, the density map when exact.
     */
    RING8
  }

  /** Where a plugin lists its demo sections, in its own jar (data, not code). */
  static final String SECTIONS_RESOURCE = "META-INF/pmodel/demo-sections.json";

  /**
   * The plugin sections of the demo, by their {@code order} (then the model id; default order
   * 100), each plugin's in the order its file lists them. A plugin adds a section by shipping {@link #SECTIONS_RESOURCE}:
   * <pre>{"sections": [{"model": "ID", "order": N, "story": "cans|fashion|ring8", "title": "...",
   *   "trainRows": N, "settings": {"name": "value"}, "quick": {"name": "value"}}]}</pre>
   * ({@code settings} override the model's defaults for the demo, {@code quick} for
   * {@code --quick}; {@code trainRows} caps the training rows, 0 for the story's own). A section
   * for another model than the plugin's own is ignored; a malformed file is one bad-input line
   * that names it.
   */
  static List<PluginSection> sections(ModelRegistry registry) {
    List<PluginSection> out = new ArrayList<>();
    Map<PluginSection, Integer> order = new java.util.HashMap<>();
    for (String id : registry.ids()) {
      ModelProvider p = registry.get(id);
      Module m = p.getClass().getModule();
      String where = "the demo sections of model '" + id + "' (" + SECTIONS_RESOURCE + ")";
      List<byte[]> files = new ArrayList<>();
      try {
        if (m.isNamed()) {
          try (java.io.InputStream in = m.getResourceAsStream(SECTIONS_RESOURCE)) {
            if (in != null) {
              files.add(in.readNBytes(1 << 20));
            }
          }
        } else {
          // on a class path every jar's file has the same name: read them all, keep this id's
          var urls = p.getClass().getClassLoader().getResources(SECTIONS_RESOURCE);
          while (urls.hasMoreElements()) {
            try (java.io.InputStream in = urls.nextElement().openStream()) {
              files.add(in.readNBytes(1 << 20));
            }
          }
        }
      } catch (IOException e) {
        throw PmodelException.badInput(where + " cannot be read: " + e.getMessage(), e);
      }
      for (byte[] file : files) {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
          root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file);
        } catch (IOException e) {
          throw PmodelException.badInput(where + " is not valid JSON: " + e.getMessage(), e);
        }
        com.fasterxml.jackson.databind.JsonNode list = root == null ? null : root.get("sections");
        if (list == null || !list.isArray()) {
          throw PmodelException.badInput(where + ": expected an object with an array 'sections'");
        }
        for (com.fasterxml.jackson.databind.JsonNode n : list) {
          if (!id.equals(n.path("model").asText())) {
            continue; // another plugin's section (a shared class path lists every jar's file)
          }
          Story story;
          try {
            story = Story.valueOf(n.path("story").asText("").toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            throw PmodelException.badInput(where + ": story '" + n.path("story").asText()
                + "' is unknown; expected cans, fashion or ring8");
          }
          String title = n.path("title").asText("");
          int rows = n.path("trainRows").asInt(0);
          if (title.isBlank() || rows < 0) {
            throw PmodelException.badInput(where + ": a section needs a title and trainRows >= 0");
          }
          PluginSection s = new PluginSection(id, story, title, rows, strings(n.get("settings"),
              where), strings(n.get("quick"), where));
          if (!out.contains(s)) {
            out.add(s);
            order.put(s, n.path("order").asInt(100));
          }
        }
      }
    }
    out.sort(java.util.Comparator.comparingInt(order::get));
    return out;
  }

  private static Map<String, String> strings(com.fasterxml.jackson.databind.JsonNode n,
      String where) {
    if (n == null || n.isNull()) {
      return Map.of();
    }
    if (!n.isObject()) {
      throw PmodelException.badInput(where + ": settings must be an object of strings");
    }
    Map<String, String> m = new java.util.LinkedHashMap<>();
    n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return Map.copyOf(m);
  }

  @Override
  public Integer call() {
    out = main.out();
    threads = common.threads();
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw PmodelException.badInput("cannot create --out " + outDir + ": " + e.getMessage());
    }
    report = new Report("pmodel demo: the founding story");
    report.paragraph("Every number below was computed by this run of 'pmodel demo" + (quick
        ? " --quick" : "") + "' with seed " + seed + ".");
    out.println("pmodel demo: the founding story on built-in data (seed " + seed + ")");
    out.println();
    world();
    out.println();
    outfits();
    out.println();
    fashion();
    for (PluginSection s : sections(main.registry())) {
      out.println();
      out.println(++section + ". " + s.title());
      report.heading(section + ". " + s.title());
      if (main.registry().find(s.modelId()).isEmpty()) {
        String skipped = "model '" + s.modelId() + "' is not installed: skipped";
        out.println("   " + skipped);
        report.paragraph(skipped + ".");
      } else if (s.story() == Story.CANS) {
        cansSection(s.modelId(), quick ? s.quickSettings() : s.settings());
      } else if (s.story() == Story.RING8) {
        ring8Section(s.modelId(), quick ? s.quickSettings() : s.settings(), s.trainRows());
      } else {
        pluginSection(s.modelId(), quick ? s.quickSettings() : s.settings(), s.trainRows());
      }
    }
    out.println();
    write("report.html", report::write);
    out.println("wrote " + String.join(", ", written) + " in " + outDir);
    return 0;
  }

  private Optional<ModelProvider> provider(String id) {
    ModelRegistry r = main.registry();
    Optional<ModelProvider> p = r.find(id);
    if (p.isEmpty()) {
      out.println("   model '" + id + "' is not installed: skipped");
      report.paragraph("model '" + id + "' is not installed: skipped.");
    }
    return p;
  }

  private GenerativeModel fit(ModelProvider p, Dataset data, Map<String, String> settings) {
    return p.fit(data, Parameters.parse(p.id(), p.parameters(), settings),
        FitContext.of(seed, threads));
  }

  /** Section 1: the box model on the world against a finer histogram; A, B and C scored. */
  private void world() {
    out.println(++section + ". world: points uniform on land, never at sea (P_data known"
        + " exactly)");
    report.heading(section + ". world: the box model against a finer histogram");
    Optional<ModelProvider> hist = provider("histogram");
    if (hist.isEmpty()) {
      return;
    }
    int n = quick ? 5000 : 20_000;
    int sampleCount = quick ? 2000 : 10_000;
    Dataset train = World.sample(n, seed, 0);
    Dataset test = World.sample(quick ? 2000 : 5000, seed, 1);
    Dataset region = inRegion(train);
    record Fitted(String name, String file, String how, ExactDensity model, Dataset data) {
    }
    List<Fitted> models = List.of(
        new Fitted("box", "world-samples-box.png", "histogram bins=1 on all " + n
            + " observations", (ExactDensity) fit(hist.get(), train, Map.of("bins", "1")), train),
        new Fitted("small box", "world-samples-small-box.png", "histogram bins=1 on the "
            + region.rows() + " observations in Europe and Africa (the story's box)",
            (ExactDensity) fit(hist.get(), region, Map.of("bins", "1")), region),
        new Fitted("finer histogram", "world-samples-histogram.png", "histogram bins=72"
            + " alpha=0.1 on all " + n + " observations",
            (ExactDensity) fit(hist.get(), train, Map.of("bins", "72", "alpha", "0.1")), train));
    Dataset abc = Dataset.of(World.schema(), 3, new Object[] {
        new double[] {POINTS[0][0], POINTS[1][0], POINTS[2][0]},
        new double[] {POINTS[0][1], POINTS[1][1], POINTS[2][1]}});
    out.printf("   %d observations; the story's points: ", n);
    for (int i = 0; i < 3; i++) {
      out.printf("%s (%s, %s) %s%s", LETTERS[i], fmt(POINTS[i][0]), fmt(POINTS[i][1]),
          World.onLand(POINTS[i][0], POINTS[i][1]) ? "on land" : "at sea", i < 2 ? ", " : "\n");
    }
    out.printf("   %-17s %-26s %9s %9s %9s %9s  %s%n", "model", "box (lon x lat)", "log p(A)",
        "log p(B)", "log p(C)", "on land", "held-out NLL");
    StringBuilder csv = new StringBuilder("model,log_p_A,log_p_B,log_p_C,samples_on_land,"
        + "heldout_nll_nats_per_row\n");
    List<List<String>> rows = new ArrayList<>();
    double pDataNll = 0;
    for (int i = 0; i < test.rows(); i++) {
      pDataNll -= World.logDensity(test.value(i, 0), test.value(i, 1));
    }
    pDataNll /= test.rows();
    double[] truth = new double[3];
    for (int i = 0; i < 3; i++) {
      truth[i] = World.logDensity(POINTS[i][0], POINTS[i][1]);
    }
    rows.add(worldRow("P_data", "the land itself", truth, 1.0, pDataNll, ""));
    csv.append(csvRow("P_data", truth, 1.0, pDataNll));
    long sampleSeed = RandomStreams.mix(seed, 0x77736d70L);
    List<Dataset> samples = new ArrayList<>();
    List<double[]> scores = new ArrayList<>();
    List<Double> landShares = new ArrayList<>();
    for (Fitted f : models) {
      double[] logP = f.model().logDensities(abc);
      Dataset s = f.model().sample(sampleCount, sampleSeed, threads);
      samples.add(s);
      double onLand = World.landFraction(s);
      scores.add(logP);
      landShares.add(onLand);
      double[] held = new double[test.rows()];
      f.model().logDensities(test, held, threads);
      int outside = 0;
      double nll = 0;
      for (double v : held) {
        outside += v == Double.NEGATIVE_INFINITY ? 1 : 0;
        nll -= v;
      }
      nll /= test.rows();
      String note = outside == 0 ? "" : " (" + outside + " of " + test.rows()
          + " held-out points outside its box)";
      rows.add(worldRow(f.name(), extent(f.data()), logP, onLand, nll, note));
      csv.append(csvRow(f.name(), logP, onLand, nll));
    }
    for (List<String> r : rows) {
      out.printf("   %-17s %-26s %9s %9s %9s %9s  %s%n", r.toArray());
    }
    writeText("world-abc.csv", csv.toString());
    String story = worldStory(scores, landShares);
    out.println("   " + story);

    // pictures: the observations with the small box and A, B, C; samples of each model
    Plots.Canvas points = worldCanvas();
    points.points(train.slice(0, Math.min(train.rows(), 4000)), Plots.COLOURS[0], 2);
    double[] small = extentOf(region);
    points.box(small[0], small[1], small[2], small[3], 0xff7f0e);
    markers(points);
    byte[] pointsPng = Plots.png(worldPicture(points, "world: " + Math.min(train.rows(), 4000)
        + " observations (uniform on land), the small box (orange), points A, B, C"));
    write("world-points.png", p -> Plots.write(p, pointsPng));
    report.paragraph("P_data is uniform by area on land (Natural Earth's land at 1/8 degree);"
        + " every model below is a histogram fitted on observations from it. The table gives"
        + " the natural log-density (per square degree) of the story's points A (at sea, inside"
        + " the box), B (on land, outside the small box) and C (on land, inside it), the share"
        + " of the model's samples that fall on land, and the held-out NLL in nats per point.");
    report.table(List.of("model", "box (lon x lat)", "log p(A)", "log p(B)", "log p(C)",
        "samples on land", "held-out NLL"), rows);
    report.paragraph(story);
    report.picture("The first " + Math.min(train.rows(), 4000) + " observations, the story's"
        + " small box around those in Europe and Africa (orange), and the points A, B, C",
        pointsPng);
    for (int m = 0; m < models.size(); m++) {
      Plots.Canvas c = worldCanvas();
      c.points(samples.get(m), Plots.COLOURS[m + 1], 2);
      markers(c);
      Fitted f = models.get(m);
      byte[] png = Plots.png(worldPicture(c, "world: " + sampleCount + " samples of the "
          + f.name() + " (" + f.how() + ")"));
      write(f.file(), p -> Plots.write(p, png));
      report.picture(sampleCount + " samples of the " + f.name() + " (" + f.how() + ")", png);
    }
  }

  /** What the numbers of section 1 say, in words chosen by the numbers themselves. */
  static String worldStory(List<double[]> scores, List<Double> onLand) {
    double[] box = scores.get(0);
    double[] small = scores.get(1);
    double[] finer = scores.get(2);
    StringBuilder sb = new StringBuilder();
    sb.append(box[0] == box[2] ? "The box gives A, at sea, the same density as C, on land"
        : "The box gives A, at sea, log-density " + Report.num(box[0]));
    sb.append(String.format(Locale.ROOT, ", and only %.0f%% of its samples fall on land. ",
        100 * onLand.get(0)));
    sb.append(small[1] == Double.NEGATIVE_INFINITY
        ? "The story's small box cannot make B at all (log p(B) = -infinity) though B is land. "
        : "The story's small box gives B log-density " + Report.num(small[1]) + ". ");
    sb.append(String.format(Locale.ROOT, "The finer histogram gives A %.1f nats less than C and"
        + " puts %.0f%% of its samples on land.", finer[2] - finer[0], 100 * onLand.get(2)));
    return sb.toString();
  }

  /** A world map with longitude and latitude axes and a title. */
  private static java.awt.image.BufferedImage worldPicture(Plots.Canvas c, String title) {
    return Plots.titled(Plots.withAxes(c.image, Plots.Frame.WORLD, "longitude (degrees)",
        "latitude"), title);
  }

  private static Plots.Canvas worldCanvas() {
    return new Plots.Canvas(720, 360, Plots.Frame.WORLD, true);
  }

  private static void markers(Plots.Canvas c) {
    for (int i = 0; i < 3; i++) {
      c.marker(POINTS[i][0], POINTS[i][1], LETTERS[i], 0x000000);
    }
  }

  private static Dataset inRegion(Dataset d) {
    int[] keep = new int[d.rows()];
    int k = 0;
    for (int i = 0; i < d.rows(); i++) {
      double lon = d.value(i, 0);
      double lat = d.value(i, 1);
      if (lon >= REGION[0] && lon <= REGION[1] && lat >= REGION[2] && lat <= REGION[3]) {
        keep[k++] = i;
      }
    }
    return d.select(java.util.Arrays.copyOf(keep, k));
  }

  /** {lon min, lon max, lat min, lat max} of a (lon, lat) dataset: what bins=1 fits. */
  private static double[] extentOf(Dataset d) {
    double[] e = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY};
    for (int i = 0; i < d.rows(); i++) {
      e[0] = Math.min(e[0], d.value(i, 0));
      e[1] = Math.max(e[1], d.value(i, 0));
      e[2] = Math.min(e[2], d.value(i, 1));
      e[3] = Math.max(e[3], d.value(i, 1));
    }
    return e;
  }

  private static String extent(Dataset d) {
    double[] e = extentOf(d);
    return String.format(Locale.ROOT, "[%.0f,%.0f] x [%.0f,%.0f]", e[0], e[1], e[2], e[3]);
  }

  private static List<String> worldRow(String name, String box, double[] logP, double onLand,
      double nll, String note) {
    return List.of(name, box, Report.num(logP[0]), Report.num(logP[1]), Report.num(logP[2]),
        String.format(Locale.ROOT, "%.1f%%", 100 * onLand), Report.num(nll) + note);
  }

  private static String csvRow(String name, double[] logP, double onLand, double nll) {
    return name + "," + logP[0] + "," + logP[1] + "," + logP[2] + "," + onLand + "," + nll
        + "\n";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  /** Section 2: histogram vs naive Bayes on outfits: exact KL and held-out NLL against N. */
  private void outfits() {
    out.println(++section + ". outfits: 5 features, 3*8*4*6*7 = 4032 cells, drawn from a known"
        + " P_data");
    report.heading(section + ". outfits: histogram against naive Bayes");
    Optional<ModelProvider> hist = provider("histogram");
    Optional<ModelProvider> nb = provider("naive-bayes");
    if (hist.isEmpty() || nb.isEmpty()) {
      return;
    }
    int[] sizes = quick ? new int[] {50, 500, 5000} : new int[] {50, 500, 5000, 50_000};
    Dataset test = Outfits.sample(quick ? 2000 : 10_000, seed, 1);
    double[] p = Outfits.probabilities();
    out.printf("   exact KL(P_data || P_model) and held-out NLL (%d rows), in nats:%n",
        test.rows());
    out.printf("   %7s  %14s  %16s  %14s  %16s%n", "N", "histogram KL", "naive Bayes KL",
        "histogram NLL", "naive Bayes NLL");
    StringBuilder csv = new StringBuilder("rows,model,free_parameters,kl_nats,test_nll_nats\n");
    List<List<String>> table = new ArrayList<>();
    int firstHistogramWin = -1;
    boolean nbWinsSmall = false;
    GenerativeModel nbAt5000 = null;
    Dataset trainAt5000 = null;
    for (int n : sizes) {
      Dataset train = Outfits.sample(n, seed, 0);
      ExactDensity h = (ExactDensity) fit(hist.get(), train, Map.of());
      ExactDensity b = (ExactDensity) fit(nb.get(), train, Map.of());
      double klH = Evaluation.klDivergence(p, h);
      double klB = Evaluation.klDivergence(p, b);
      double nllH = Evaluation.exactNll(h, test, threads).nllNatsPerRow();
      double nllB = Evaluation.exactNll(b, test, threads).nllNatsPerRow();
      out.printf("   %7d  %14.4f  %16.4f  %14.4f  %16.4f%n", n, klH, klB, nllH, nllB);
      table.add(List.of(Integer.toString(n), Report.num(klH), Report.num(klB), Report.num(nllH),
          Report.num(nllB)));
      csv.append(n).append(",histogram,").append(h.freeParameters()).append(',').append(klH)
          .append(',').append(nllH).append('\n');
      csv.append(n).append(",naive-bayes,").append(b.freeParameters()).append(',').append(klB)
          .append(',').append(nllB).append('\n');
      if (n == sizes[0]) {
        nbWinsSmall = klB < klH;
      }
      if (firstHistogramWin < 0 && klH < klB) {
        firstHistogramWin = n;
      }
      if (n == 5000) {
        nbAt5000 = b;
        trainAt5000 = train;
      }
    }
    writeText("outfits-crossover.csv", csv.toString());
    report.table(List.of("N", "histogram KL", "naive Bayes KL", "histogram NLL",
        "naive Bayes NLL"), table);
    String verdict;
    if (nbWinsSmall && firstHistogramWin > 0) {
      verdict = "Naive Bayes (23 free parameters) wins on little data; the histogram (4031)"
          + " wins from N = " + firstHistogramWin + " on: it can represent P_data exactly,"
          + " given enough rows.";
    } else {
      verdict = "(no crossover at these sizes)";
    }
    out.println("   " + verdict);
    report.paragraph("Exact KL(P_data || P_model) and held-out NLL (" + test.rows()
        + " rows) in nats. " + verdict);
    if (nbAt5000 != null) {
      Dataset samples = nbAt5000.sample(10, seed, threads);
      Set<Long> seen = new HashSet<>();
      ProductSpace space = ProductSpace.of(Outfits.schema());
      for (int i = 0; i < trainAt5000.rows(); i++) {
        seen.add(space.index(trainAt5000, i));
      }
      out.println("   Ten new outfits from naive Bayes (fitted on 5000 rows):");
      Schema s = samples.schema();
      int copies = 0;
      List<List<String>> rows = new ArrayList<>();
      for (int i = 0; i < samples.rows(); i++) {
        StringBuilder row = new StringBuilder();
        List<String> cells = new ArrayList<>();
        for (int f = 0; f < s.size(); f++) {
          String level = s.discrete(f).level(samples.code(i, f));
          row.append(f == 0 ? "" : ", ").append(level);
          cells.add(level);
        }
        boolean copy = seen.contains(space.index(samples, i));
        copies += copy ? 1 : 0;
        cells.add(copy ? "also in the training data" : "new");
        rows.add(cells);
        out.printf("     %s%s%n", row, copy ? "" : "   (not in the training data)");
      }
      out.printf("   %d of 10 also occur among the 5000 training rows.%n", copies);
      write("outfits-naive-bayes-samples.csv", path -> CsvData.write(path, samples));
      List<String> header = new ArrayList<>(s.names());
      header.add("in the training data?");
      report.paragraph("Ten new outfits sampled from naive Bayes fitted on 5000 rows; " + copies
          + " of 10 also occur among the training rows.");
      report.table(header, rows);
      // the harness at N = 5000: the same units for both models, samples against held-out rows
      List<ModelResult> results = new ArrayList<>();
      Harness.Settings hs = new Harness.Settings(seed, quick ? 1000 : 5000, threads, 0,
          20, p);
      for (ModelProvider m : List.of(hist.get(), nb.get())) {
        results.add(Harness.evaluate(m, Parameters.defaults(m.parameters()), trainAt5000, test,
            hs, ProgressListener.NONE));
      }
      report.paragraph("Both models fitted on the same 5000 rows and compared by the evaluation"
          + " harness ('pmodel evaluate') on the held-out rows:");
      report.results(results);
      EvaluateCommand.samplesSection(report, trainAt5000, test, results, 20);
    }
  }

  /** Section 3: naive Bayes on Fashion-MNIST: exact bits/dim and samples that are noise. */
  private void fashion() {
    out.println(++section + ". Fashion-MNIST: naive Bayes on 784 pixels of 256 levels");
    report.heading(section + ". Fashion-MNIST: naive Bayes");
    boolean full = FashionMnist.locate(common.dataDir).isPresent();
    String which;
    if (full) {
      fashionTrain = FashionMnist.read(FashionMnist.Split.TRAIN, common.dataDir);
      fashionTest = FashionMnist.read(FashionMnist.Split.TEST, common.dataDir);
      which = "the full Fashion-MNIST from " + FashionMnist.locate(common.dataDir).get();
      if (quick) {
        fashionTrain = fashionTrain.slice(0, 10_000);
        fashionTest = fashionTest.slice(0, 2000);
        which += " (first 10,000 training and 2000 test images: --quick)";
      }
    } else {
      fashionTrain = FashionMnist.readSubset(FashionMnist.Split.TRAIN);
      fashionTest = FashionMnist.readSubset(FashionMnist.Split.TEST);
      which = "the subset shipped with pmodel (" + FashionMnist.SUBSET_TRAIN + " training and "
          + FashionMnist.SUBSET_TEST + " test images; install dataset-fashion-mnist or give"
          + " --data-dir DIR for the full data)";
    }
    out.println("   data: " + which);
    report.paragraph("Data: " + which + ".");
    Optional<ModelProvider> nb = provider("naive-bayes");
    if (nb.isEmpty()) {
      return;
    }
    ModelResult r = Harness.evaluate(nb.get(), Parameters.defaults(nb.get().parameters()),
        fashionTrain, fashionTest, new Harness.Settings(seed, quick ? 100 : 1000, threads, 0, 20,
            null), ProgressListener.NONE);
    out.printf("   fitted on %d images; exact test NLL %.6f bits/dim (uniform: 8)%n",
        fashionTrain.rows(), r.likelihood().bitsPerDim());
    out.printf("   samples are %.3f from their nearest training image (held-out real images:"
        + " %.3f; RMS pixel difference on [0, 1])%n", r.images().nearestTrainingDistance(),
        r.images().heldOutNearestTrainingDistance());
    Dataset samples = r.samples().slice(0, 100);
    Dataset real = fashionTest.slice(0, 100);
    byte[] png = Plots.png(Plots.titled(PngImages.panels(List.of(samples, real), 10, 2),
        "naive Bayes on Fashion-MNIST: 100 samples (left), 100 test images (right)"));
    write("fashion-naive-bayes.png", path -> Plots.write(path, png));
    String story = "Samples (left) are noise beside real images (right): neighbouring pixels"
        + " depend on each other, and naive Bayes cannot say so.";
    out.println("   " + story.toLowerCase(Locale.ROOT).charAt(0) + story.substring(1));
    report.results(List.of(r));
    report.picture("naive Bayes: 100 samples (left) and 100 held-out images (right). " + story,
        png);
  }

  /**
   * A model plugin's section: the model fitted on section 3's Fashion-MNIST data with its default
   * parameters and evaluated by the harness (NLL exact, bound or none in words; samples beside
   * real images; the latent map coloured by class when the model has a latent space).
   */
  void pluginSection(String id, Map<String, String> settings, int trainRows) {
    ModelProvider p = main.registry().get(id);
    if (fashionTrain == null) {
      fashionTrain = FashionMnist.readSubset(FashionMnist.Split.TRAIN);
      fashionTest = FashionMnist.readSubset(FashionMnist.Split.TEST);
    }
    int cap = trainRows > 0 ? Math.min(trainRows, PLUGIN_TRAIN) : PLUGIN_TRAIN;
    Dataset train = fashionTrain.slice(0, Math.min(cap, fashionTrain.rows()));
    Dataset test = fashionTest.slice(0, Math.min(PLUGIN_TEST, fashionTest.rows()));
    if (train.rows() < fashionTrain.rows() || test.rows() < fashionTest.rows()) {
      String which = String.format(Locale.ROOT, "the first %,d training and %,d test images of"
          + " section 3's data (a neural fit on all of it takes minutes: docs/benchmarks.md)",
          train.rows(), test.rows());
      out.println("   data: " + which);
      report.paragraph("Data: " + which + ".");
    }
    Parameters params = Parameters.parse(id, p.parameters(), settings);
    if (refuses(p, train.schema(), params, "Fashion-MNIST")) {
      return;
    }
    Progress progress = Progress.forConsole(main.err());
    ModelResult r = Harness.evaluate(p, params, train, test, new Harness.Settings(seed,
        quick ? 100 : 1000, threads, quick ? 5 : 100, 20, null), progress);
    progress.finish();
    if (r.likelihood() == null) {
      out.println("   likelihood: " + Report.NO_LIKELIHOOD);
    } else {
      out.printf("   test NLL %s bits/dim (%s)%n", Report.num(r.likelihood().bitsPerDim()),
          r.kind().equals("exact") ? "exact" : "an upper bound: the negative ELBO");
    }
    out.printf("   samples are %.3f from their nearest training image (held-out real images:"
        + " %.3f)%n", r.images().nearestTrainingDistance(),
        r.images().heldOutNearestTrainingDistance());
    report.results(List.of(r));
    Dataset samples = r.samples().slice(0, Math.min(100, r.samples().rows()));
    byte[] png = Plots.png(Plots.titled(PngImages.panels(List.of(samples, test.slice(0, 100)),
        10, 2), id + " on Fashion-MNIST: 100 samples (left), 100 test images (right)"));
    write(id + "-fashion-samples.png", path -> Plots.write(path, png));
    report.picture(id + ": samples (left) and held-out images (right)", png);
    if (r.fitted() instanceof LatentSpace latent && latent.latentDimension() >= 2) {
      byte[] map = latentMap(latent, test, id + ": latent positions of " + test.rows()
          + " Fashion-MNIST test images, by class");
      write(id + "-fashion-latent.png", path -> Plots.write(path, map));
      report.picture(id + ": the first two latent coordinates of the held-out images, coloured"
          + " by class (" + String.join(", ", FashionMnist.CLASSES) + " in the report's"
          + " colour order)", map);
    } else if (r.fitted() instanceof LatentDecoder decoder) {
      // a decoder without an encoder (a GAN): walk its latent space instead
      int pairs = 6;
      int steps = 10;
      Dataset path = decoder.decode(InterpolateCommand.paths(pairs, steps,
          decoder.latentDimension(), seed), pairs * steps);
      byte[] walk = Plots.png(Plots.titled(PngImages.panels(List.of(path), steps, 2), id
          + " on Fashion-MNIST: decoded great-circle paths between " + pairs
          + " pairs of latent points"));
      write(id + "-fashion-interpolation.png", file -> Plots.write(file, walk));
      report.picture(id + ": decoded points on great-circle paths between " + pairs
          + " pairs of latent points, one pair per row", walk);
    }
  }

  /**
   * A model of continuous data on 'ring8': the held-out NLL (exact or a bound) beside the true
   * density's own, how many of the eight modes its samples cover and how many samples lie within
   * 3σ of a mode, a picture of samples beside held-out points, and the density itself on a grid
   * when the model has an exact one.
   */
  void ring8Section(String id, Map<String, String> settings, int trainRows) {
    ModelProvider p = main.registry().get(id);
    int rows = quick ? 2000 : trainRows > 0 ? trainRows : 20_000;
    Dataset train = Ring8.sample(rows, seed, 0);
    Dataset test = Ring8.sample(2000, seed, 1);
    Parameters params = Parameters.parse(id, p.parameters(), settings);
    if (refuses(p, train.schema(), params, "ring8")) {
      return;
    }
    out.printf("   data: %,d training and %,d held-out points of builtin:ring8%n", train.rows(),
        test.rows());
    Progress progress = Progress.forConsole(main.err());
    // no importance-weighted estimate: a diffusion model's costs T network passes per
    // trajectory and row; the bound itself is the figure shown
    ModelResult r = Harness.evaluate(p, params, train, test, new Harness.Settings(seed,
        quick ? 500 : 2000, threads, 0, 20, null), progress);
    progress.finish();
    // the true density's own held-out NLL: −mean log((1/8) Σ_k N(x; c_k, σ² I))
    double trueNll = 0;
    double s2 = Ring8.SIGMA * Ring8.SIGMA;
    for (int i = 0; i < test.rows(); i++) {
      double sum = 0;
      for (int k = 0; k < Ring8.MODES; k++) {
        double[] c = Ring8.centre(k);
        double dx = test.value(i, 0) - c[0];
        double dy = test.value(i, 1) - c[1];
        sum += Math.exp(-(dx * dx + dy * dy) / (2 * s2)) / (2 * Math.PI * s2);
      }
      trueNll -= Math.log(sum / Ring8.MODES);
    }
    trueNll /= test.rows();
    Dataset samples = r.samples();
    int[] perMode = new int[Ring8.MODES];
    int near = 0;
    for (int i = 0; i < samples.rows(); i++) {
      double x = samples.value(i, 0);
      double y = samples.value(i, 1);
      int k = Ring8.nearestMode(x, y);
      double[] c = Ring8.centre(k);
      if (Math.hypot(x - c[0], y - c[1]) <= 3 * Ring8.SIGMA) {
        near++;
        perMode[k]++;
      }
    }
    int covered = 0;
    for (int c : perMode) {
      covered += c > 0 ? 1 : 0;
    }
    String likelihood = r.likelihood() == null ? Report.NO_LIKELIHOOD
        : String.format(Locale.ROOT, "held-out NLL %s nats per point (%s; the true density"
            + " scores %.3f)", Report.num(r.likelihood().nllNatsPerRow()),
            r.kind().equals("exact") ? "exact" : "an upper bound", trueNll);
    String modes = String.format(Locale.ROOT, "%d of %d modes covered, %.1f%% of %d samples"
        + " within 3σ of a mode", covered, Ring8.MODES, 100.0 * near / samples.rows(),
        samples.rows());
    out.println("   " + likelihood);
    out.println("   " + modes);
    report.paragraph(likelihood + "; " + modes + ".");
    report.results(List.of(r));
    Plots.Frame frame = new Plots.Frame(-2.6, 2.6, -2.6, 2.6);
    Plots.Canvas c = new Plots.Canvas(400, 400, frame, false);
    c.points(test, 0xaaaaaa, 2);
    c.points(samples, Plots.COLOURS[1], 2);
    java.awt.image.BufferedImage picture = Plots.withAxes(c.image, frame, "x", "y");
    String caption = id + " on ring8: samples (red) over held-out points (grey), x and y from"
        + " -2.6 to 2.6";
    if (r.fitted() instanceof ExactDensity exact) {
      int side = 200;
      double[] xs = new double[side * side];
      double[] ys = new double[side * side];
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          xs[y * side + x] = frame.x0() + (x + 0.5) * (frame.x1() - frame.x0()) / side;
          ys[y * side + x] = frame.y1() - (y + 0.5) * (frame.y1() - frame.y0()) / side;
        }
      }
      double[] logp = exact.logDensities(Dataset.of(train.schema(), side * side,
          new Object[] {xs, ys}));
      double max = Double.NEGATIVE_INFINITY;
      for (double v : logp) {
        max = Math.max(max, v);
      }
      double[] shade = new double[logp.length];
      for (int i = 0; i < logp.length; i++) {
        // white where the density is 0, black at its peak (linear in the density)
        shade[i] = 1 - Math.exp(logp[i] - max);
      }
      picture = Plots.beside(picture, Plots.withAxes(Plots.grayMap(shade, side, side, 2), frame,
          "x", "y"));
      caption += "; right: the fitted density on the same square (dark = dense)";
    }
    byte[] png = Plots.png(Plots.titled(picture, id + " on ring8: samples (red) over held-out"
        + " points (grey)" + (r.fitted() instanceof ExactDensity ? "; right: the fitted density"
        : "")));
    write(id + "-ring8.png", path -> Plots.write(path, png));
    report.picture(caption, png);
  }

  /** Whether the model cannot model the section's data; if so, says why and that it skips. */
  private boolean refuses(ModelProvider p, Schema schema, Parameters params, String data) {
    Support support = p.supports(schema, params);
    if (support.supported()) {
      return false;
    }
    String why = "model '" + p.id() + "' cannot model " + data + ": " + support.reason()
        + ": skipped";
    out.println("   " + why);
    report.paragraph(why + ".");
    return true;
  }

  /** The first two latent coordinates of {@code data}, coloured by its 'label' column. */
  static byte[] latentMap(LatentSpace latent, Dataset data, String title) {
    return Plots.png(LatentCommand.scatter(latent.encode(data), latent.latentDimension(),
        data.rows(), LatentCommand.Labels.of(data), title));
  }

  /** The most training and test images a plugin's Fashion-MNIST section uses. */
  static final int PLUGIN_TRAIN = 10_000;
  static final int PLUGIN_TEST = 2000;

  /** Cans in the training set (full, quick) and held-out cans of the cans section. */
  static final int[] CANS_TRAIN = {4000, 2000};
  static final int CANS_TEST = 1000;
  /** Bins of a factor's range for colouring the latent maps. */
  static final int FACTOR_BINS = 6;

  /**
   * The founding story's cans with a latent-space model: fitted with a 2-D latent space on
   * cans whose only factors are height and width, it should place held-out cans so that both
   * factors can be read off the two coordinates (R² of a linear regression), and decode the
   * plane into cans that change smoothly in height and width.
   */
  void cansSection(String id, Map<String, String> settings) {
    ModelProvider p = main.registry().get(id);
    Parameters params = Parameters.parse(id, p.parameters(), settings);
    int rows = CANS_TRAIN[quick ? 1 : 0];
    Dataset train = Cans.sample(rows, seed, 0);
    Dataset test = Cans.sample(CANS_TEST, seed, 1);
    if (refuses(p, train.schema(), params, "cans")) {
      return;
    }
    Progress progress = Progress.forConsole(main.err());
    long start = System.nanoTime();
    GenerativeModel model = p.fit(train, params, new FitContext(seed, threads, progress, null));
    progress.finish();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!(model instanceof LatentSpace latent) || latent.latentDimension() != 2) {
      String why = "model '" + id + "' has no 2-D latent space: skipped";
      out.println("   " + why);
      report.paragraph(why + ".");
      return;
    }
    String how = String.format(Locale.ROOT, "fitted with %s on %d cans of 32×32 pixels (height"
        + " %.0f–%.0f px, width %.0f–%.0f px, independent and uniform) in %.1f s", settings
        .entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(
            " ")), rows, Cans.MIN_HEIGHT, Cans.MAX_HEIGHT, Cans.MIN_WIDTH, Cans.MAX_WIDTH, seconds);
    out.println("   " + how);
    double[] z = latent.encode(test);
    Dataset meta = test.metadata().orElseThrow();
    double[] height = meta.doubles(meta.schema().indexOf("height"));
    double[] width = meta.doubles(meta.schema().indexOf("width"));
    double r2h = LatentFactors.rSquared(z, 2, height);
    double r2w = LatentFactors.rSquared(z, 2, width);
    String found = String.format(Locale.ROOT, "the posterior means of %d held-out cans explain"
        + " their height with R² = %.3f and their width with R² = %.3f (linear regression on the"
        + " 2 latent coordinates; the model never saw either factor)", CANS_TEST, r2h, r2w);
    out.println("   " + found);
    report.paragraph(how + ". " + found.substring(0, 1).toUpperCase(Locale.ROOT)
        + found.substring(1) + ".");
    byte[] map = Plots.png(Plots.beside(
        LatentCommand.scatter(z, 2, test.rows(), binned("height", height, Cans.MIN_HEIGHT,
            Cans.MAX_HEIGHT), id + " on cans: latent positions by true height"),
        LatentCommand.scatter(z, 2, test.rows(), binned("width", width, Cans.MIN_WIDTH,
            Cans.MAX_WIDTH), id + " on cans: latent positions by true width")));
    write(id + "-cans-latent.png", path -> Plots.write(path, map));
    report.picture(id + ": the latent positions of held-out cans, coloured by their true height"
        + " (left) and width (right)", map);
    int n = 12;
    Dataset decoded = latent.decode(LatentCommand.gridPoints(n, 2), n * n);
    byte[] grid = Plots.png(Plots.titled(PngImages.panels(List.of(decoded), n, 2), id
        + " on cans: decoded means over the latent plane (z1 left to right, z2 bottom to top)"));
    write(id + "-cans-grid.png", path -> Plots.write(path, grid));
    report.picture(id + ": decoded mean images over the latent plane (" + n + " × " + n
        + ", the prior's central 90% on each axis)", grid);
  }

  /** A continuous factor cut into {@link #FACTOR_BINS} equal bins of [lo, hi], as labels. */
  static LatentCommand.Labels binned(String name, double[] values, double lo, double hi) {
    int[] codes = new int[values.length];
    double step = (hi - lo) / FACTOR_BINS;
    for (int i = 0; i < values.length; i++) {
      codes[i] = Math.min(FACTOR_BINS - 1, Math.max(0, (int) ((values[i] - lo) / step)));
    }
    List<String> names = new ArrayList<>();
    for (int b = 0; b < FACTOR_BINS; b++) {
      names.add(String.format(Locale.ROOT, "%s %.0f–%.0f px", name, lo + b * step,
          lo + (b + 1) * step));
    }
    return new LatentCommand.Labels(codes, names);
  }

  private void writeText(String name, String text) {
    write(name, path -> AtomicFiles.write(path, o -> o.write(text.getBytes(
        StandardCharsets.UTF_8))));
  }

  private void write(String name, java.util.function.Consumer<Path> writer) {
    writer.accept(outDir.resolve(name));
    written.add(name);
  }
}
