package pmodel.runtime.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one Jackson configuration pmodel uses: tree model only (no data binding, no polymorphic
 * typing, so no JSON can name a class), with tight limits on nesting, number and string length.
 */
public final class Json {
  /** Deepest nesting accepted in a model file; pmodel's own files nest 4 levels. */
  public static final int MAX_NESTING = 32;

  public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_NESTING)
          .maxNumberLength(64)
          .maxStringLength(1 << 24)
          .build())
      .build())
      .enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {
  }
}
