package pmodel.data.io;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import java.nio.file.Path;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Dataset;
import pmodel.api.data.ImageShape;
import pmodel.api.data.Schema;

/**
 * Grids of grayscale images as PNG (javax.imageio). Level 0 is black and the top level white, as
 * MNIST-style data are usually shown. Several panels (samples beside real images) are laid side
 * by side with a gap.
 */
public final class PngImages {
  private static final int GAP = 2;
  private static final int PANEL_GAP = 16;
  private static final int BACKGROUND = 96;

  private PngImages() {
  }

  /** Writes up to rows·columns images of {@code data} as one grid, atomically. */
  public static void writeGrid(Path path, Dataset data, int columns, int scale) {
    writePanels(path, List.of(data), columns, scale);
  }

  /** Writes several image grids side by side (e.g. samples, then real images), atomically. */
  public static void writePanels(Path path, List<Dataset> panels, int columns, int scale) {
    BufferedImage img = panels(panels, columns, scale);
    AtomicFiles.write(path, out -> {
      if (!ImageIO.write(img, "png", out)) {
        throw new IOException("no PNG writer available");
      }
    });
  }

  /** The grids as one image. */
  public static BufferedImage panels(List<Dataset> panels, int columns, int scale) {
    if (panels.isEmpty()) {
      throw new IllegalArgumentException("no panels");
    }
    if (columns < 1 || scale < 1 || scale > 16) {
      throw new IllegalArgumentException("columns >= 1 and scale in 1..16");
    }
    ImageShape shape = shapeOf(panels.get(0).schema());
    for (Dataset d : panels) {
      if (!shapeOf(d.schema()).equals(shape)) {
        throw new IllegalArgumentException("panels differ in image shape");
      }
    }
    int h = shape.height() * scale;
    int w = shape.width() * scale;
    int maxRows = 1;
    for (Dataset d : panels) {
      maxRows = Math.max(maxRows, (d.rows() + columns - 1) / columns);
    }
    int panelW = columns * (w + GAP) + GAP;
    int panelH = maxRows * (h + GAP) + GAP;
    int totalW = panels.size() * panelW + (panels.size() - 1) * PANEL_GAP;
    if ((long) totalW * panelH > 1L << 28) {
      throw PmodelException.badInput("the picture would be " + totalW + "x" + panelH
          + " pixels; ask for fewer images");
    }
    BufferedImage img = new BufferedImage(totalW, panelH, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster raster = img.getRaster();
    for (int y = 0; y < panelH; y++) {
      for (int x = 0; x < totalW; x++) {
        raster.setSample(x, y, 0, BACKGROUND);
      }
    }
    for (int p = 0; p < panels.size(); p++) {
      Dataset d = panels.get(p);
      int x0 = p * (panelW + PANEL_GAP);
      int levels = d.schema().discrete(0).cardinality();
      double toGray = levels > 1 ? 255.0 / (levels - 1) : 0;
      for (int i = 0; i < d.rows(); i++) {
        int gx = x0 + GAP + (i % columns) * (w + GAP);
        int gy = GAP + (i / columns) * (h + GAP);
        for (int py = 0; py < shape.height(); py++) {
          for (int px = 0; px < shape.width(); px++) {
            int gray = (int) Math.round(d.code(i, py * shape.width() + px) * toGray);
            for (int sy = 0; sy < scale; sy++) {
              for (int sx = 0; sx < scale; sx++) {
                raster.setSample(gx + px * scale + sx, gy + py * scale + sy, 0, gray);
              }
            }
          }
        }
      }
    }
    return img;
  }

  private static ImageShape shapeOf(Schema schema) {
    return schema.image().orElseThrow(() -> PmodelException.badInput(
        "a PNG grid needs image data; this schema is a table (" + schema.size()
        + " features): write .csv instead"));
  }
}
