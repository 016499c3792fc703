package pmodel.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import pmodel.api.builtin.World;
import pmodel.api.data.Dataset;
import pmodel.api.io.AtomicFiles;

/**
 * Pictures for the demo and the report, drawn pixel by pixel: they hold no text, so they need no
 * fonts (captions live in the HTML). Letters that mark points are drawn from a built-in 5×7
 * bitmap.
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
