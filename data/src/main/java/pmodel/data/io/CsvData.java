package pmodel.data.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pmodel.api.error.PmodelException;
import pmodel.api.data.ColumnRanges;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Feature;
import pmodel.api.data.Schema;

/**
 * CSV files with a header row, read and written with Jackson's CSV module.
 *
 * <p>Reading infers a schema when none is given: every column is categorical with the levels
 * found in the data, sorted (numerically when they are all integers), except the columns declared
 * continuous. With a schema, its features are read by header name in any order and every value
 * must be a level the schema knows; other columns become metadata. Any problem fails with one line
 * naming the file, the line, the column and what was expected.
 */
public final class CsvData {
  /** The most levels a categorical column may have when its schema is inferred. */
  public static final int MAX_LEVELS = 1 << 24;

  private static final CsvMapper MAPPER = CsvMapper.builder()
      .enable(CsvParser.Feature.WRAP_AS_ARRAY)
      .enable(CsvParser.Feature.TRIM_SPACES)
      .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
      .build();

  private CsvData() {
  }

  /** Reads a whole CSV file into a dataset. */
  public static Dataset read(Path path, ReadOptions options) {
    try (Rows rows = open(path)) {
      String[] header = rows.header();
      return options.schema() == null
          ? readInferred(rows, header, options.continuous())
          : readWithSchema(rows, header, options.schema());
    }
  }

  /** Rows of a CSV file as string arrays, with the file and line for messages. */
  static final class Rows implements AutoCloseable {
    private final Path path;
    private final BufferedReader reader;
    private final MappingIterator<String[]> it;
    private long line;

    Rows(Path path, BufferedReader reader, MappingIterator<String[]> it) {
      this.path = path;
      this.reader = reader;
      this.it = it;
    }

    String[] header() {
      String[] h = next();
      if (h == null) {
        throw PmodelException.badInput(path + ": the file is empty; expected a header row");
      }
      if (h.length > 0 && h[0].startsWith("\uFEFF")) {
        h[0] = h[0].substring(1);
      }
      Set<String> seen = new HashSet<>();
      for (int c = 0; c < h.length; c++) {
        if (h[c].isEmpty()) {
          throw bad("column " + (c + 1) + " of the header is empty; expected a name");
        }
        if (!seen.add(h[c])) {
          throw bad("column name '" + h[c] + "' appears twice in the header");
        }
      }
      return h;
    }

    /** The next row, or null at the end. */
    String[] next() {
      try {
        if (!it.hasNextValue()) {
          return null;
        }
        JsonLocation loc = it.getCurrentLocation();
        String[] row = it.nextValue();
        line = loc == null ? line + 1 : Math.max(loc.getLineNr(), line + 1);
        return row;
      } catch (JsonProcessingException e) {
        Utf8Input.Malformed m = malformed(e);
        if (m != null) {
          throw encoding(m);
        }
        throw PmodelException.badInput(path + ":" + lineOf(e.getLocation()) + ": malformed CSV ("
            + firstLine(e.getOriginalMessage()) + ")", e);
      } catch (RuntimeJsonMappingException e) {
        Utf8Input.Malformed m = malformed(e);
        if (m != null) {
          throw encoding(m);
        }
        throw PmodelException.badInput(path + ":" + (line + 1) + ": malformed CSV ("
            + firstLine(e.getMessage()) + ")", e);
      } catch (IOException e) {
        Utf8Input.Malformed m = malformed(e);
        if (m != null) {
          throw encoding(m);
        }
        if (e instanceof java.util.zip.ZipException || e instanceof java.io.EOFException) {
          throw PmodelException.badInput(path + ": truncated or corrupt gzip file ("
              + e.getMessage() + ")", e);
        }
        throw PmodelException.badInput(path + ": cannot be read: " + e.getMessage(), e);
      }
    }

