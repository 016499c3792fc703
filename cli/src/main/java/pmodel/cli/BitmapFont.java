package pmodel.cli;

import java.awt.image.BufferedImage;

/**
 * Text for pictures without fonts: a 5×7 bitmap glyph for every printable ASCII character,
 * drawn pixel by pixel, so titles, tick numbers and labels render the same on a machine with no
 * fonts installed (a headless JDK alone has none). Characters outside ASCII are replaced by a
 * close ASCII spelling (σ → s, ² → 2, − → -) or '?'.
 */
final class BitmapFont {
  /** Glyph width and height in font pixels; characters advance by {@link #ADVANCE}. */
  static final int WIDTH = 5;
  static final int HEIGHT = 7;
  static final int ADVANCE = 6;

  /** Rows top to bottom, each 5 bits left to right, glyph bits 34..0; index = char − 32. */
  private static final long[] GLYPHS = {
      0x000000000L, 0x108421004L, 0x294000000L, 0x2bea52beaL, 0x11f4717c4L, 0x674222263L,
      0x324c4564dL, 0x108000000L, 0x088842082L, 0x208210888L, 0x009575480L, 0x0084f9080L,
      0x000003088L, 0x0000f8000L, 0x00000018cL, 0x044222110L, 0x3a33ae62eL, 0x11842108eL,
      0x3a211111fL, 0x7c441062eL, 0x08ca97c42L, 0x7e1e0862eL, 0x1910f462eL, 0x7c2222108L,
      0x3a317462eL, 0x3a317844cL, 0x018c03180L, 0x018c03088L, 0x088882082L, 0x001f07c00L,
      0x208208888L, 0x3a2111004L, 0x3a37ade0fL, 0x3a31fc631L, 0x7a31f463eL, 0x3a308422eL,
      0x72518c65cL, 0x7e10f421fL, 0x7e10f4210L, 0x3a30bc62fL, 0x4631fc631L, 0x38842108eL,
      0x1c4210a4cL, 0x4654c5251L, 0x42108421fL, 0x4775ac631L, 0x4639ace31L, 0x3a318c62eL,
      0x7a31f4210L, 0x3a318d64dL, 0x7a31f5251L, 0x3e107043eL, 0x7c8421084L, 0x46318c62eL,
      0x46318c544L, 0x4631ad6aaL, 0x462a22a31L, 0x462a21084L, 0x7c222221fL, 0x39084210eL,
      0x410820841L, 0x38421084eL, 0x115100000L, 0x00000001fL, 0x208000000L, 0x000e0be2fL,
      0x4216cc63eL, 0x000e8422eL, 0x042d9c62fL, 0x000e8fe0eL, 0x1928e2108L, 0x01f18bc2eL,
      0x4216cc631L, 0x100c2108eL, 0x080610a4cL, 0x4212a6292L, 0x30842108eL, 0x001aad631L,
      0x0016cc631L, 0x000e8c62eL, 0x001e8fa10L, 0x000d9bc21L, 0x0016cc210L, 0x000e8383eL,
      0x211c42126L, 0x00118c66dL, 0x00118c544L, 0x00118d6aaL, 0x001151151L, 0x00118bc2eL,
      0x001f1111fL, 0x088441082L, 0x108421084L, 0x208411088L, 0x0008a8800L
  };

  private BitmapFont() {
  }

  /** The text with every character this font lacks replaced by its ASCII spelling or '?'. */
  static String ascii(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 32 && c < 127) {
        sb.append(c);
        continue;
      }
      sb.append(switch (c) {
        case 'σ' -> "s";
        case '²' -> "2";
        case '−', '–', '—' -> "-";
        case '×' -> "x";
        case '·' -> ".";
        case '≤' -> "<=";
        case '≥' -> ">=";
        case '→' -> "->";
        case 'é' -> "e";
        case '‖' -> "|";
        default -> "?";
      });
    }
    return sb.toString();
  }

  /** The width in screen pixels of {@code text} at {@code scale} screen pixels per font pixel. */
  static int width(String text, int scale) {
    int n = ascii(text).length();
    return n == 0 ? 0 : (n * ADVANCE - 1) * scale;
  }

  /** Draws {@code text} with its top-left corner at (x, y); pixels outside the image are skipped. */
  static void draw(BufferedImage img, int x, int y, String text, int scale, int rgb) {
    String s = ascii(text);
    for (int i = 0; i < s.length(); i++) {
      long g = GLYPHS[s.charAt(i) - 32];
      for (int r = 0; r < HEIGHT; r++) {
        for (int c = 0; c < WIDTH; c++) {
          if ((g >>> (34 - (r * WIDTH + c)) & 1) != 0) {
            fill(img, x + (i * ADVANCE + c) * scale, y + r * scale, scale, rgb);
          }
        }
      }
    }
  }

  /**
   * Draws {@code text} turned a quarter to the left (read from bottom to top, as a y-axis label),
   * with the bottom-left corner of its first character at (x, y).
   */
  static void drawUp(BufferedImage img, int x, int y, String text, int scale, int rgb) {
    String s = ascii(text);
    for (int i = 0; i < s.length(); i++) {
      long g = GLYPHS[s.charAt(i) - 32];
      for (int r = 0; r < HEIGHT; r++) {
        for (int c = 0; c < WIDTH; c++) {
          if ((g >>> (34 - (r * WIDTH + c)) & 1) != 0) {
            // glyph pixel (c, r) goes to (r, −c) from the character's origin, characters upward
            fill(img, x + r * scale, y - (i * ADVANCE + c + 1) * scale, scale, rgb);
          }
        }
      }
    }
  }

  private static void fill(BufferedImage img, int x, int y, int size, int rgb) {
    for (int dy = 0; dy < size; dy++) {
      for (int dx = 0; dx < size; dx++) {
        int px = x + dx;
        int py = y + dy;
        if (px >= 0 && py >= 0 && px < img.getWidth() && py < img.getHeight()) {
          img.setRGB(px, py, rgb);
        }
      }
    }
  }
}
