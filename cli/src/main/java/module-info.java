/**
 * The {@code pmodel} command line. It finds model providers through ServiceLoader (via the api's
 * registry) and never names a provider class.
 */
module pmodel.cli {
  requires pmodel.api;
  requires pmodel.data;
  requires pmodel.runtime;
  requires pmodel.eval;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;
  requires java.desktop;

  opens pmodel.cli to info.picocli;
}
