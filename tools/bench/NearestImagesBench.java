import java.util.Random;
import pmodel.data.builtin.FashionMnist;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.eval.SampleMetrics;

/**
 * Times the evaluation harness's exact nearest-training-image search (SampleMetrics
 * .nearestTrainingDistances) against a straightforward brute-force scan, on Fashion-MNIST's
 * 60,000 training images. Run from the repository root after './mvnw -q package -DskipTests':
 *
 *   java -cp "api/target/classes:cli/target/lib/*" tools/bench/NearestImagesBench.java
 *
 * Queries: 300 test images (real images, like a good model's samples) and 300 images of
 * independent uniform pixels (like naive Bayes's noise). Prints the best of 2 runs; the time
 * includes building the index (a sorted int copy of the training images).
 */
public class NearestImagesBench {
  static final int QUERIES = 300;

  public static void main(String[] args) {
    Dataset train = FashionMnist.read(FashionMnist.Split.TRAIN, null);
    Dataset test = FashionMnist.read(FashionMnist.Split.TEST, null).slice(0, QUERIES);
    Dataset noise = noise(train.schema(), QUERIES);
    for (Object[] q : new Object[][] {{QUERIES + " test images", test},
        {QUERIES + " noise images", noise}}) {
      Dataset queries = (Dataset) q[1];
      for (int threads : new int[] {1, 2}) {
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 2; rep++) {
          long t0 = System.nanoTime();
          SampleMetrics.nearestTrainingDistances(queries, train, threads);
          best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf("%s vs 60000 training images, %d thread(s): %.2f s%n", q[0], threads,
            best);
      }
      long t0 = System.nanoTime();
      bruteForce(queries.slice(0, 50), train);
      double per = (System.nanoTime() - t0) / 1e9 / 50;
      System.out.printf("%s: brute force (row-major bytes, 1 thread), extrapolated from 50"
          + " queries: %.2f s%n", q[0], per * QUERIES);
    }
  }

  static Dataset noise(Schema schema, int n) {
    Random r = new Random(1);
    Object[] cols = new Object[schema.size()];
    for (int f = 0; f < cols.length; f++) {
      byte[] c = new byte[n];
      r.nextBytes(c);
      cols[f] = c;
    }
    return Dataset.of(schema, n, cols);
  }

  static long bruteForce(Dataset q, Dataset train) {
    int d = train.schema().size();
    byte[] rows = new byte[train.rows() * d];
    for (int f = 0; f < d; f++) {
      byte[] c = train.bytes(f);
      for (int i = 0; i < train.rows(); i++) {
        rows[i * d + f] = c[i];
      }
    }
    long sum = 0;
    for (int i = 0; i < q.rows(); i++) {
      byte[] x = new byte[d];
      for (int f = 0; f < d; f++) {
        x[f] = q.bytes(f)[i];
      }
      long best = Long.MAX_VALUE;
      for (int t = 0; t < train.rows(); t++) {
        long s = 0;
        for (int p = 0; p < d; p++) {
          int diff = (x[p] & 0xFF) - (rows[t * d + p] & 0xFF);
          s += diff * diff;
        }
        best = Math.min(best, s);
      }
      sum += best;
    }
    return sum;
  }
}
