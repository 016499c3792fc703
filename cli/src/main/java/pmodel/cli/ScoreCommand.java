package pmodel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import pmodel.api.Capability;
import pmodel.api.DensityBound;
import pmodel.api.ExactDensity;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Dataset;
import pmodel.eval.LikelihoodReport;
import pmodel.data.io.AtomicFiles;
import pmodel.data.DataSources;
import pmodel.runtime.ModelFiles;
import pmodel.data.io.ReadOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code pmodel score}: how likely data is under a saved model. */
@Command(name = "score", description = "Score data under a model: mean negative log-likelihood"
    + " in nats per row and bits per dimension.")
final class ScoreCommand implements Callable<Integer> {
  @ParentCommand
  Main main;

  @Mixin
  CommonOptions common;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file.")
  Path modelFile;

  @Option(names = "--data", required = true, paramLabel = "SOURCE",
      description = "Data with the model's schema (a file or a builtin: source).")
  String data;

  @Option(names = "--per-row", paramLabel = "FILE",
      description = "Also write each row's log-probability (natural log) as CSV, in input order.")
  Path perRow;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seed of stochastic bounds (models without an exact density).")
  long seed;

  @Option(names = "--iw", arity = "0..1", paramLabel = "K", fallbackValue = "0",
      description = "For models that bound the likelihood: the importance-weighted estimate"
          + " with K samples per row (default: the model's 'importance' hyperparameter, else"
          + " 100), tighter than the negative ELBO.")
  Integer importance;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  /** 0 for the ELBO; otherwise the k of --iw (0 given means the model's default). */
  private int importanceSamples(GenerativeModel model) {
    if (importance == null) {
      return 0;
    }
    if (model instanceof ExactDensity) {
      throw PmodelException.badInput("--iw applies to models that bound the likelihood; model '"
          + model.providerId() + "' computes it exactly");
    }
    if (importance != 0) {
      if (importance < 1 || importance > 100_000) {
        throw PmodelException.badInput("--iw " + importance + " is out of range; expected"
            + " 1..100000");
      }
      return importance;
    }
    String declared = model.hyperparameters().asStrings().get("importance");
    try {
      return declared == null ? 100 : Integer.parseInt(declared);
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  @Override
  public Integer call() {
    int threads = common.threads();
    if (perRow != null) {
      AtomicFiles.checkWritable(perRow);
      AtomicFiles.checkNotInput("--per-row", perRow, "--model", modelFile);
      AtomicFiles.checkNotInput("--per-row", perRow, "--data", AtomicFiles.sourceFile(data));
    }
    GenerativeModel model = ModelFiles.load(modelFile, main.registry()).model();
    String kind = Capability.likelihoodKind(model);
    if (kind.equals("none")) {
      throw PmodelException.badInput("model '" + model.providerId() + "' is " + model.family().id()
          + ": it has no likelihood to score, only a sampler; compare its samples with"
          + " 'pmodel evaluate' instead");
    }
    Dataset dataset = DataSources.read(data,
        new ReadOptions(model.schema(), java.util.Set.of(), common.dataDir));
    if (dataset.rows() == 0) {
      throw PmodelException.badInput(data + ": no data rows; expected at least one");
    }
    double[] logP = new double[dataset.rows()];
    int k = importanceSamples(model);
    if (model instanceof ExactDensity exact) {
      exact.logDensities(dataset, logP, threads);
    } else if (k > 0) {
      ((DensityBound) model).importanceWeighted(dataset, k, logP, seed);
    } else {
      ((DensityBound) model).lowerBounds(dataset, logP, seed);
    }
    double total = 0;
    int firstZero = -1;
    for (int i = 0; i < logP.length; i++) {
      // a probability is at most 1 and never undefined; NaN or +infinity means the parameters
      // are corrupt or the arithmetic broke down, and is never printed as a score
      if (Double.isNaN(logP[i]) || logP[i] == Double.POSITIVE_INFINITY) {
        throw PmodelException.badInput("model file " + modelFile + ": model '"
            + model.providerId() + "' gave row " + (i + 1) + " of " + data + " the"
            + " log-probability " + logP[i] + "; its parameters are corrupt or not finite"
            + " (refit the model)");
      }
      total += logP[i];
      if (firstZero < 0 && logP[i] == Double.NEGATIVE_INFINITY) {
        firstZero = i;
      }
    }
    LikelihoodReport r = LikelihoodReport.of(kind, dataset.rows(), dataset.schema().size(),
        total);
    if (perRow != null) {
      AtomicFiles.write(perRow, o -> {
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(o, StandardCharsets.UTF_8));
        w.write("row,log_prob\n");
        for (int i = 0; i < logP.length; i++) {
          w.write(Integer.toString(i + 1));
          w.write(',');
          w.write(Double.toString(logP[i]));
          w.write('\n');
        }
        w.flush();
      });
    }
    if (json) {
      ObjectNode o = JsonOut.object();
      o.put("rows", r.rows());
      JsonOut.putNumber(o, "nll_nats_per_row", r.nllNatsPerRow());
      JsonOut.putNumber(o, "bits_per_dim", r.bitsPerDim());
      o.put("kind", kind);
      if (kind.equals("bound")) {
        o.put("estimate", k > 0 ? "importance-weighted" : "elbo");
        if (k > 0) {
          o.put("k", k);
        }
      }
      o.put("infinite", r.infinite());
      main.out().println(JsonOut.write(o));
      return 0;
    }
    String what = kind.equals("exact") ? "exact" : k > 0 ? "importance-weighted with k = " + k
        + ": an upper bound in expectation, tighter than the negative ELBO"
        : "an upper bound (negative ELBO)";
    main.out().printf("rows: %d%n", r.rows());
    if (r.infinite()) {
      main.out().printf("nll: infinite (%s): row %d and maybe others have probability zero under"
          + " the model (values it never saw, with alpha = 0, or outside its range)%n", what,
          firstZero + 1);
      main.out().println("bits/dim: infinite");
    } else {
      main.out().printf("nll: %s nats per row (%s)%n", Format.number(r.nllNatsPerRow()), what);
      main.out().printf("bits/dim: %.6f%n", r.bitsPerDim());
    }
    return 0;
  }
}
