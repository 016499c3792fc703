package pmodel.tck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Damaged copies of a model file for the truncation check: for every stored value, one copy
 * without it and, for arrays, one with the array cut to half its length (a consistent cut: the
 * length, the inline values or the blob and its SHA-256 all agree), so that the provider's own
 * {@code read} sees short data rather than a checksum error.
 */
final class ModelFileEdits {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One damaged copy and what was done to it. */
  record Variant(String what, byte[] bytes) {
  }

  private ModelFileEdits() {
  }

  static List<Variant> variants(byte[] modelFile) {
    Map<String, byte[]> entries = unzip(modelFile);
    ObjectNode root;
    try {
      root = (ObjectNode) JSON.readTree(entries.get("model.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Variant> out = new ArrayList<>();
    ObjectNode params = (ObjectNode) root.get("parameters");
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    for (String name : names) {
      ObjectNode copy = root.deepCopy();
      ((ObjectNode) copy.get("parameters")).remove(name);
      out.add(new Variant("parameter '" + name + "' is missing", zip(copy, entries)));

      JsonNode value = params.get(name);
      long length = value.path("length").asLong(0);
      if (length < 1) {
        continue;
      }
      long half = length / 2;
      ObjectNode edited = root.deepCopy();
      ObjectNode v = (ObjectNode) edited.get("parameters").get(name);
      v.put("length", half);
      Map<String, byte[]> blobs = new LinkedHashMap<>(entries);
      if (v.get("values") instanceof ArrayNode a) {
        while (a.size() > half) {
          a.remove(a.size() - 1);
        }
      } else if (v.hasNonNull("blob") && entries.containsKey(v.get("blob").asText())) {
        String path = v.get("blob").asText();
        byte[] b = entries.get(path);
        int keep = (int) Math.min(b.length, half * elementBytes(v.path("type").asText()));
        byte[] cut = java.util.Arrays.copyOf(b, keep);
        blobs.put(path, cut);
        v.put("sha256", sha256(cut));
      }
      out.add(new Variant("parameter '" + name + "' is cut to " + half + " of " + length
          + " values", zip(edited, blobs)));
    }
    return out;
  }

  private static int elementBytes(String type) {
    return switch (type) {
      case "int64[]", "float64[]" -> 8;
      case "int32[]", "float32[]" -> 4;
      default -> 1;
    };
  }

  private static Map<String, byte[]> unzip(byte[] file) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(file))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        out.put(e.getName(), in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static byte[] zip(ObjectNode root, Map<String, byte[]> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("model.json"));
      zip.write(JSON.writeValueAsBytes(root));
      zip.closeEntry();
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        if (!e.getKey().equals("model.json")) {
          zip.putNextEntry(new ZipEntry(e.getKey()));
          zip.write(e.getValue());
          zip.closeEntry();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
