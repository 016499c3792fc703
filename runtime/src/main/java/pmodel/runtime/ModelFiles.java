package pmodel.runtime;

import pmodel.data.io.AtomicFiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import pmodel.api.GenerativeModel;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Schema;
import pmodel.runtime.internal.Json;
import pmodel.runtime.internal.SchemaJson;
import pmodel.runtime.internal.ZipStateReader;
import pmodel.runtime.internal.ZipStateWriter;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.ParameterSpec;
import pmodel.api.params.Parameters;

/**
 * Model files: one zip archive holding {@code model.json} (format version, provider id and
 * version, family, schema, hyperparameters, parameters and provenance) and, for large arrays,
 * little-endian binary blobs {@code blobs/NAME.bin}, each checked by length and SHA-256.
 *
 * <p>A model file is data. It is read with Jackson's tree model only (no data binding, no
 * polymorphic typing), so nothing in it can name a Java class; the provider is looked up by id
 * among installed providers. Every size is checked before allocation. Files are written
 * atomically ({@link AtomicFiles}).
 */
public final class ModelFiles {
  /** The format marker in model.json. */
  public static final String FORMAT = "pmodel-model";
  /** The format version this pmodel writes and the newest it reads. */
  public static final int FORMAT_VERSION = 1;
  /** The largest model.json accepted. */
  public static final long MAX_JSON_BYTES = 64L << 20;
  /** The largest blob accepted (a Java array's limit, less headroom). */
  public static final long MAX_BLOB_BYTES = pmodel.api.spi.StateWriter.MAX_BLOB_BYTES;

  private static final Pattern ENTRY = Pattern.compile("model\\.json|blobs/[a-z0-9_.-]{1,64}\\.bin");

  private ModelFiles() {
  }

  /** The pmodel version that writes model files. */
  public static String pmodelVersion() {
    return Version.get();
  }

  /** Writes a model and its provenance to {@code path}, atomically. */
  public static void save(Path path, GenerativeModel model, ModelProvider provider,
      Provenance provenance) {
    if (!provider.id().equals(model.providerId())) {
      throw new IllegalArgumentException("model of '" + model.providerId()
          + "' cannot be written by '" + provider.id() + "'");
    }
    ZipStateWriter state = new ZipStateWriter();
    provider.write(model, state);
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    ObjectNode prov = root.putObject("provider");
    prov.put("id", provider.id());
    prov.put("version", provider.version());
    prov.put("api_version", provider.apiVersion());
    root.put("family", model.family().id());
    root.set("schema", SchemaJson.write(model.schema()));
    root.set("hyperparameters", hyperparametersJson(model.hyperparameters()));
    // informational; a number when it fits a long, else its decimal digits as a string (a
    // histogram over 784 pixels has 256^784 - 1, longer than any number a reader accepts), and
    // beyond 1024 bits "about 1.23e45678" (2^20 pixels would be millions of digits)
    java.math.BigInteger free = model.freeParameters();
    if (free.bitLength() < 63) {
      root.put("free_parameters", free.longValueExact());
    } else {
      root.put("free_parameters", pmodel.api.data.Magnitudes.show(free));
    }
    root.set("parameters", state.parameters());
    if (provenance != null) {
      ObjectNode p = root.putObject("provenance");
      p.put("training_rows", provenance.trainingRows());
      p.put("data_fingerprint", provenance.dataFingerprint());
      p.put("data_source", provenance.dataSource());
      p.put("seed", provenance.seed());
      p.put("threads", provenance.threads());
      p.put("created", provenance.created());
      p.put("pmodel_version", provenance.pmodelVersion());
    }
    byte[] json;
    try {
      json = Json.MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    AtomicFiles.write(path, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      zip.setLevel(Deflater.BEST_SPEED);
      zip.putNextEntry(new ZipEntry("model.json"));
      zip.write(json);
      zip.closeEntry();
      for (Map.Entry<String, byte[]> b : state.blobs().entrySet()) {
        zip.putNextEntry(new ZipEntry(b.getKey()));
        zip.write(b.getValue());
        zip.closeEntry();
      }
      zip.finish();
    });
  }

  static ObjectNode hyperparametersJson(Parameters params) {
    ObjectNode h = Json.MAPPER.createObjectNode();
    Map<String, String> strings = params.asStrings();
    for (ParameterSpec s : params.specs()) {
      String v = strings.get(s.name());
      switch (s.type()) {
        case INTEGER -> h.put(s.name(), Long.parseLong(v));
        case REAL -> h.put(s.name(), Double.parseDouble(v));
        case BOOLEAN -> h.put(s.name(), Boolean.parseBoolean(v));
        case CHOICE -> h.put(s.name(), v);
        case INTEGER_LIST -> {
          ArrayNode a = h.putArray(s.name());
          for (String x : v.split(",")) {
            a.add(Integer.parseInt(x));
          }
        }
        default -> throw new IllegalStateException();
      }
    }
    return h;
  }

