package pmodel.data;

import pmodel.data.io.CsvData;
import pmodel.data.io.IdxData;
import pmodel.data.io.ReadOptions;

import java.nio.charset.StandardCharsets;
import java.net.URLDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Cans;
import pmodel.data.builtin.FashionMnist;
import pmodel.data.builtin.Outfits;
import pmodel.data.builtin.Ring8;
import pmodel.data.builtin.World;
import pmodel.api.compute.RandomStreams;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;

/**
 * Reads a data SOURCE: a file path (CSV, or IDX, gzipped or not, told apart by content) or a
 * built-in data set {@code builtin:NAME[:PART][?key=value&...]}:
 * <ul>
 *   <li>{@code builtin:outfits[:train|:test]?rows=N&seed=S}: N rows (default 5000) of the known
 *       P_data of {@link Outfits}; train and test are independent draws for the same seed;</li>
 *   <li>{@code builtin:fashion-mnist:train|test?rows=N&seed=S}: Fashion-MNIST (the first N
 *       images, or N chosen at random by S when a seed is given);</li>
 *   <li>{@code builtin:world[:train|:test]?rows=N&seed=S}: N points (lon, lat) uniform on land,
 *       the known P_data of {@link World}; train and test are independent draws;</li>
 *   <li>{@code builtin:fashion-mnist-subset:train|test?rows=N&seed=S}: the Fashion-MNIST subset
 *       shipped inside pmodel (3000 training, 1000 test images);</li>
 *   <li>{@code builtin:cans[:train|:test]?rows=N&seed=S}: N (default 5000) 32×32 images of
 *       {@link Cans}, whose only factors are height and width (metadata columns);</li>
 *   <li>{@code builtin:ring8[:train|:test]?rows=N&seed=S}: N (default 5000) 2-D points from the
 *       eight Gaussians of {@link Ring8}, their mode as metadata.</li>
 * </ul>
 */
public final class DataSources {
  /** The built-in data set names, for help and errors. */
  public static final List<String> BUILTINS = List.of("builtin:outfits",
      "builtin:fashion-mnist:train", "builtin:fashion-mnist:test", "builtin:world",
      "builtin:fashion-mnist-subset:train", "builtin:fashion-mnist-subset:test",
      "builtin:cans", "builtin:ring8");

  private DataSources() {
  }

  /**
   * Reads a source. When {@code options.schema()} is given, the data must have that schema (a CSV
   * is read against it; other sources are compared with it).
   */
  public static Dataset read(String source, ReadOptions options) {
    Dataset data = source.startsWith("builtin:") ? builtin(source, options) : file(source, options);
    Schema expected = options.schema();
    if (expected != null && !data.schema().equals(expected)) {
      throw PmodelException.badInput(source + ": the data's schema differs from the model's ("
          + expected.difference(data.schema()) + ")");
    }
    return data;
  }

  /**
   * True when the source is a CSV file (not a built-in, not IDX): such a source can be streamed
   * in chunks with {@link CsvData#scan} and {@link CsvData#readChunks}.
   */
  public static boolean isCsvFile(String source) {
    if (source.startsWith("builtin:")) {
      return false;
    }
    Path path = Path.of(source);
    // a gzip file is a CSV file when what it holds does not look like IDX (data.csv.gz)
    return Files.isRegularFile(path) && !IdxData.looksLikeIdx(path);
  }

  private static Dataset file(String source, ReadOptions options) {
    Path path = Path.of(source);
    if (!Files.exists(path)) {
      throw PmodelException.badInput(source + ": no such file; expected a CSV or IDX file, or one"
          + " of " + String.join(", ", BUILTINS));
    }
    if (!Files.isRegularFile(path)) {
      throw PmodelException.badInput(source + ": not a regular file");
    }
    if (IdxData.looksLikeIdx(path)) {
      if (!options.continuous().isEmpty()) {
        throw PmodelException.badInput(source + ": --continuous applies to CSV files only");
      }
      Dataset data = IdxData.read(path);
      Path labels = siblingLabels(path);
      if (labels != null) {
        data = data.withMetadata(IdxData.readLabels(labels, data.rows(), "label", null));
      }
      return data;
    }
    return CsvData.read(path, options);
  }

  /** "x-images-idx3-ubyte[.gz]" has labels in "x-labels-idx1-ubyte[.gz]" when that exists. */
  private static Path siblingLabels(Path images) {
    String name = images.getFileName().toString();
    if (!name.contains("-images-idx3-ubyte")) {
      return null;
    }
    for (String candidate : new String[] {
        name.replace("-images-idx3-ubyte", "-labels-idx1-ubyte"),
        name.replace("-images-idx3-ubyte", "-labels-idx1-ubyte").replace(".gz", ""),
        name.replace("-images-idx3-ubyte", "-labels-idx1-ubyte") + ".gz"}) {
      Path p = images.resolveSibling(candidate);
      if (Files.isRegularFile(p) && !p.equals(images)) {
        return p;
      }
    }
    return null;
  }

  /** A parsed builtin:NAME[:PART]?k=v&... */
  record Builtin(String name, String part, Map<String, String> query) {
  }

