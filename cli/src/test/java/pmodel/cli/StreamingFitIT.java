package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.Dataset;

/**
 * Counting models fit a CSV file larger than the Java heap: the file is streamed in chunks, so
 * memory is bounded by the model's size, not the file's. (docs/benchmarks.md records the same
 * with 20 million rows and the peak resident memory.)
 */
class StreamingFitIT {
  static final int ROWS = 8_000_000;

  @TempDir
  Path dir;

  @Test
  void fitsEightMillionRowsWithA32MegabyteHeap() throws Exception {
    Path csv = dir.resolve("outfits.csv");
    writeOutfits(csv, ROWS);
    // Held in memory, the rows alone would take 8M x 5 bytes = 40 MB, more than the whole heap;
    // as text the file is about 9 times larger still (47 bytes a row).
    assertThat((long) ROWS * 5).isGreaterThan(32L << 20);
    assertThat(Files.size(csv)).isGreaterThan(300L << 20);
    for (String model : List.of("histogram", "naive-bayes")) {
      CliProcess.Result fit = CliProcess.run(dir, 300, List.of("-Xmx32m"), "fit", model,
          "--data", csv.toString(), "--out", model + ".pm");
      assertThat(fit.exit()).as(fit.err()).isZero();
      assertThat(fit.out()).contains("fitted " + model + " on " + ROWS + " rows");
      CliProcess.Result inspect = CliProcess.run(dir, 60, List.of(), "inspect", "--model",
          model + ".pm", "--json");
      JsonNode j = JsonOut.parse(inspect.out());
      assertThat(j.get("provenance").get("training_rows").asLong()).isEqualTo(ROWS);
    }
  }

  /** Writes rows of outfits as CSV, a million at a time. */
  static void writeOutfits(Path csv, int rows) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      w.write(String.join(",", Outfits.FEATURES));
      w.write('\n');
      for (int done = 0; done < rows; done += 1_000_000) {
        Dataset d = Outfits.sample(Math.min(1_000_000, rows - done), done, 0);
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < d.rows(); i++) {
          sb.setLength(0);
          for (int f = 0; f < 5; f++) {
            sb.append(f == 0 ? "" : ",").append(d.schema().discrete(f).level(d.code(i, f)));
          }
          sb.append('\n');
          w.write(sb.toString());
        }
      }
    }
  }
}
