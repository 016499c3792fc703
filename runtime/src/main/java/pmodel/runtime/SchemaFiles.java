package pmodel.runtime;

import pmodel.data.io.AtomicFiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Schema;
import pmodel.runtime.internal.Json;
import pmodel.runtime.internal.SchemaJson;

/**
 * Schemas as JSON files, the same form model files use: {@code {"features": [{"name": "hair",
 * "type": "categorical", "levels": ["Black", "Red"]}, {"name": "x", "type": "continuous"},
 * {"name": "p0", "type": "integer", "levels": 256}]}}, or for images {@code {"image":
 * {"height": 28, "width": 28, "levels": 256}}}.
 */
public final class SchemaFiles {
  private SchemaFiles() {
  }

  /** Reads a schema file; any problem fails with a one-line error naming the file. */
  public static Schema read(Path path) {
    byte[] bytes;
    // read at most one byte past the limit: a device such as /dev/zero reports size 0 and
    // never ends, so the size reported up front bounds nothing
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes((int) ModelFiles.MAX_JSON_BYTES + 1);
      if (bytes.length > ModelFiles.MAX_JSON_BYTES) {
        throw PmodelException.badInput(path + ": larger than " + ModelFiles.MAX_JSON_BYTES
            + " bytes; a schema file is at most " + ModelFiles.MAX_JSON_BYTES + " bytes");
      }
    } catch (NoSuchFileException e) {
      throw PmodelException.badInput(path + ": no such file");
    } catch (IOException e) {
      throw PmodelException.badInput(path + ": cannot be read: " + e.getMessage(), e);
    }
    try {
      return SchemaJson.read(Json.MAPPER.readTree(bytes), path.toString());
    } catch (JsonProcessingException e) {
      throw PmodelException.badInput(path + ": not valid JSON (line "
          + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")", e);
    } catch (IOException e) {
      throw PmodelException.badInput(path + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * Parses a schema from JSON text (the form {@link #toJson} writes); any problem fails with a
   * one-line error that begins with {@code source}.
   */
  public static Schema parse(String json, String source) {
    try {
      return SchemaJson.read(Json.MAPPER.readTree(json), source);
    } catch (JsonProcessingException e) {
      throw PmodelException.badInput(source + ": not valid JSON (line "
          + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")", e);
    }
  }

  /** The schema as JSON text. */
  public static String toJson(Schema schema) {
    try {
      return Json.MAPPER.writeValueAsString(SchemaJson.write(schema));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a schema file atomically. */
  public static void write(Path path, Schema schema) {
    byte[] bytes = toJson(schema).getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(path, out -> out.write(bytes));
  }
}