  static Builtin parse(String source) {
    String rest = source.substring("builtin:".length());
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    String name = rest;
    String part = null;
    int c = rest.indexOf(':');
    if (c >= 0) {
      name = rest.substring(0, c);
      part = rest.substring(c + 1);
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (!query.isEmpty()) {
      for (String kv : query.split("&")) {
        int e = kv.indexOf('=');
        if (e <= 0) {
          throw PmodelException.badInput(source + ": option '" + kv
              + "' is malformed; expected key=value");
        }
        try {
          params.put(URLDecoder.decode(kv.substring(0, e), StandardCharsets.UTF_8),
              URLDecoder.decode(kv.substring(e + 1), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException bad) {
          throw PmodelException.badInput(source + ": option '" + kv + "' has a malformed"
              + " %-escape; expected % followed by two hex digits (write % itself as %25)", bad);
        }
      }
    }
    return new Builtin(name, part, params);
  }

  private static Dataset builtin(String source, ReadOptions options) {
    Builtin b = parse(source);
    switch (b.name()) {
      case "outfits": {
        Draw d = draw(source, b);
        return Outfits.sample(d.rows(), d.seed(), d.part());
      }
      case "ring8": {
        Draw d = draw(source, b);
        return Ring8.sample(d.rows(), d.seed(), d.part());
      }
      case "cans": {
        Draw d = draw(source, b);
        return Cans.sample(d.rows(), d.seed(), d.part());
      }
      case "fashion-mnist":
        return subset(source, b, FashionMnist.read(fashionSplit(source, b), options.dataDir()));
      case "fashion-mnist-subset":
        return subset(source, b, FashionMnist.readSubset(fashionSplit(source, b)));
      case "world": {
        Draw d = draw(source, b);
        return World.sample(d.rows(), d.seed(), d.part());
      }
      default:
        throw PmodelException.badInput(source + ": unknown built-in data set '" + b.name()
            + "'; built-in: " + String.join(", ", BUILTINS));
    }
  }

  /** The part (0 train, 1 test), row count and seed of a data set drawn from its P_data. */
  private record Draw(int part, int rows, long seed) {
  }

  private static Draw draw(String source, Builtin b) {
    checkKeys(source, b, Set.of("rows", "seed"));
    return new Draw(partIndex(source, b.part(), List.of("train", "test")),
        intOption(source, b, "rows", 5000, 1, 100_000_000), longOption(source, b, "seed", 0));
  }

  /** The split of a Fashion-MNIST source, which must name one. */
  private static FashionMnist.Split fashionSplit(String source, Builtin b) {
    checkKeys(source, b, Set.of("rows", "seed"));
    int part = partIndex(source, b.part() == null ? "" : b.part(), List.of("train", "test"));
    return part == 0 ? FashionMnist.Split.TRAIN : FashionMnist.Split.TEST;
  }

  /** The first {@code rows} rows, or {@code rows} rows chosen at random by {@code seed}. */
  private static Dataset subset(String source, Builtin b, Dataset data) {
    int rows = intOption(source, b, "rows", data.rows(), 1, data.rows());
    if (!b.query().containsKey("seed")) {
      return rows == data.rows() ? data : data.slice(0, rows);
    }
    // a partial Fisher-Yates shuffle picks the rows; they keep their order in the data
    int[] index = new int[data.rows()];
    for (int i = 0; i < index.length; i++) {
      index[i] = i;
    }
    UniformRandomProvider rng = RandomStreams.create(longOption(source, b, "seed", 0), 0);
    for (int i = 0; i < rows; i++) {
      int j = i + rng.nextInt(index.length - i);
      int t = index[i];
      index[i] = index[j];
      index[j] = t;
    }
    int[] chosen = java.util.Arrays.copyOf(index, rows);
    java.util.Arrays.sort(chosen);
    return data.select(chosen);
  }

  private static int partIndex(String source, String part, List<String> parts) {
    if (part == null) {
      return 0;
    }
    int i = parts.indexOf(part);
    if (i < 0) {
      throw PmodelException.badInput(source + ": unknown part '" + part + "'; expected "
          + String.join(" or ", parts));
    }
    return i;
  }

  private static void checkKeys(String source, Builtin b, Set<String> allowed) {
    for (String k : b.query().keySet()) {
      if (!allowed.contains(k)) {
        throw PmodelException.badInput(source + ": unknown option '" + k + "'; expected "
            + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  private static int intOption(String source, Builtin b, String key, int def, int min, int max) {
    String v = b.query().get(key);
    if (v == null) {
      return def;
    }
    long x;
    try {
      x = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw PmodelException.badInput(source + ": " + key + "=" + v + " is not an integer");
    }
    if (x < min || x > max) {
      throw PmodelException.badInput(source + ": " + key + "=" + v + " is out of range; expected "
          + min + ".." + max);
    }
    return (int) x;
  }

  private static long longOption(String source, Builtin b, String key, long def) {
    String v = b.query().get(key);
    if (v == null) {
      return def;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw PmodelException.badInput(source + ": " + key + "=" + v + " is not an integer");
    }
  }
}
