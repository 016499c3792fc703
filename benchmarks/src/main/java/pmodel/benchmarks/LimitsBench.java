package pmodel.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.UniformRandomProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import pmodel.api.compute.RandomStreams;

/**
 * What bounds the hot paths on this machine, since hardware counters (JMH's perfnorm) are not
 * available in its virtual machine: reading the 47 MB of training pixels, writing the 78 MB of a
 * 100,000-image sample, and drawing one 64-bit random number from the xoshiro256++ generator
 * every sample uses, each per byte or per number. {@code baseline()} is JMH's own overhead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
public class LimitsBench {
  static final int BYTES = BenchData.TRAIN_ROWS * BenchData.PIXELS;
  static final int OUT_BYTES = NaiveBayesSamplingBench.VALUES;
  static final int NUMBERS = 1 << 20;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** The pixels as one array, an output array, and a generator. */
  @State(Scope.Benchmark)
  public static class Buffers {
    byte[] pixels;
    byte[] out;
    UniformRandomProvider rng;

    @Setup
    public void setUp() {
      byte[][] cols = BenchData.columns(BenchData.fashionTrain());
      pixels = new byte[BYTES];
      for (int f = 0; f < cols.length; f++) {
        System.arraycopy(cols[f], 0, pixels, f * cols[f].length, cols[f].length);
      }
      out = new byte[OUT_BYTES];
      rng = RandomStreams.create(1, 1);
    }
  }

  @Benchmark
  public void baseline() {
    // JMH's overhead per call.
  }

  @Benchmark
  @OperationsPerInvocation(BYTES)
  public long readPixels(Buffers b) {
    byte[] p = b.pixels;
    long x = 0;
    for (int i = 0; i + 8 <= p.length; i += 8) {
      x ^= (long) LONGS.get(p, i);
    }
    return x;
  }

  @Benchmark
  @OperationsPerInvocation(OUT_BYTES)
  public byte[] writeSample(Buffers b) {
    Arrays.fill(b.out, (byte) 1);
    return b.out;
  }

  @Benchmark
  @OperationsPerInvocation(NUMBERS)
  public long xoshiroNextLong(Buffers b) {
    UniformRandomProvider rng = b.rng;
    long x = 0;
    for (int i = 0; i < NUMBERS; i++) {
      x ^= rng.nextLong();
    }
    return x;
  }
}
