package pmodel.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import pmodel.data.builtin.World;
import pmodel.api.data.Dataset;
import pmodel.data.io.AtomicFiles;

/**
 * Pictures for the demo, the report and the commands, drawn pixel by pixel. Every picture a
 * person reads gets a title, and plots get axis ticks and labels; text comes from
 * {@link BitmapFont}, so no font needs to be installed.
 */
final class Plots {
  /** Point colours, one per series (held-out data first), as 0xRRGGBB. */
  static final int[] COLOURS = {0x222222, 0xd62728, 0x1f77b4, 0x2ca02c, 0x9467bd, 0xff7f0e,
      0x8c564b, 0xe377c2};
  static final int SEA = 0xdce9f5;
  static final int LAND = 0xf1ead8;
  static final int PAPER = 0xffffff;

  private Plots() {
  }

  /** A rectangle of the plane, x to the right and y up. */
  record Frame(double x0, double x1, double y0, double y1) {
    /** The frame of the world map. */
    static final Frame WORLD = new Frame(-180, 180, -90, 90);

    /** The range of the first two columns of some datasets, widened by 5% on each side. */
    static Frame around(List<Dataset> data) {
      double x0 = Double.POSITIVE_INFINITY;
      double x1 = Double.NEGATIVE_INFINITY;
      double y0 = Double.POSITIVE_INFINITY;
      double y1 = Double.NEGATIVE_INFINITY;
      for (Dataset d : data) {
        for (int i = 0; i < d.rows(); i++) {
          x0 = Math.min(x0, d.value(i, 0));
          x1 = Math.max(x1, d.value(i, 0));
          y0 = Math.min(y0, d.value(i, 1));
          y1 = Math.max(y1, d.value(i, 1));
        }
      }
      double dx = Math.max(1e-9, x1 - x0) * 0.05;
      double dy = Math.max(1e-9, y1 - y0) * 0.05;
      return new Frame(x0 - dx, x1 + dx, y0 - dy, y1 + dy);
    }
  }

  /** A canvas over a frame. */
  static final class Canvas {
    final BufferedImage image;
    final Frame frame;
    final int width;
    final int height;

