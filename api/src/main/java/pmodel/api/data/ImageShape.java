package pmodel.api.data;

import pmodel.api.error.PmodelException;

/** The height and width of a grayscale image schema; pixels are stored row by row. */
public record ImageShape(int height, int width) {
  public ImageShape {
    if (height < 1 || width < 1 || (long) height * width > 1 << 24) {
      throw PmodelException.badInput("image shape " + height + "x" + width
          + " is out of range; expected 1..2^24 pixels");
    }
  }

  /** height × width. */
  public int pixels() {
    return height * width;
  }
}
