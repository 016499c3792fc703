package pmodel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import pmodel.runtime.ModelRegistry;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Outfits;
import pmodel.data.builtin.World;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.eval.Harness;
import pmodel.eval.ImageQuality;
import pmodel.eval.LikelihoodReport;
import pmodel.eval.ModelResult;
import pmodel.eval.TableBins;
import pmodel.eval.TableQuality;
import pmodel.data.io.AtomicFiles;
import pmodel.data.DataSources;
import pmodel.data.io.PngImages;
import pmodel.data.io.ReadOptions;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.Parameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code pmodel evaluate}: fits several models on one training set and compares them on one
 * held-out set in the same units (held-out NLL, exact KL when P_data is known, sample quality).
 */
@Command(name = "evaluate", description = "Fit several models on the same training data and"
    + " compare them on the same held-out data: fit time, free parameters, held-out NLL (exact,"
    + " bound or none), sample quality.")
final class EvaluateCommand implements Callable<Integer> {
  @ParentCommand
  Main main;

  @Mixin
  CommonOptions common;

  @Option(names = "--train", required = true, paramLabel = "SOURCE",
      description = "Training data: a CSV or IDX file or a builtin: source.")
  String train;

  @Option(names = "--test", required = true, paramLabel = "SOURCE",
      description = "Held-out data with the same schema (a CSV is read against the training"
          + " data's schema).")
  String test;

  @Option(names = "--models", required = true, split = ",", paramLabel = "ID",
      description = "The models to compare, e.g. histogram,naive-bayes.")
  List<String> models;

  @Option(names = "--set", paramLabel = "MODEL.NAME=VALUE",
      description = "A hyperparameter of one model, e.g. histogram.bins=36.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seed of fits, samples and stochastic bounds (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "1000",
      description = "Samples per model for the sample metrics (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--importance-samples", paramLabel = "K", defaultValue = "100",
      description = "Samples per row of the importance-weighted bound of models with a density"
          + " bound; 0 skips it (default: ${DEFAULT-VALUE}).")
  int importanceSamples;

  @Option(names = "--bins", paramLabel = "N", defaultValue = "20",
      description = "Bins per continuous feature for the table metrics (default:"
          + " ${DEFAULT-VALUE}).")
  int bins;

  @Option(names = "--json", description = "Print a JSON array, one object per model.")
  boolean json;

  @Option(names = "--report", paramLabel = "FILE",
      description = "Also write a self-contained HTML report (replaced atomically).")
  Path report;

  @Mixin
  CommonOptions.SchemaOptions schema = new CommonOptions.SchemaOptions();

  /** A model to evaluate with its parsed parameters. */
  record Candidate(ModelProvider provider, Parameters params) {
  }

  @Override
  public Integer call() {
    int threads = common.threads();
    Harness.Settings base = new Harness.Settings(seed, samples, threads, importanceSamples, bins,
        null);
    if (report != null) {
      AtomicFiles.checkWritable(report);
      AtomicFiles.checkNotInput("--report", report, "--train", AtomicFiles.sourceFile(train));
      AtomicFiles.checkNotInput("--report", report, "--test", AtomicFiles.sourceFile(test));
      AtomicFiles.checkNotInput("--report", report, "--schema", schema.schemaFile);
    }
    List<Candidate> candidates = candidates(main.registry(), models, settings);
    Dataset trainData = DataSources.read(train,
        schema.readOptions(common.dataDir));
    Dataset testData = readTest(test, trainData.schema(), common.dataDir);
    for (Candidate c : candidates) {
      Harness.check(c.provider(), c.params(), trainData, testData, train, test);
    }
    Harness.Settings s = new Harness.Settings(seed, samples, threads, importanceSamples, bins,
        knownProbabilities(train, test));
    List<ModelResult> results = new ArrayList<>();
    for (Candidate c : candidates) {
      Progress progress = Progress.forConsole(main.err());
      results.add(Harness.evaluate(c.provider(), c.params(), trainData, testData, s, progress));
      progress.finish();
    }
    if (json) {
      main.out().println(JsonOut.write(json(results, trainData.schema())));
    } else {
      printText(main.out(), results, trainData, testData);
    }
    if (report != null) {
      report(trainData, testData, results, base).write(report);
      if (!json) {
        main.out().println("wrote " + report);
      }
    }
    return 0;
  }