  /**
   * Reads a model file. A file that is not a pmodel model file, is truncated or corrupt, has a
   * newer format version or needs a provider that is not installed fails with a one-line
   * bad-input error naming the file.
   */
  public static SavedModel load(Path path, ModelRegistry registry) {
    String where = "model file " + path;
    if (!Files.isRegularFile(path)) {
      throw PmodelException.badInput(where + " does not exist or is not a file");
    }
    ZipFile zip;
    try {
      zip = new ZipFile(path.toFile());
    } catch (ZipException e) {
      throw PmodelException.badInput(where + " is not a pmodel model file (expected a zip"
          + " archive holding model.json; it is truncated, corrupt or of another kind)", e);
    } catch (IOException e) {
      throw PmodelException.badInput(where + " cannot be read: " + e.getMessage(), e);
    }
    try (zip) {
      checkEntries(zip, where);
      ZipEntry jsonEntry = zip.getEntry("model.json");
      if (jsonEntry == null) {
        throw PmodelException.badInput(where + " is not a pmodel model file (no model.json)");
      }
      JsonNode root = readJson(zip, jsonEntry, where);
      if (!root.isObject() || !FORMAT.equals(root.path("format").asText())) {
        throw PmodelException.badInput(where + " is not a pmodel model file (model.json has no"
            + " \"format\": \"" + FORMAT + "\")");
      }
      JsonNode fv = root.get("format_version");
      if (fv == null || !fv.isIntegralNumber() || !fv.canConvertToInt() || fv.asInt() < 1) {
        throw PmodelException.badInput(where + ": format_version is missing or invalid;"
            + " expected a positive integer");
      }
      if (fv.asInt() > FORMAT_VERSION) {
        throw PmodelException.badInput(where + " has format version " + fv.asInt()
            + "; this pmodel reads format version " + FORMAT_VERSION
            + " and older: upgrade pmodel to read it");
      }
      JsonNode prov = root.path("provider");
      String id = prov.path("id").asText("");
      if (id.isEmpty()) {
        throw PmodelException.badInput(where + ": provider.id is missing");
      }
      ModelProvider provider = registry.find(id).orElseThrow(() -> PmodelException.badInput(
          where + " needs model '" + id + "', which is not installed; installed: "
          + (registry.ids().isEmpty() ? "none" : String.join(", ", registry.ids()))
          + "; put its plugin into a plugin directory (--plugin-path DIR, $"
          + ModelRegistry.PLUGIN_PATH_VARIABLE + " or ~/.pmodel/plugins)"));
      Schema schema = SchemaJson.read(root.get("schema"), where);
      Parameters params = readHyperparameters(root.get("hyperparameters"), provider, where);
      ZipStateReader reader = new ZipStateReader(zip, root.path("parameters"), schema, params,
          path.toString());
      if (!root.path("parameters").isObject()) {
        throw reader.corrupt("'parameters' is missing");
      }
      GenerativeModel model;
      try {
        model = provider.read(reader);
      } catch (PmodelException e) {
        // a provider's own check (bins, bounds) is about this file: say which file
        if (e.getMessage().startsWith(where)) {
          throw e;
        }
        throw new PmodelException(e.exitCode(), where + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw PmodelException.badInput(where + ": model '" + id + "' could not read its"
            + " parameters (" + e + ")", e);
      }
      if (!model.schema().equals(schema) || !model.providerId().equals(id)) {
        throw reader.corrupt("the model read does not match the file's schema or provider");
      }
      return new SavedModel(model, provider, fv.asInt(), prov.path("version").asText("unknown"),
          readProvenance(root.get("provenance")));
    } catch (IOException e) {
      throw PmodelException.badInput(where + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static void checkEntries(ZipFile zip, String where) {
    Enumeration<? extends ZipEntry> entries = zip.entries();
    int count = 0;
    while (entries.hasMoreElements()) {
      ZipEntry e = entries.nextElement();
      String name = e.getName();
      if (++count > 10_000) {
        throw PmodelException.badInput(where + " holds more than 10000 entries");
      }
      if (name.startsWith("/") || name.contains("..") || name.contains("\\")
          || name.contains(":")) {
        throw PmodelException.badInput(where + ": entry '" + name
            + "' escapes the model file; refused");
      }
      if (!ENTRY.matcher(name).matches()) {
        throw PmodelException.badInput(where + ": unexpected entry '" + name
            + "'; expected model.json and blobs/NAME.bin only");
      }
      verifyEntry(zip, e, where);
    }
  }

  /**
   * Streams one entry through CRC-32 and counts its bytes, without holding it in memory: the zip
   * format records both, but Java checks neither for a stored entry, so one flipped bit in a
   * stored model.json (alpha 1.0 to 6.0) would otherwise load silently. Sizes are bounded by the
   * read limits ({@link #MAX_JSON_BYTES}, {@link #MAX_BLOB_BYTES}) before anything is read.
   */
  private static void verifyEntry(ZipFile zip, ZipEntry e, String where) {
    String name = e.getName();
    long limit = name.equals("model.json") ? MAX_JSON_BYTES : MAX_BLOB_BYTES;
    if (e.getSize() > limit) {
      throw PmodelException.badInput(where + ": entry '" + name + "' claims " + e.getSize()
          + " bytes; the limit is " + limit);
    }
    CRC32 crc = new CRC32();
    long size = 0;
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = zip.getInputStream(e)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        size += n;
        if (size > limit) {
          throw PmodelException.badInput(where + ": entry '" + name + "' holds more than "
              + limit + " bytes; the limit is " + limit);
        }
        crc.update(buffer, 0, n);
      }
    } catch (IOException ex) {
      throw PmodelException.badInput(where + ": entry '" + name + "' is corrupt ("
          + ex.getMessage() + ")", ex);
    }
    if (e.getSize() >= 0 && size != e.getSize()) {
      throw PmodelException.badInput(where + ": entry '" + name + "' holds " + size
          + " bytes; the zip directory records " + e.getSize() + "; truncated or corrupt");
    }
    if (e.getCrc() < 0 || crc.getValue() != e.getCrc()) {
      throw PmodelException.badInput(where + ": entry '" + name + "' is corrupt (CRC-32 does"
          + " not match the one recorded); the file was damaged after it was written");
    }
  }

  private static JsonNode readJson(ZipFile zip, ZipEntry entry, String where) throws IOException {
    if (entry.getSize() > MAX_JSON_BYTES) {
      throw PmodelException.badInput(where + ": model.json claims " + entry.getSize()
          + " bytes; the limit is " + MAX_JSON_BYTES);
    }
    byte[] bytes;
    try (InputStream in = zip.getInputStream(entry)) {
      bytes = in.readNBytes((int) MAX_JSON_BYTES + 1);
    } catch (ZipException e) {
      throw PmodelException.badInput(where + ": model.json is corrupt (" + e.getMessage() + ")",
          e);
    }
    if (bytes.length > MAX_JSON_BYTES) {
      throw PmodelException.badInput(where + ": model.json is larger than " + MAX_JSON_BYTES
          + " bytes");
    }
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (StreamConstraintsException e) {
      throw PmodelException.badInput(where + ": model.json exceeds a limit ("
          + firstLine(e.getOriginalMessage()) + ")", e);
    } catch (JsonProcessingException e) {
      throw PmodelException.badInput(where + ": model.json is not valid JSON (line "
          + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": "
          + firstLine(e.getOriginalMessage()) + ")", e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int i = s.indexOf('\n');
    return i < 0 ? s : s.substring(0, i);
  }

  private static Parameters readHyperparameters(JsonNode node, ModelProvider provider,
      String where) {
    if (node == null || !node.isObject()) {
      throw PmodelException.badInput(where + ": 'hyperparameters' is missing");
    }
    Map<String, String> raw = new LinkedHashMap<>();
    var fields = node.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      JsonNode v = e.getValue();
      String s;
      if (v.isArray()) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode x : v) {
          sb.append(sb.length() == 0 ? "" : ",").append(x.asText());
        }
        s = sb.toString();
      } else if (v.isValueNode()) {
        s = v.asText();
      } else {
        throw PmodelException.badInput(where + ": hyperparameter '" + e.getKey()
            + "' is not a value");
      }
      raw.put(e.getKey(), s);
    }
    try {
      return Parameters.parse(provider.id(), provider.parameters(), raw);
    } catch (PmodelException e) {
      throw PmodelException.badInput(where + ": " + e.getMessage(), e);
    }
  }

  private static Provenance readProvenance(JsonNode p) {
    if (p == null || !p.isObject()) {
      return null;
    }
    return new Provenance(p.path("training_rows").asLong(), p.path("data_fingerprint").asText(),
        p.path("data_source").asText(), p.path("seed").asLong(), p.path("threads").asInt(),
        p.path("created").asText(), p.path("pmodel_version").asText());
  }
}
