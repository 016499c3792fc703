package pmodel.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import pmodel.api.GenerativeModel;
import pmodel.api.LatentSpace;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;
import pmodel.data.io.AtomicFiles;
import pmodel.data.DataSources;
import pmodel.runtime.ModelFiles;
import pmodel.data.io.PngImages;
import pmodel.data.io.ReadOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code pmodel latent}: pictures of a model's latent space. */
@Command(name = "latent", description = {
    "Show a latent-space model's latent plane: with --data, the posterior means of the rows as"
        + " a scatter plot (coloured by the 'label' metadata column when there is one); with"
        + " --grid N, the decoder's mean images over an N x N grid of the plane.",
    "The plane is the first two latent coordinates; the grid spans the prior's central 90%%"
        + " (standard-normal quantiles 0.05..0.95) and holds the other coordinates at 0."})
final class LatentCommand implements Callable<Integer> {
  /** Side of the scatter plot in pixels. */
  static final int SIZE = 640;
  /** The largest grid. */
  static final int MAX_GRID = 64;
  private static final int MARGIN = 40;
  private static final Color[] PALETTE = {
      new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
      new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75),
      new Color(227, 119, 194), new Color(127, 127, 127), new Color(188, 189, 34),
      new Color(23, 190, 207)};

  @ParentCommand
  Main main;

  @Mixin
  CommonOptions common;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file.")
  Path modelFile;

  @Option(names = "--data", paramLabel = "SOURCE",
      description = "Rows to place on the latent plane (a file or a builtin: source).")
  String data;

  @Option(names = "--grid", paramLabel = "N",
      description = "Decode an N x N grid of latent points instead (2..64).")
  Integer grid;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "The PNG to write (replaced atomically).")
  Path out;

  @Override
  public Integer call() {
    if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
      throw PmodelException.badInput("--out " + out + ": expected a .png file");
    }
    if ((data == null) == (grid == null)) {
      throw PmodelException.badInput("give either --data SOURCE (a map of the rows) or --grid N"
          + " (decoded images)");
    }
    if (grid != null && (grid < 2 || grid > MAX_GRID)) {
      throw PmodelException.badInput("--grid " + grid + " is out of range; expected 2.."
          + MAX_GRID);
    }
    AtomicFiles.checkWritable(out);
    AtomicFiles.checkNotInput("--out", out, "--model", modelFile);
    AtomicFiles.checkNotInput("--out", out, "--data", AtomicFiles.sourceFile(data));
    GenerativeModel model = ModelFiles.load(modelFile, main.registry()).model();
    if (!(model instanceof LatentSpace latent)) {
      throw PmodelException.badInput("model '" + model.providerId() + "' has no latent space;"
          + " 'pmodel latent' needs the latent-space capability (e.g. a vae)");
    }
    int dims = latent.latentDimension();
    if (grid != null) {
      if (!model.schema().isImage()) {
        throw PmodelException.badInput("--grid draws decoded images; this model's data is a"
            + " table: use --data for a map");
      }
      int n = grid;
      double[] z = gridPoints(n, dims);
      PngImages.writeGrid(out, latent.decode(z, n * n), n, 2);
      main.out().printf("wrote %d x %d decoded images of the latent plane to %s%n", n, n, out);
      return 0;
    }
    Dataset rows = DataSources.read(data,
        new ReadOptions(model.schema(), java.util.Set.of(), common.dataDir));
    if (rows.rows() == 0) {
      throw PmodelException.badInput(data + ": no data rows; expected at least one");
    }
    double[] z = latent.encode(rows);
    Labels labels = Labels.of(rows);
    BufferedImage img = scatter(z, dims, rows.rows(), labels, "latent positions of "
        + rows.rows() + " rows of " + data + (labels == null ? "" : ", coloured by 'label'"));
    AtomicFiles.write(out, o -> {
      if (!ImageIO.write(img, "png", o)) {
        throw new IOException("no PNG writer available");
      }
    });
    main.out().printf("wrote the latent positions of %d rows%s to %s%n", rows.rows(),
        dims > 2 ? " (coordinates 1 and 2 of " + dims + ")" : "", out);
    return 0;
  }

  /** A class per row (codes into {@code names}) for colouring a latent map. */
  record Labels(int[] codes, java.util.List<String> names) {
    /** The rows' 'label' metadata column when there is a discrete one; otherwise null. */
    static Labels of(Dataset rows) {
      Dataset meta = rows.metadata().orElse(null);
      if (meta == null) {
        return null;
      }
      Schema ms = meta.schema();
      int col = ms.indexOf("label");
      if (col < 0 || !(ms.feature(col) instanceof DiscreteFeature d)) {
        return null;
      }
      int[] codes = new int[rows.rows()];
      for (int i = 0; i < codes.length; i++) {
        codes[i] = meta.code(i, col);
      }
      return new Labels(codes, d.levels());
    }
  }

  /**
   * An n × n grid of latent points, row after row: the first coordinate runs left to right and
   * the second bottom to top over the prior's central 90% (standard-normal quantiles
   * 0.05..0.95); the other coordinates are 0.
   */
  static double[] gridPoints(int n, int dims) {
    double[] z = new double[n * n * dims];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        int i = r * n + c;
        z[i * dims] = normalQuantile(0.05 + 0.9 * c / (n - 1));
        if (dims > 1) {
          z[i * dims + 1] = normalQuantile(0.95 - 0.9 * r / (n - 1));
        }
      }
    }
    return z;
  }

  /**
   * The scatter plot of the first two coordinates (the second is 0 for a 1-D latent space),
   * coloured by {@code labels} when not null, with axis ticks, the axis names and a legend.
   */
  static BufferedImage scatter(double[] z, int dims, int n, Labels labels) {
    return scatter(z, dims, n, labels, null);
  }

  /** {@link #scatter(double[], int, int, Labels)} with a title in the top margin. */
  static BufferedImage scatter(double[] z, int dims, int n, Labels labels, String title) {
    int[] label = labels == null ? null : labels.codes();
    java.util.List<String> names = labels == null ? null : labels.names();
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = z[i * dims];
      ys[i] = dims > 1 ? z[i * dims + 1] : 0;
    }
    double[] rx = range(xs);
    double[] ry = range(ys);
    BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, SIZE, SIZE);
    int span = SIZE - 2 * MARGIN;
    g.setColor(new Color(200, 200, 200));
    g.setStroke(new BasicStroke(1));
    if (rx[0] < 0 && rx[1] > 0) {
      int x0 = MARGIN + (int) Math.round((0 - rx[0]) / (rx[1] - rx[0]) * span);
      g.drawLine(x0, MARGIN, x0, SIZE - MARGIN);
    }
    if (ry[0] < 0 && ry[1] > 0) {
      int y0 = SIZE - MARGIN - (int) Math.round((0 - ry[0]) / (ry[1] - ry[0]) * span);
      g.drawLine(MARGIN, y0, SIZE - MARGIN, y0);
    }
    g.drawRect(MARGIN, MARGIN, span, span);
    int dot = n > 20_000 ? 2 : n > 2_000 ? 3 : 5;
    for (int i = 0; i < n; i++) {
      double fx = (xs[i] - rx[0]) / (rx[1] - rx[0]);
      double fy = (ys[i] - ry[0]) / (ry[1] - ry[0]);
      if (fx < 0 || fx > 1 || fy < 0 || fy > 1) {
        continue;
      }
      Color c = label == null ? PALETTE[0] : PALETTE[label[i] % PALETTE.length];
      g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 150));
      int px = MARGIN + (int) Math.round(fx * span);
      int py = SIZE - MARGIN - (int) Math.round(fy * span);
      g.fillOval(px - dot / 2, py - dot / 2, dot, dot);
    }
    g.dispose();
    drawText(img, rx, ry, names, title);
    return img;
  }

  /**
   * Ticks and numbers on the bottom and left edges, the axis names z1 and z2, the title in the
   * top margin and the legend of the labels, in {@link BitmapFont} (no installed font needed).
   */
  private static void drawText(BufferedImage img, double[] rx, double[] ry,
      java.util.List<String> names, String title) {
    int span = SIZE - 2 * MARGIN;
    int ink = Plots.INK;
    for (double v : Plots.ticks(rx[0], rx[1])) {
      int px = MARGIN + (int) Math.round((v - rx[0]) / (rx[1] - rx[0]) * span);
      for (int k = 1; k <= 4; k++) {
        img.setRGB(px, SIZE - MARGIN + k, ink);
      }
      String t = Plots.number(v);
      BitmapFont.draw(img, px - BitmapFont.width(t, 1) / 2, SIZE - MARGIN + 7, t, 1, ink);
    }
    for (double v : Plots.ticks(ry[0], ry[1])) {
      int py = SIZE - MARGIN - (int) Math.round((v - ry[0]) / (ry[1] - ry[0]) * span);
      for (int k = 1; k <= 4; k++) {
        img.setRGB(MARGIN - k, py, ink);
      }
      String t = Plots.number(v);
      BitmapFont.draw(img, MARGIN - 6 - BitmapFont.width(t, 1), py - 3, t, 1, ink);
    }
    BitmapFont.draw(img, MARGIN + (span - BitmapFont.width("z1", 2)) / 2, SIZE - 18, "z1", 2,
        ink);
    BitmapFont.drawUp(img, 2, SIZE / 2 + BitmapFont.width("z2", 2) / 2, "z2", 2, ink);
    if (title != null) {
      String t = BitmapFont.ascii(title);
      while (t.length() > 3 && BitmapFont.width(t, 2) > SIZE - 2 * 8) {
        t = t.substring(0, t.length() - 4) + "...";
      }
      BitmapFont.draw(img, 8, 12, t, 2, ink);
    }
    if (names != null) {
      int y = MARGIN + 10;
      for (int i = 0; i < names.size() && i < 40; i++) {
        int rgb = PALETTE[i % PALETTE.length].getRGB() & 0xffffff;
        for (int dy = 0; dy < 8; dy++) {
          for (int dx = 0; dx < 8; dx++) {
            img.setRGB(SIZE - MARGIN - 110 + dx, y + dy, rgb);
          }
        }
        BitmapFont.draw(img, SIZE - MARGIN - 97, y + 1, names.get(i), 1, ink);
        y += 13;
      }
    }
  }

  /** The 0.5th to 99.5th percentile, widened by 5% (a few outliers do not squash the map). */
  private static double[] range(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    double lo = s[(int) Math.floor(0.005 * (s.length - 1))];
    double hi = s[(int) Math.ceil(0.995 * (s.length - 1))];
    if (!(hi > lo)) {
      lo -= 1;
      hi += 1;
    }
    double pad = 0.05 * (hi - lo);
    return new double[] {lo - pad, hi + pad};
  }

  /** Φ⁻¹(p) by Acklam's rational approximation (relative error below 1.2e-9). */
  static double normalQuantile(double p) {
    double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00};
    double low = 0.02425;
    if (p < low) {
      double q = Math.sqrt(-2 * Math.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - low) {
      return -normalQuantile(1 - p);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
}
