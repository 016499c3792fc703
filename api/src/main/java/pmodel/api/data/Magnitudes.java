package pmodel.api.data;

import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts that can be astronomically large (the cells of a product space, a histogram's free
 * parameters): computed in closed form, and shown without converting a million-digit number to
 * decimal.
 */
public final class Magnitudes {
  /** Numbers of fewer bits than this are shown and written exactly. */
  public static final int EXACT_BITS = 1024;

  private static final double LOG10_2 = Math.log10(2);

  private Magnitudes() {
  }

  /**
   * The product of positive factors, as one power per distinct factor: 2^20 features of 256
   * levels cost one shift instead of 2^20 ever longer multiplications (which never finish).
   */
  public static BigInteger product(int[] factors) {
    Map<Integer, Integer> powers = new TreeMap<>();
    for (int k : factors) {
      if (k < 1) {
        throw new IllegalArgumentException("factor " + k + " is not positive");
      }
      powers.merge(k, 1, Integer::sum);
    }
    BigInteger p = BigInteger.ONE;
    for (Map.Entry<Integer, Integer> e : powers.entrySet()) {
      int k = e.getKey();
      if (k == 1) {
        continue;
      }
      if (Integer.bitCount(k) == 1) {
        p = p.shiftLeft(Integer.numberOfTrailingZeros(k) * e.getValue());
      } else {
        p = p.multiply(BigInteger.valueOf(k).pow(e.getValue()));
      }
    }
    return p;
  }

  /** The decimal logarithm of a positive number, from its top 64 bits and its bit length. */
  public static double log10(BigInteger n) {
    if (n.signum() <= 0) {
      throw new IllegalArgumentException("not positive: " + n.signum());
    }
    int shift = Math.max(0, n.bitLength() - 63);
    return Math.log10(n.shiftRight(shift).doubleValue()) + shift * LOG10_2;
  }

  /**
   * The number exactly when it has fewer than {@link #EXACT_BITS} bits, else "about 1.23e45678"
   * (three significant digits), computed without a decimal conversion of the whole number.
   */
  public static String show(BigInteger n) {
    if (n.bitLength() < EXACT_BITS) {
      return n.toString();
    }
    double l = log10(n);
    long exponent = (long) Math.floor(l);
    double mantissa = Math.pow(10, l - exponent);
    if (mantissa >= 9.995) {
      mantissa = 1;
      exponent++;
    }
    return String.format(java.util.Locale.ROOT, "about %.2fe%d", mantissa, exponent);
  }
}
