package pmodel.api.compute;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.core.source64.SplitMix64;
import org.apache.commons.rng.core.source64.XoShiRo256PlusPlus;

/**
 * Independent, reproducible random streams derived from one seed: stream {@code (seed, i)} is an
 * xoshiro256++ generator (Apache Commons RNG) whose 256-bit state is expanded by SplitMix64 from
 * a hash of the seed and the stream index. Work split into fixed blocks, each with its own
 * stream, gives the same output on any number of threads.
 */
public final class RandomStreams {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private RandomStreams() {
  }

  /** The generator of stream {@code stream} of {@code seed}. */
  public static UniformRandomProvider create(long seed, long stream) {
    SplitMix64 expand = new SplitMix64(mix(seed, stream));
    return new XoShiRo256PlusPlus(expand.nextLong(), expand.nextLong(), expand.nextLong(),
        expand.nextLong());
  }

  /** The generator of stream {@code (a, b)} of {@code seed}: two-level stream indices. */
  public static UniformRandomProvider create(long seed, long a, long b) {
    return create(mix(seed, a), b);
  }

  /** A 64-bit hash of a seed and a stream index (the Stafford variant 13 finaliser). */
  public static long mix(long seed, long stream) {
    long z = seed + GOLDEN * (stream + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