    Canvas(int width, int height, Frame frame, boolean worldMap) {
      this.width = width;
      this.height = height;
      this.frame = frame;
      image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      if (worldMap) {
        boolean[] land = World.landPicture(width);
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            image.setRGB(x, y, land[Math.min(y, width / 2 - 1) * width + x] ? LAND : SEA);
          }
        }
      } else {
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            image.setRGB(x, y, PAPER);
          }
        }
      }
    }

    int px(double x) {
      return (int) Math.floor((x - frame.x0()) / (frame.x1() - frame.x0()) * width);
    }

    int py(double y) {
      return (int) Math.floor((frame.y1() - y) / (frame.y1() - frame.y0()) * height);
    }

    void dot(int x, int y, int size, int rgb) {
      for (int dy = 0; dy < size; dy++) {
        for (int dx = 0; dx < size; dx++) {
          set(x + dx - size / 2, y + dy - size / 2, rgb);
        }
      }
    }

    void set(int x, int y, int rgb) {
      if (x >= 0 && y >= 0 && x < width && y < height) {
        image.setRGB(x, y, rgb);
      }
    }

    /** The first two columns of {@code data} as dots. */
    void points(Dataset data, int rgb, int size) {
      for (int i = 0; i < data.rows(); i++) {
        dot(px(data.value(i, 0)), py(data.value(i, 1)), size, rgb);
      }
    }

    /** The outline of the rectangle [x0, x1] × [y0, y1], two pixels wide. */
    void box(double x0, double x1, double y0, double y1, int rgb) {
      int a = px(x0);
      int b = Math.min(width - 1, px(x1));
      int c = Math.min(height - 1, py(y0));
      int d = py(y1);
      for (int t = 0; t < 2; t++) {
        for (int x = a; x <= b; x++) {
          set(x, c - t, rgb);
          set(x, d + t, rgb);
        }
        for (int y = d; y <= c; y++) {
          set(a + t, y, rgb);
          set(b - t, y, rgb);
        }
      }
    }

    /** A ring marker at (x, y) with a letter beside it, in the given colour. */
    void marker(double x, double y, char letter, int rgb) {
      int cx = px(x);
      int cy = py(y);
      for (int dy = -7; dy <= 7; dy++) {
        for (int dx = -7; dx <= 7; dx++) {
          int r2 = dx * dx + dy * dy;
          if (r2 <= 49 && r2 >= 25) {
            set(cx + dx, cy + dy, rgb);
          }
        }
      }
      // the letter above and to the right of the ring, on a white halo
      for (int[] o : new int[][] {{-1, 0}, {1, 0}, {0, -1}, {0, 1}, {-1, -1}, {1, 1}, {-1, 1},
          {1, -1}}) {
        letter(cx + 9 + o[0], cy - 28 + o[1], letter, 3, 0xffffff);
      }
      letter(cx + 9, cy - 28, letter, 3, rgb);
    }

    /** A letter A, B or C from a 5×7 bitmap, scaled. */
    void letter(int x, int y, char c, int scale, int rgb) {
      String[] rows = GLYPHS[c - 'A'];
      for (int r = 0; r < 7; r++) {
        for (int k = 0; k < 5; k++) {
          if (rows[r].charAt(k) == '#') {
            for (int sy = 0; sy < scale; sy++) {
              for (int sx = 0; sx < scale; sx++) {
                set(x + k * scale + sx, y + r * scale + sy, rgb);
              }
            }
          }
        }
      }
    }
  }

  private static final String[][] GLYPHS = {
      {".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"},
      {"####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."},
      {".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."}};

  /** Ink for text and axes. */
  static final int INK = 0x222222;

  /**
   * {@code body} under a title band: the title in lines of text (two screen pixels per font
   * pixel), wrapped at spaces to the picture's width (at least 480 pixels).
   */
  static BufferedImage titled(BufferedImage body, String title) {
    int scale = 2;
    int pad = 8;
    int width = Math.max(body.getWidth(), 480);
    int perLine = Math.max(8, (width - 2 * pad + scale) / (BitmapFont.ADVANCE * scale));
    List<String> lines = new java.util.ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : BitmapFont.ascii(title).split(" ")) {
      while (word.length() > perLine) {
        if (line.length() > 0) {
          lines.add(line.toString());
          line.setLength(0);
        }
        lines.add(word.substring(0, perLine));
        word = word.substring(perLine);
      }
      if (line.length() > 0 && line.length() + 1 + word.length() > perLine) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    int lineHeight = (BitmapFont.HEIGHT + 3) * scale;
    int band = lines.size() * lineHeight + 2 * pad - 3 * scale;
    BufferedImage out = blank(width, band + body.getHeight());
    for (int k = 0; k < lines.size(); k++) {
      BitmapFont.draw(out, pad, pad + k * lineHeight, lines.get(k), scale, INK);
    }
    out.getGraphics().drawImage(body, (width - body.getWidth()) / 2, band, null);
    return out;
  }

  /**
   * A plot of {@code frame} with axes: tick marks and numbers at round values on the left and
   * bottom edges, {@code xLabel} under the x axis and {@code yLabel} up the y axis.
   */
  static BufferedImage withAxes(BufferedImage plot, Frame frame, String xLabel, String yLabel) {
    int left = 58;
    int bottom = 40;
    int top = 8;
    int right = 16;
    int w = plot.getWidth();
    int h = plot.getHeight();
    BufferedImage out = blank(left + w + right, top + h + bottom);
    out.getGraphics().drawImage(plot, left, top, null);
    for (int x = left - 1; x <= left + w; x++) {
      out.setRGB(x, top + h, INK);
      out.setRGB(x, top - 1, INK);
    }
    for (int y = top - 1; y <= top + h; y++) {
      out.setRGB(left - 1, y, INK);
      out.setRGB(left + w, y, INK);
    }
    for (double v : ticks(frame.x0(), frame.x1())) {
      int px = left + (int) Math.round((v - frame.x0()) / (frame.x1() - frame.x0()) * (w - 1));
      for (int k = 1; k <= 5; k++) {
        out.setRGB(px, top + h + k, INK);
      }
      String label = number(v);
      BitmapFont.draw(out, px - BitmapFont.width(label, 1) / 2, top + h + 8, label, 1, INK);
    }
    for (double v : ticks(frame.y0(), frame.y1())) {
      int py = top + (int) Math.round((frame.y1() - v) / (frame.y1() - frame.y0()) * (h - 1));
      for (int k = 1; k <= 5; k++) {
        out.setRGB(left - 1 - k, py, INK);
      }
      String label = number(v);
      BitmapFont.draw(out, left - 9 - BitmapFont.width(label, 1), py - 3, label, 1, INK);
    }
    BitmapFont.draw(out, left + (w - BitmapFont.width(xLabel, 2)) / 2, top + h + 22, xLabel, 2,
        INK);
    BitmapFont.drawUp(out, 4, top + (h + BitmapFont.width(yLabel, 2)) / 2, yLabel, 2, INK);
    return out;
  }

  /** {@code plot} with a legend to its right: a coloured square and a name per entry. */
  static BufferedImage withLegend(BufferedImage plot, List<String> names, int[] colours) {
    int widest = 0;
    for (String n : names) {
      widest = Math.max(widest, BitmapFont.width(n, 1));
    }
    int w = plot.getWidth() + 24 + widest + 12;
    int h = Math.max(plot.getHeight(), 12 * names.size() + 16);
    BufferedImage out = blank(w, h);
    out.getGraphics().drawImage(plot, 0, 0, null);
    for (int i = 0; i < names.size(); i++) {
      int y = 12 + 12 * i;
      for (int dy = 0; dy < 7; dy++) {
        for (int dx = 0; dx < 7; dx++) {
          out.setRGB(plot.getWidth() + 8 + dx, y + dy, colours[i % colours.length]);
        }
      }
      BitmapFont.draw(out, plot.getWidth() + 20, y, names.get(i), 1, INK);
    }
    return out;
  }

  /** About five round tick values (1, 2 or 5 times a power of ten apart) within [a, b]. */
  static double[] ticks(double a, double b) {
    double raw = (b - a) / 5;
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = raw / p < 1.5 ? p : raw / p < 3.5 ? 2 * p : raw / p < 7.5 ? 5 * p : 10 * p;
    List<Double> out = new java.util.ArrayList<>();
    for (double v = Math.ceil(a / step) * step; v <= b + step * 1e-9; v += step) {
      out.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** A tick number, short: no trailing zeros, at most 4 significant digits. */
  static String number(double v) {
    String s = String.format(java.util.Locale.ROOT, "%.4g", v);
    if (s.contains("e")) {
      return s;
    }
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s.equals("-0") ? "0" : s;
  }

  private static BufferedImage blank(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, PAPER);
      }
    }
    return img;
  }

  /** PNG bytes of an image. */
  static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IOException("no PNG writer available");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Pictures side by side, top-aligned, on white. */
  static BufferedImage beside(BufferedImage... parts) {
    int width = 0;
    int height = 0;
    for (BufferedImage p : parts) {
      width += p.getWidth();
      height = Math.max(height, p.getHeight());
    }
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = img.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, width, height);
    int x = 0;
    for (BufferedImage p : parts) {
      g.drawImage(p, x, 0, null);
      x += p.getWidth();
    }
    g.dispose();
    return img;
  }

  /** Writes PNG bytes atomically. */
  static void write(Path path, byte[] png) {
    AtomicFiles.write(path, o -> o.write(png));
  }

  /**
   * A grayscale picture of per-pixel values in [0, 1] (a mean image), {@code scale} screen pixels
   * per image pixel.
   */
  static BufferedImage grayMap(double[] values, int height, int width, int scale) {
    BufferedImage img = new BufferedImage(width * scale, height * scale,
        BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height * scale; y++) {
      for (int x = 0; x < width * scale; x++) {
        int g = (int) Math.round(Math.max(0, Math.min(1, values[(y / scale) * width + x / scale]))
            * 255);
        img.setRGB(x, y, g << 16 | g << 8 | g);
      }
    }
    return img;
  }
}
