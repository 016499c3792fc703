package pmodel.cli;

import java.math.BigInteger;

/** Number formatting for people. */
final class Format {
  private Format() {
  }

  /** Exact below 10^15, otherwise "about 1.2e1888". */
  static String count(BigInteger n) {
    if (n.bitLength() < 50) {
      return n.toString();
    }
    if (n.bitLength() >= pmodel.api.data.Magnitudes.EXACT_BITS) {
      // no decimal conversion of a number of millions of digits
      return pmodel.api.data.Magnitudes.show(n);
    }
    String digits = n.toString();
    return "about " + digits.charAt(0) + "." + digits.substring(1, 3) + "e" + (digits.length() - 1);
  }

  /** Six significant digits, or "infinite". */
  static String number(double v) {
    if (Double.isInfinite(v)) {
      return v > 0 ? "infinite" : "-infinite";
    }
    return String.format("%.6g", v);
  }
}