  /**
   * The providers and parameters for {@code --models} and {@code --set}: unknown ids, repeated
   * ids and settings for models not listed are refused before anything is read.
   */
  static List<Candidate> candidates(ModelRegistry registry, List<String> ids,
      Map<String, String> settings) {
    if (ids.isEmpty()) {
      throw PmodelException.badInput("--models lists no model id; expected ids such as"
          + " histogram,naive-bayes");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String id : ids) {
      if (id.isBlank()) {
        throw PmodelException.badInput("--models lists an empty model id; expected ids such as"
            + " histogram,naive-bayes");
      }
      if (!seen.add(id)) {
        throw PmodelException.badInput("--models lists '" + id + "' twice");
      }
    }
    Map<String, Map<String, String>> byModel = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey();
      int dot = key.indexOf('.');
      if (dot <= 0 || dot == key.length() - 1) {
        throw PmodelException.badInput("--set " + key + "=" + e.getValue() + ": expected"
            + " MODEL.NAME=VALUE, e.g. histogram.bins=36");
      }
      String id = key.substring(0, dot);
      if (!seen.contains(id)) {
        throw PmodelException.badInput("--set " + key + "=" + e.getValue() + ": model '" + id
            + "' is not in --models (" + String.join(", ", seen) + ")");
      }
      byModel.computeIfAbsent(id, k -> new LinkedHashMap<>()).put(key.substring(dot + 1),
          e.getValue());
    }
    List<Candidate> out = new ArrayList<>();
    for (String id : seen) {
      ModelProvider p = registry.get(id);
      out.add(new Candidate(p, Parameters.parse(id, p.parameters(),
          byModel.getOrDefault(id, Map.of()))));
    }
    return out;
  }

  /**
   * Reads held-out data: a built-in source as it is (its schema is compared by the harness), a
   * file against the training schema, so that a CSV gets the same levels.
   */
  static Dataset readTest(String source, Schema trainSchema, Path dataDir) {
    if (source.startsWith("builtin:")) {
      return DataSources.read(source, ReadOptions.defaults().withDataDir(dataDir));
    }
    return DataSources.read(source, new ReadOptions(trainSchema, Set.of(), dataDir));
  }

  /** P_data's cell probabilities when both sources are the built-in outfits, else null. */
  static double[] knownProbabilities(String train, String test) {
    return isBuiltin(train, "outfits") && isBuiltin(test, "outfits") ? Outfits.probabilities()
        : null;
  }

  static boolean isBuiltin(String source, String name) {
    String p = "builtin:" + name;
    return source.equals(p) || source.startsWith(p + ":") || source.startsWith(p + "?");
  }

  private static void printText(PrintWriter out, List<ModelResult> results, Dataset train,
      Dataset test) {
    out.printf("trained on %d rows, evaluated on %d held-out rows and %d samples per model%n",
        train.rows(), test.rows(), results.get(0).samples().rows());
    List<String> header = Report.resultHeader(results);
    List<List<String>> rows = Report.resultRows(results);
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> r : rows) {
        String cell = r.get(i);
        if (!cell.equals(Report.NO_LIKELIHOOD)) {
          width[i] = Math.max(width[i], cell.length());
        }
      }
    }
    List<String> notes = new ArrayList<>();
    out.println(line(header, width));
    for (List<String> r : rows) {
      List<String> cells = new ArrayList<>(r);
      for (int i = 0; i < cells.size(); i++) {
        if (cells.get(i).equals(Report.NO_LIKELIHOOD)) {
          cells.set(i, "none*");
          notes.add("* " + r.get(0) + ": " + Report.NO_LIKELIHOOD);
        }
      }
      out.println(line(cells, width));
    }
    if (results.stream().anyMatch(r -> r.likelihood() != null && r.likelihood().infinite())) {
      notes.add(Report.INFINITE);
    }
    notes.forEach(out::println);
  }

  private static String line(List<String> cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      if (i == 0 || i == 1 || i == 4) {
        sb.append(c).append(" ".repeat(Math.max(0, width[i] - c.length())));
      } else {
        sb.append(" ".repeat(Math.max(0, width[i] - c.length()))).append(c);
      }
      sb.append(i + 1 < cells.size() ? "  " : "");
    }
    return sb.toString().stripTrailing();
  }

  /** The --json array. */
  static ArrayNode json(List<ModelResult> results, Schema schema) {
    ArrayNode arr = JsonOut.array();
    for (ModelResult r : results) {
      ObjectNode o = arr.addObject();
      o.put("model", r.model());
      o.put("family", r.family().id());
      o.put("fit_seconds", r.fitSeconds());
      JsonOut.putCount(o, "free_parameters", r.freeParameters());
      o.put("kind", r.kind());
      LikelihoodReport l = r.likelihood();
      if (l == null) {
        o.putNull("nll_nats_per_row");
        o.putNull("bits_per_dim");
        o.put("likelihood", Report.NO_LIKELIHOOD);
      } else {
        JsonOut.putNumber(o, "nll_nats_per_row", l.nllNatsPerRow());
        JsonOut.putNumber(o, "bits_per_dim", l.bitsPerDim());
        o.put("nll_infinite", l.infinite());
        o.put("test_rows", l.rows());
      }
      if (r.importanceWeighted() != null) {
        JsonOut.putNumber(o, "iw_nll_nats_per_row", r.importanceWeighted().nllNatsPerRow());
        JsonOut.putNumber(o, "iw_bits_per_dim", r.importanceWeighted().bitsPerDim());
        o.put("importance_samples", r.importanceSamples());
      }
      if (r.klNats() != null) {
        JsonOut.putNumber(o, "kl_nats", r.klNats());
      }
      o.put("samples", r.samples().rows());
      TableQuality t = r.table();
      if (t != null) {
        JsonOut.putNumber(o, "marginal_tv", t.marginalTv());
        ObjectNode per = o.putObject("marginal_tv_by_feature");
        double[] tvs = t.marginalTvs();
        for (int f = 0; f < tvs.length; f++) {
          per.put(schema.feature(f).name(), tvs[f]);
        }
        JsonOut.putNumber(o, "pair_tv", t.pairTv());
        o.put("copy_fraction", t.copyFraction());
      }
      ImageQuality q = r.images();
      if (q != null) {
        o.put("nearest_train_distance", q.nearestTrainingDistance());
        o.put("heldout_nearest_train_distance", q.heldOutNearestTrainingDistance());
        o.put("pixel_mean_error", q.pixelMeanError());
        o.put("pixel_variance_error", q.pixelVarianceError());
        o.put("copy_fraction", q.copyFraction());
      }
    }
    return arr;
  }

  /** The HTML report of an evaluation. */
  Report report(Dataset trainData, Dataset testData, List<ModelResult> results,
      Harness.Settings s) {
    Report r = new Report("pmodel evaluate: " + String.join(", ", models));
    r.paragraph("Training data " + train + " (" + trainData.rows() + " rows), held-out data "
        + test + " (" + testData.rows() + " rows), " + s.samples() + " samples per model, seed "
        + seed + ".");
    r.heading("Results");
    r.results(results);
    samplesSection(r, trainData, testData, results, s.tableBins());
    return r;
  }

  /** Pictures and plots of the samples next to real data, as the data's kind allows. */
  static void samplesSection(Report r, Dataset trainData, Dataset testData,
      List<ModelResult> results, int tableBins) {
    Schema schema = testData.schema();
    if (schema.isImage()) {
      r.heading("Samples (left) next to held-out images (right)");
      Dataset real = testData.slice(0, Math.min(64, testData.rows()));
      for (ModelResult m : results) {
        Dataset smp = m.samples().slice(0, Math.min(64, m.samples().rows()));
        r.picture(m.model() + ": samples (left), held-out images (right)",
            Plots.png(PngImages.panels(List.of(smp, real), 8, 2)));
      }
      return;
    }
    if (schema.size() == 2 && schema.hasContinuous() && !schema.feature(0).isDiscrete()
        && !schema.feature(1).isDiscrete()) {
      r.heading("Samples next to held-out points");
      boolean world = schema.equals(World.schema());
      List<Dataset> all = new ArrayList<>();
      all.add(testData);
      results.forEach(m -> all.add(m.samples()));
      Plots.Frame frame = world ? Plots.Frame.WORLD : Plots.Frame.around(all);
      r.picture("held-out data (" + testData.rows() + " points)",
          scatter(frame, world, testData, Plots.COLOURS[0]));
      for (int m = 0; m < results.size(); m++) {
        ModelResult res = results.get(m);
        r.picture(res.model() + ": " + res.samples().rows() + " samples",
            scatter(frame, world, res.samples(), Plots.COLOURS[(m + 1) % Plots.COLOURS.length]));
      }
    }
    r.heading("Marginals of every feature");
    r.marginals(TableBins.of(testData, tableBins), testData, results);
    r.heading("The first rows: held-out data and samples");
    r.sampleRows(testData, results, 8);
  }

  static byte[] scatter(Plots.Frame frame, boolean world, Dataset points, int rgb) {
    Plots.Canvas c = new Plots.Canvas(720, world ? 360 : 480, frame, world);
    c.points(points, rgb, 2);
    return Plots.png(c.image);
  }
}
