package pmodel.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The monotone rational-quadratic spline of neural spline flows (Durkan et al. 2019, section
 * 3.1; the formulas of nflows' {@code rational_quadratic_spline} with linear tails): K bins
 * between knots on [−B, B] in both x and y, derivatives at the K − 1 inner knots, and the
 * identity outside [−B, B] (so the derivative at ±B is 1 and the map is C¹ there).
 *
 * <p>Each bin's width is min_w + (1 − K·min_w)·softmax(θ_w) of the 2B range (heights alike) and
 * each inner derivative min_d + softplus(θ_d + c) with c = log(e^(1 − min_d) − 1), so that
 * θ = 0 gives equal bins and unit derivatives: the identity. Inside bin k, with
 * ξ = (x − x_k)/w_k, s_k = h_k/w_k and the knot derivatives d_k, d_(k+1):
 * y = y_k + h_k (s_k ξ² + d_k ξ(1 − ξ)) / (s_k + (d_k + d_(k+1) − 2 s_k) ξ(1 − ξ)) and
 * dy/dx = s_k² (d_(k+1) ξ² + 2 s_k ξ(1 − ξ) + d_k (1 − ξ)²) / (s_k + (d_k + d_(k+1) − 2 s_k)
 * ξ(1 − ξ))². The inverse solves the quadratic a ξ² + b ξ + c = 0 in its stable form
 * ξ = 2c / (−b − √(b² − 4ac)).
 *
 * <p>The bin of each value is found without a sort or a gather: it is the count of inner knots
 * at or below it, and each bin quantity is picked by a one-hot mask (a sum over K), which is
 * differentiable in the knots.
 */
final class Spline {
  final int bins;
  final double bound;
  final double minWidth;
  final double minHeight;
  final double minDerivative;

  Spline(int bins, double bound, double minWidth, double minHeight, double minDerivative) {
    this.bins = bins;
    this.bound = bound;
    this.minWidth = minWidth;
    this.minHeight = minHeight;
    this.minDerivative = minDerivative;
  }

  /** Unconstrained values per transformed feature: K widths, K heights, K − 1 derivatives. */
  int paramsPerFeature() {
    return 3 * bins - 1;
  }

  /** The shift c that makes θ_d = 0 a unit derivative. */
  double derivativeShift() {
    return Math.log(Math.expm1(1 - minDerivative));
  }

  double[] scalars() {
    return new double[] {bound, -bound, 2 * bound, minWidth, 1 - bins * minWidth, minHeight,
        1 - bins * minHeight, minDerivative, derivativeShift(), 0, 1, 2, 4};
  }

  /** The bin indices 0..K−1 as a (K) array. */
  NDArray binIndex(NDManager manager, Scalars k) {
    double[] idx = new double[bins];
    for (int i = 0; i < bins; i++) {
      idx[i] = i;
    }
    return manager.create(idx).toType(k.type(), false);
  }

  /**
   * The spline applied to x (rows, m) elementwise with parameters raw (rows, m, 3K − 1):
   * {y, log |dy/dx| summed over the m features (rows)}; with {@code inverse}, x from y and
   * log |dx/dy|.
   */
  NDArray[] apply(NDArray x, NDArray raw, boolean inverse, Scalars k, NDArray binIndex) {
    int kk = bins;
    NDArray b = k.of(bound);
    NDArray nb = k.of(-bound);
    NDArray one = k.of(1);
    NDArray two = k.of(2);
    NDArray inside = x.gte(nb).logicalAnd(x.lte(b));
    NDArray xc = x.maximum(nb).minimum(b);
    NDArray widths = raw.get(":, :, 0:" + kk).softmax(2).mul(k.of(1 - kk * minWidth))
        .add(k.of(minWidth));
    NDArray heights = raw.get(":, :, " + kk + ":" + 2 * kk).softmax(2)
        .mul(k.of(1 - kk * minHeight)).add(k.of(minHeight));
    NDArray inner = raw.get(":, :, " + 2 * kk + ":").add(k.of(derivativeShift()));
    NDArray deriv = softplus(inner).add(k.of(minDerivative));
    NDArray edge = xc.expandDims(2).onesLike();
    NDArray derivs = NDArrays.concat(new NDList(edge, deriv, edge), 2); // (rows, m, K + 1)
    NDArray xKnots = knots(widths, k, edge);
    NDArray yKnots = knots(heights, k, edge);
    NDArray w = xKnots.get(":, :, 1:").sub(xKnots.get(":, :, :" + kk)); // (rows, m, K)
    NDArray h = yKnots.get(":, :, 1:").sub(yKnots.get(":, :, :" + kk));
    NDArray locate = inverse ? yKnots : xKnots;
    // the bin: the number of inner knots at or below the value
    NDArray bin = xc.expandDims(2).gte(locate.get(":, :, 1:" + kk)).toType(k.type(), false)
        .sum(new int[] {2}, true);
    NDArray onehot = bin.eq(binIndex).toType(k.type(), false); // (rows, m, K)
    NDArray cw = pick(xKnots.get(":, :, :" + kk), onehot);
    NDArray ch = pick(yKnots.get(":, :, :" + kk), onehot);
    NDArray bw = pick(w, onehot);
    NDArray bh = pick(h, onehot);
    NDArray delta = bh.div(bw);
    NDArray d0 = pick(derivs.get(":, :, :" + kk), onehot);
    NDArray d1 = pick(derivs.get(":, :, 1:"), onehot);
    NDArray sumD = d0.add(d1).sub(delta.mul(two));
    NDArray out;
    NDArray theta;
    if (!inverse) {
      theta = xc.sub(cw).div(bw);
    } else {
      NDArray dy = xc.sub(ch);
      NDArray a = dy.mul(sumD).add(bh.mul(delta.sub(d0)));
      NDArray bq = bh.mul(d0).sub(dy.mul(sumD));
      NDArray c = delta.mul(dy).neg();
      NDArray disc = bq.square().sub(a.mul(c).mul(k.of(4))).maximum(k.of(0));
      theta = c.mul(two).div(bq.neg().sub(disc.sqrt()));
    }
    NDArray t1 = theta.mul(theta.neg().add(one));
    NDArray den = delta.add(sumD.mul(t1));
    if (!inverse) {
      NDArray num = bh.mul(delta.mul(theta.square()).add(d0.mul(t1)));
      out = ch.add(num.div(den));
    } else {
      out = theta.mul(bw).add(cw);
    }
    NDArray oneMinus = theta.neg().add(one);
    NDArray dnum = delta.square().mul(d1.mul(theta.square()).add(delta.mul(two).mul(t1))
        .add(d0.mul(oneMinus.square())));
    NDArray logDet = dnum.log().sub(den.log().mul(two));
    if (inverse) {
      logDet = logDet.neg();
    }
    NDArray y = NDArrays.where(inside, out, x);
    NDArray ld = NDArrays.where(inside, logDet, logDet.zerosLike()).sum(new int[] {1});
    return new NDArray[] {y, ld};
  }

  /** Knots −B, …, B (rows, m, K + 1) from bin sizes that sum to 1 (the last knot is exact). */
  private NDArray knots(NDArray sizes, Scalars k, NDArray edge) {
    NDArray inner = sizes.get(":, :, :" + (bins - 1)).cumSum(2).mul(k.of(2 * bound))
        .add(k.of(-bound));
    return NDArrays.concat(new NDList(edge.mul(k.of(-bound)), inner, edge.mul(k.of(bound))), 2);
  }

  private static NDArray pick(NDArray values, NDArray onehot) {
    return values.mul(onehot).sum(new int[] {2});
  }

  static NDArray softplus(NDArray x) {
    return x.getNDArrayInternal().softPlus();
  }
}
