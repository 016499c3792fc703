/**
 * The pmodel conformance test kit: {@link pmodel.tck.ProviderConformanceTest}, an abstract JUnit 5
 * suite that a model plugin's test class extends by naming its provider and a few schemas it
 * supports.
 */
module pmodel.tck {
  requires transitive pmodel.api;
  requires transitive pmodel.data;
  requires transitive pmodel.runtime;
  requires transitive pmodel.eval;
  requires transitive org.junit.jupiter.api;
  requires transitive org.junit.jupiter.params;
  requires com.fasterxml.jackson.databind;

  exports pmodel.tck;

  opens pmodel.tck to org.junit.platform.commons;
}
