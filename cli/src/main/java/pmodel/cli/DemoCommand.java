package pmodel.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import pmodel.api.ExactDensity;
import pmodel.api.GenerativeModel;
import pmodel.api.ModelRegistry;
import pmodel.api.PmodelException;
import pmodel.api.builtin.FashionMnist;
import pmodel.api.builtin.Outfits;
import pmodel.api.data.Dataset;
import pmodel.api.data.ProductSpace;
import pmodel.api.data.Schema;
import pmodel.api.eval.Evaluation;
import pmodel.api.io.AtomicFiles;
import pmodel.api.io.CsvData;
import pmodel.api.io.PngImages;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.spi.Parameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code pmodel demo}: the founding story on built-in data, with numbers computed on the spot.
 * A model that is not installed, or data that is not present, is named and skipped.
 */
@Command(name = "demo", description = "Run the founding story on built-in data: histogram versus"
    + " naive Bayes on 'outfits' (the crossover), naive Bayes on Fashion-MNIST.")
final class DemoCommand implements Callable<Integer> {
  @ParentCommand
  Main main;

  @Mixin
  CommonOptions common;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "pmodel-demo",
      description = "Where to write the tables and pictures (default: ${DEFAULT-VALUE}).")
  Path outDir;

  @Option(names = "--quick", description = "Smaller sizes, same code path (for tests).")
  boolean quick;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed.")
  long seed;

  private PrintWriter out;
  private int section;
  private final List<String> written = new ArrayList<>();

  @Override
  public Integer call() {
    out = main.out();
    int threads = common.threads();
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw PmodelException.badInput("cannot create --out " + outDir + ": " + e.getMessage());
    }
    out.println("pmodel demo: the founding story on built-in data (seed " + seed + ")");
    out.println();
    outfits(threads);
    out.println();
    fashion(threads);
    out.println();
    out.println("wrote " + String.join(", ", written) + " in " + outDir);
    return 0;
  }

  private Optional<ModelProvider> provider(String id) {
    ModelRegistry r = main.registry();
    Optional<ModelProvider> p = r.find(id);
    if (p.isEmpty()) {
      out.println("  (model '" + id + "' is not installed: skipped)");
    }
    return p;
  }

  private GenerativeModel fit(ModelProvider p, Dataset data, int threads) {
    return p.fit(data, Parameters.defaults(p.parameters()), FitContext.of(seed, threads));
  }

  /** Histogram vs naive Bayes on outfits: exact KL and held-out NLL against N. */
  private void outfits(int threads) {
    out.println(++section + ". outfits: 5 features, 3*8*4*6*7 = 4032 cells, drawn from a known P_data");
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
    int firstHistogramWin = -1;
    boolean nbWinsSmall = false;
    GenerativeModel nbAt5000 = null;
    Dataset trainAt5000 = null;
    for (int n : sizes) {
      Dataset train = Outfits.sample(n, seed, 0);
      ExactDensity h = (ExactDensity) fit(hist.get(), train, threads);
      ExactDensity b = (ExactDensity) fit(nb.get(), train, threads);
      double klH = Evaluation.klDivergence(p, h);
      double klB = Evaluation.klDivergence(p, b);
      double nllH = Evaluation.exactNll(h, test, threads).nllNatsPerRow();
      double nllB = Evaluation.exactNll(b, test, threads).nllNatsPerRow();
      out.printf("   %7d  %14.4f  %16.4f  %14.4f  %16.4f%n", n, klH, klB, nllH, nllB);
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
    if (nbWinsSmall && firstHistogramWin > 0) {
      out.printf("   Naive Bayes (23 free parameters) wins on little data; the histogram (4031)"
          + " wins from N = %d on: it can represent P_data exactly, given enough rows.%n",
          firstHistogramWin);
    } else {
      out.println("   (no crossover at these sizes)");
    }
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
      for (int i = 0; i < samples.rows(); i++) {
        StringBuilder row = new StringBuilder();
        for (int f = 0; f < s.size(); f++) {
          row.append(f == 0 ? "" : ", ").append(s.discrete(f).level(samples.code(i, f)));
        }
        boolean copy = seen.contains(space.index(samples, i));
        copies += copy ? 1 : 0;
        out.printf("     %s%s%n", row, copy ? "" : "   (not in the training data)");
      }
      out.printf("   %d of 10 also occur among the 5000 training rows.%n", copies);
      write("outfits-naive-bayes-samples.csv", path -> CsvData.write(path, samples));
    }
  }

  /** Naive Bayes on Fashion-MNIST: exact bits/dim and samples that are noise. */
  private void fashion(int threads) {
    out.println(++section + ". Fashion-MNIST: naive Bayes on 784 pixels of 256 levels");
    if (FashionMnist.locate(common.dataDir).isEmpty()) {
      out.println("   Fashion-MNIST is not installed: skipped (apt-get install"
          + " dataset-fashion-mnist, or --data-dir DIR)");
      return;
    }
    Optional<ModelProvider> nb = provider("naive-bayes");
    if (nb.isEmpty()) {
      return;
    }
    Dataset train = FashionMnist.read(FashionMnist.Split.TRAIN, common.dataDir);
    Dataset test = FashionMnist.read(FashionMnist.Split.TEST, common.dataDir);
    if (quick) {
      train = train.slice(0, 10_000);
      test = test.slice(0, 2000);
    }
    ExactDensity m = (ExactDensity) fit(nb.get(), train, threads);
    double bits = Evaluation.exactNll(m, test, threads).bitsPerDim();
    out.printf("   fitted on %d images; exact test NLL %.6f bits/dim (uniform: 8)%n",
        train.rows(), bits);
    Dataset samples = m.sample(100, seed, threads);
    Dataset real = test.slice(0, 100);
    write("fashion-naive-bayes.png",
        path -> PngImages.writePanels(path, List.of(samples, real), 10, 2));
    out.println("   samples (left) are noise beside real images (right): neighbouring pixels"
        + " depend on each other, and naive Bayes cannot say so");
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
