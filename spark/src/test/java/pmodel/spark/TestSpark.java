package pmodel.spark;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The one Spark session of the tests: local mode with two worker threads ({@code local[2]}),
 * started by the first test that needs it and shared by all test classes of this JVM. It binds
 * to the loopback address only and keeps its scratch files under {@code target/}.
 */
final class TestSpark {
  private static SparkSession session;

  private TestSpark() {
  }

  static synchronized SparkSession session() {
    if (session == null) {
      Path scratch = Path.of("target", "spark-scratch").toAbsolutePath();
      session = SparkSession.builder()
          .master("local[2]")
          .appName("pmodel-spark tests")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.ui.enabled", "false")
          .config("spark.ui.showConsoleProgress", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.local.dir", scratch.resolve("local").toString())
          .config("spark.sql.warehouse.dir", scratch.resolve("warehouse").toString())
          .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }
}
