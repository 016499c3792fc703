package pmodel.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.GenerativeModel;
import pmodel.api.LatentDecoder;
import pmodel.api.error.PmodelException;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.data.io.AtomicFiles;
import pmodel.data.io.CsvData;
import pmodel.runtime.ModelFiles;
import pmodel.data.io.PngImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code pmodel interpolate}: decoded paths between random latent points. */
@Command(name = "interpolate", description = {
    "Walk a latent decoder's latent space (a gan, a vae): draw --pairs pairs of latent points"
        + " from N(0, I) and decode --steps points on the great-circle path (spherical"
        + " interpolation) from the first point of each pair to the second.",
    "A .png holds one row of images per pair (image models); a .csv the decoded rows, pair by"
        + " pair, step by step."})
final class InterpolateCommand implements Callable<Integer> {
  /** The most pairs and steps. */
  static final int MAX = 64;

  @ParentCommand
  Main main;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file.")
  Path modelFile;

  @Option(names = "--pairs", paramLabel = "N", defaultValue = "8",
      description = "Pairs of latent points, one path each (default: ${DEFAULT-VALUE}).")
  int pairs;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "10",
      description = "Points per path, both ends included (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seed of the end points (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "A .png grid (image models) or a .csv file (replaced atomically).")
  Path out;

  @Override
  public Integer call() {
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean png = name.endsWith(".png");
    if (!png && !name.endsWith(".csv")) {
      throw PmodelException.badInput("--out " + out + ": unknown file type; expected .png or"
          + " .csv");
    }
    if (pairs < 1 || pairs > MAX) {
      throw PmodelException.badInput("--pairs " + pairs + " is out of range; expected 1.." + MAX);
    }
    if (steps < 2 || steps > MAX) {
      throw PmodelException.badInput("--steps " + steps + " is out of range; expected 2.." + MAX);
    }
    AtomicFiles.checkWritable(out);
    AtomicFiles.checkNotInput("--out", out, "--model", modelFile);
    GenerativeModel model = ModelFiles.load(modelFile, main.registry()).model();
    if (!(model instanceof LatentDecoder decoder)) {
      throw PmodelException.badInput("model '" + model.providerId() + "' has no latent space to"
          + " walk; 'pmodel interpolate' needs the latent-decoding capability (e.g. a gan)");
    }
    if (png && !model.schema().isImage()) {
      throw PmodelException.badInput(out + ": a PNG grid needs an image model; this model's"
          + " data is a table: write .csv");
    }
    int dims = decoder.latentDimension();
    double[] z = paths(pairs, steps, dims, seed);
    Dataset rows = decoder.decode(z, pairs * steps);
    if (png) {
      PngImages.writeGrid(out, rows, steps, 2);
    } else {
      CsvData.write(out, rows);
    }
    main.out().printf("wrote %d paths of %d decoded points to %s%n", pairs, steps, out);
    return 0;
  }

  /**
   * Row-major latent points: for each pair p, {@code steps} points slerp(a_p, b_p, t) at t = 0,
   * 1/(steps−1), ..., 1, with a_p and b_p standard normal from stream (seed, p). Spherical
   * interpolation (White 2016) keeps the norm near that of typical N(0, I) points, which a
   * straight line between two of them does not (its middle is shorter by about √2).
   */
  static double[] paths(int pairs, int steps, int dims, long seed) {
    double[] z = new double[pairs * steps * dims];
    for (int p = 0; p < pairs; p++) {
      UniformRandomProvider rng = RandomStreams.create(seed, p);
      double[] a = normals(rng, dims);
      double[] b = normals(rng, dims);
      double dot = 0;
      double na = 0;
      double nb = 0;
      for (int i = 0; i < dims; i++) {
        dot += a[i] * b[i];
        na += a[i] * a[i];
        nb += b[i] * b[i];
      }
      double omega = Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb))));
      double so = Math.sin(omega);
      for (int s = 0; s < steps; s++) {
        double t = (double) s / (steps - 1);
        double wa = so < 1e-9 ? 1 - t : Math.sin((1 - t) * omega) / so;
        double wb = so < 1e-9 ? t : Math.sin(t * omega) / so;
        int base = (p * steps + s) * dims;
        for (int i = 0; i < dims; i++) {
          z[base + i] = wa * a[i] + wb * b[i];
        }
      }
    }
    return z;
  }

  private static double[] normals(UniformRandomProvider rng, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i += 2) {
      double r = Math.sqrt(-2 * Math.log(1 - rng.nextDouble()));
      double a = 2 * Math.PI * rng.nextDouble();
      v[i] = r * Math.cos(a);
      if (i + 1 < n) {
        v[i + 1] = r * Math.sin(a);
      }
    }
    return v;
  }
}