    static Utf8Input.Malformed malformed(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof Utf8Input.Malformed m) {
          return m;
        }
      }
      return null;
    }

    private PmodelException encoding(Utf8Input.Malformed m) {
      return encodingError(path, m);
    }

    static PmodelException encodingError(Path path, Utf8Input.Malformed m) {
      return PmodelException.badInput(path + ":" + m.line + ": invalid UTF-8 (byte 0x"
          + String.format("%02x", m.value) + " at byte offset " + m.offset + "); expected"
          + " UTF-8 text: convert the file, e.g. with iconv -f latin1 -t utf-8", m);
    }

    private long lineOf(JsonLocation loc) {
      return loc == null ? line + 1 : loc.getLineNr();
    }

    PmodelException bad(String what) {
      return PmodelException.badInput(path + ":" + Math.max(1, line) + ": " + what);
    }

    Path path() {
      return path;
    }

    @Override
    public void close() {
      try {
        it.close();
        reader.close();
      } catch (IOException ignored) {
        // reading is over; nothing to report
      }
    }
  }

  static Rows open(Path path) {
    BufferedReader reader;
    try {
      reader = new BufferedReader(new java.io.InputStreamReader(Utf8Input.open(path),
          StandardCharsets.UTF_8), 1 << 16);
    } catch (NoSuchFileException e) {
      throw PmodelException.badInput(path + ": no such file");
    } catch (IOException e) {
      throw PmodelException.badInput(path + ": cannot be read: " + e.getMessage(), e);
    }
    try {
      MappingIterator<String[]> it = MAPPER.readerFor(String[].class)
          .with(CsvSchema.emptySchema())
          .readValues(reader);
      return new Rows(path, reader, it);
    } catch (IOException e) {
      Utf8Input.Malformed m = Rows.malformed(e);
      if (m != null) {
        throw Rows.encodingError(path, m);
      }
      throw PmodelException.badInput(path + ": cannot be read as CSV: " + e.getMessage(), e);
    }
  }

  private static void checkWidth(Rows rows, String[] row, String[] header) {
    if (row.length != header.length) {
      throw rows.bad("expected " + header.length + " columns (" + abbreviate(header) + "), found "
          + row.length);
    }
  }

  private static String abbreviate(String[] header) {
    String s = String.join(", ", header);
    return s.length() <= 120 ? s : s.substring(0, 120) + ", ...";
  }

  private static double parseFinite(Rows rows, String column, String v) {
    double x;
    try {
      x = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw rows.bad("column '" + column + "': '" + v + "' is not a number");
    }
    if (!Double.isFinite(x)) {
      throw rows.bad("column '" + column + "': '" + v + "' is not finite; expected a finite"
          + " number (NaN and infinity are refused)");
    }
    return x;
  }

  /** Growable column of codes or values while reading. */
  private static final class Growing {
    int[] codes;
    double[] values;
    int size;
    final Map<String, Integer> levels;
    final List<String> names;

    Growing(boolean continuous) {
      if (continuous) {
        values = new double[1024];
        levels = null;
        names = null;
      } else {
        codes = new int[1024];
        levels = new HashMap<>();
        names = new ArrayList<>();
      }
    }

    void addValue(double v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, grow(size));
      }
      values[size++] = v;
    }

    void addLevel(Rows rows, String column, String level) {
      Integer c = levels.get(level);
      if (c == null) {
        if (names.size() >= MAX_LEVELS) {
          throw rows.bad("column '" + column + "' has more than " + MAX_LEVELS + " levels");
        }
        c = names.size();
        levels.put(level, c);
        names.add(level);
      }
      if (size == codes.length) {
        codes = Arrays.copyOf(codes, grow(size));
      }
      codes[size++] = c;
    }

    static int grow(int size) {
      if (size >= Integer.MAX_VALUE - 16) {
        throw PmodelException.badInput("too many rows for one dataset");
      }
      return (int) Math.min(Integer.MAX_VALUE - 16L, size * 2L);
    }
  }

  private static Dataset readInferred(Rows rows, String[] header, Set<String> continuous) {
    for (String c : continuous) {
      if (!Arrays.asList(header).contains(c)) {
        throw PmodelException.badInput(rows.path() + ": --continuous names column '" + c
            + "', which the header does not have");
      }
    }
    Growing[] cols = new Growing[header.length];
    for (int c = 0; c < header.length; c++) {
      cols[c] = new Growing(continuous.contains(header[c]));
    }
    String[] row;
    while ((row = rows.next()) != null) {
      checkWidth(rows, row, header);
      for (int c = 0; c < header.length; c++) {
        String v = row[c];
        if (cols[c].values != null) {
          cols[c].addValue(parseFinite(rows, header[c], v));
        } else {
          if (v.isEmpty()) {
            throw rows.bad("column '" + header[c] + "' is empty; missing values are not"
                + " supported");
          }
          cols[c].addLevel(rows, header[c], v);
        }
      }
    }
    int n = cols.length == 0 ? 0 : cols[0].size;
    List<Feature> features = new ArrayList<>(header.length);
    Object[] columns = new Object[header.length];
    for (int c = 0; c < header.length; c++) {
      Growing g = cols[c];
      if (g.values != null) {
        features.add(new ContinuousFeature(header[c]));
        columns[c] = Arrays.copyOf(g.values, n);
        continue;
      }
      List<String> sorted = sortLevels(g.names);
      int[] remap = new int[sorted.size()];
      Map<String, Integer> rank = new HashMap<>(sorted.size() * 2);
      for (int i = 0; i < sorted.size(); i++) {
        rank.put(sorted.get(i), i);
      }
      for (int i = 0; i < g.names.size(); i++) {
        remap[i] = rank.get(g.names.get(i));
      }
      DiscreteFeature f = DiscreteFeature.categorical(header[c],
          sorted.isEmpty() ? List.of("?") : sorted);
      features.add(f);
      Object col = Dataset.newColumn(f, n);
      if (col instanceof byte[] b) {
        for (int i = 0; i < n; i++) {
          b[i] = (byte) remap[g.codes[i]];
        }
      } else {
        int[] a = (int[]) col;
        for (int i = 0; i < n; i++) {
          a[i] = remap[g.codes[i]];
        }
      }
      columns[c] = col;
    }
    return Dataset.of(Schema.of(features), n, columns);
  }

  /**
   * Levels in numeric order when all are integers, otherwise in lexicographic order: the order of
   * the levels of every categorical column whose schema is inferred (also by pmodel's Spark
   * module, so that both infer the same schema from the same rows).
   */
  public static List<String> sortLevels(List<String> levels) {
    List<String> out = new ArrayList<>(levels);
    boolean numeric = !out.isEmpty();
    for (String s : out) {
      if (!s.matches("-?\\d{1,18}")) {
        numeric = false;
        break;
      }
    }
    if (numeric) {
      out.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    } else {
      out.sort(String::compareTo);
    }
    return out;
  }

  /** Maps a header onto a schema and decodes rows into codes and values, checking each. */
  private static final class RowDecoder {
    final Schema schema;
    final int[] columnOf;
    final List<Integer> extra = new ArrayList<>();
    final int[] codes;
    final double[] values;

    RowDecoder(Rows rows, String[] header, Schema schema) {
      this.schema = schema;
      this.columnOf = new int[schema.size()];
      this.codes = new int[schema.size()];
      this.values = new double[schema.size()];
      Map<String, Integer> byName = new HashMap<>();
      for (int c = 0; c < header.length; c++) {
        byName.put(header[c], c);
      }
      boolean[] used = new boolean[header.length];
      for (int f = 0; f < schema.size(); f++) {
        Integer c = byName.get(schema.feature(f).name());
        if (c == null) {
          throw PmodelException.badInput(rows.path() + ":1: the header has no column '"
              + schema.feature(f).name() + "', which the model needs; header: "
              + abbreviate(header));
        }
        columnOf[f] = c;
        used[c] = true;
      }
      for (int c = 0; c < header.length; c++) {
        if (!used[c]) {
          extra.add(c);
        }
      }
    }

    void decode(Rows rows, String[] row) {
      for (int f = 0; f < columnOf.length; f++) {
        String v = row[columnOf[f]];
        Feature feature = schema.feature(f);
        if (feature instanceof DiscreteFeature d) {
          int code = d.code(v);
          if (code < 0) {
            throw rows.bad("column '" + d.name() + "': unknown level '" + v + "'; expected "
                + d.describeLevels());
          }
          codes[f] = code;
        } else {
          values[f] = parseFinite(rows, feature.name(), v);
        }
      }
    }
  }

  private static Dataset readWithSchema(Rows rows, String[] header, Schema schema) {
    RowDecoder decoder = new RowDecoder(rows, header, schema);
    List<Integer> extra = decoder.extra;
    Dataset.Builder builder = Dataset.builder(schema);
    Growing[] meta = new Growing[extra.size()];
    for (int i = 0; i < meta.length; i++) {
      meta[i] = new Growing(false);
    }
    String[] row;
    while ((row = rows.next()) != null) {
      checkWidth(rows, row, header);
      decoder.decode(rows, row);
      for (int i = 0; i < meta.length; i++) {
        meta[i].addLevel(rows, header[extra.get(i)], row[extra.get(i)]);
      }
      builder.add(decoder.codes, decoder.values);
    }
    Dataset metadata = null;
    if (meta.length > 0) {
      List<Feature> mf = new ArrayList<>();
      Object[] mc = new Object[meta.length];
      int n = builder.rows();
      for (int i = 0; i < meta.length; i++) {
        List<String> names = meta[i].names.isEmpty() ? List.of("?") : meta[i].names;
        DiscreteFeature f = DiscreteFeature.categorical(header[extra.get(i)], names);
        mf.add(f);
        Object col = Dataset.newColumn(f, n);
        for (int r = 0; r < n; r++) {
          if (col instanceof byte[] b) {
            b[r] = (byte) meta[i].codes[r];
          } else {
            ((int[]) col)[r] = meta[i].codes[r];
          }
        }
        mc[i] = col;
      }
      metadata = Dataset.of(Schema.of(mf), n, mc);
    }
    return builder.build(metadata);
  }

  /**
   * What one streaming pass over a CSV file finds, keeping no rows: its schema (the given one, or
   * one inferred as {@link #read} would), the ranges of its continuous features and its rows.
   */
  public record Scan(Schema schema, ColumnRanges ranges, long rows) {
  }

  /**
   * Reads a CSV file once without keeping its rows: memory grows with the number of distinct
   * levels, not with the number of rows. Every row is checked as {@link #read} checks it.
   */
  public static Scan scan(Path path, ReadOptions options) {
    try (Rows rows = open(path)) {
      String[] header = rows.header();
      if (options.schema() != null) {
        Schema schema = options.schema();
        RowDecoder decoder = new RowDecoder(rows, header, schema);
        double[] lo = new double[schema.size()];
        double[] hi = new double[schema.size()];
        java.util.Arrays.fill(lo, Double.NaN);
        java.util.Arrays.fill(hi, Double.NaN);
        long n = 0;
        String[] row;
        while ((row = rows.next()) != null) {
          checkWidth(rows, row, header);
          decoder.decode(rows, row);
          for (int f = 0; f < schema.size(); f++) {
            if (!schema.feature(f).isDiscrete()) {
              double x = decoder.values[f];
              lo[f] = Double.isNaN(lo[f]) ? x : Math.min(lo[f], x);
              hi[f] = Double.isNaN(hi[f]) ? x : Math.max(hi[f], x);
            }
          }
          n++;
        }
        return new Scan(schema, ColumnRanges.of(lo, hi), n);
      }
      for (String c : options.continuous()) {
        if (!Arrays.asList(header).contains(c)) {
          throw PmodelException.badInput(rows.path() + ": --continuous names column '" + c
              + "', which the header does not have");
        }
      }
      int w = header.length;
      boolean[] cont = new boolean[w];
      List<Map<String, Integer>> levels = new ArrayList<>();
      double[] lo = new double[w];
      double[] hi = new double[w];
      java.util.Arrays.fill(lo, Double.NaN);
      java.util.Arrays.fill(hi, Double.NaN);
      for (int c = 0; c < w; c++) {
        cont[c] = options.continuous().contains(header[c]);
        levels.add(new HashMap<>());
      }
      long n = 0;
      String[] row;
      while ((row = rows.next()) != null) {
        checkWidth(rows, row, header);
        for (int c = 0; c < w; c++) {
          String v = row[c];
          if (cont[c]) {
            double x = parseFinite(rows, header[c], v);
            lo[c] = Double.isNaN(lo[c]) ? x : Math.min(lo[c], x);
            hi[c] = Double.isNaN(hi[c]) ? x : Math.max(hi[c], x);
          } else {
            if (v.isEmpty()) {
              throw rows.bad("column '" + header[c] + "' is empty; missing values are not"
                  + " supported");
            }
            Map<String, Integer> seen = levels.get(c);
            if (!seen.containsKey(v)) {
              if (seen.size() >= MAX_LEVELS) {
                throw rows.bad("column '" + header[c] + "' has more than " + MAX_LEVELS
                    + " levels");
              }
              seen.put(v, seen.size());
            }
          }
        }
        n++;
      }
      List<Feature> features = new ArrayList<>(w);
      for (int c = 0; c < w; c++) {
        if (cont[c]) {
          features.add(new ContinuousFeature(header[c]));
        } else {
          List<String> sorted = sortLevels(new ArrayList<>(levels.get(c).keySet()));
          features.add(DiscreteFeature.categorical(header[c],
              sorted.isEmpty() ? List.of("?") : sorted));
        }
      }
      return new Scan(Schema.of(features), ColumnRanges.of(lo, hi), n);
    }
  }

  /**
   * Streams a CSV file against a schema in chunks of {@code chunkRows} rows (the last may be
   * shorter), handing each to {@code sink}; only one chunk is in memory at a time. Columns not in
   * the schema are ignored.
   */
  public static void readChunks(Path path, Schema schema, int chunkRows,
      java.util.function.Consumer<Dataset> sink) {
    if (chunkRows < 1) {
      throw new IllegalArgumentException("chunkRows < 1");
    }
    try (Rows rows = open(path)) {
      String[] header = rows.header();
      RowDecoder decoder = new RowDecoder(rows, header, schema);
      Dataset.Builder builder = Dataset.builder(schema);
      String[] row;
      while ((row = rows.next()) != null) {
        checkWidth(rows, row, header);
        decoder.decode(rows, row);
        builder.add(decoder.codes, decoder.values);
        if (builder.rows() == chunkRows) {
          sink.accept(builder.build());
          builder = Dataset.builder(schema);
        }
      }
      if (builder.rows() > 0) {
        sink.accept(builder.build());
      }
    }
  }

  /**
   * Writes a dataset as CSV (levels by name, continuous values in shortest round-trip form),
   * metadata columns after the features, atomically.
   */
  public static void write(Path path, Dataset data) {
    Schema schema = data.schema();
    Dataset meta = data.metadata().orElse(null);
    int width = schema.size() + (meta == null ? 0 : meta.schema().size());
    CsvSchema.Builder sb = CsvSchema.builder();
    for (Feature f : schema.features()) {
      sb.addColumn(f.name());
    }
    if (meta != null) {
      for (Feature f : meta.schema().features()) {
        sb.addColumn(f.name());
      }
    }
    CsvSchema csv = sb.build().withHeader();
    AtomicFiles.write(path, out -> {
      Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      try (SequenceWriter seq = MAPPER.writerFor(String[].class).with(csv).writeValues(w)) {
        String[] row = new String[width];
        for (int r = 0; r < data.rows(); r++) {
          fill(data, r, row, 0);
          if (meta != null) {
            fill(meta, r, row, schema.size());
          }
          seq.write(row);
        }
      }
    });
  }

  private static void fill(Dataset data, int r, String[] row, int at) {
    Schema schema = data.schema();
    for (int f = 0; f < schema.size(); f++) {
      Feature feature = schema.feature(f);
      row[at + f] = feature instanceof DiscreteFeature d ? d.level(data.code(r, f))
          : Double.toString(data.value(r, f));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int i = s.indexOf('\n');
    return i < 0 ? s : s.substring(0, i);
  }
}
