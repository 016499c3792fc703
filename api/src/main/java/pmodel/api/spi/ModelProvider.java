package pmodel.api.spi;

import pmodel.api.params.ParameterSpec;
import pmodel.api.params.Parameters;

import java.util.List;
import java.util.Set;
import pmodel.api.Capability;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;

/**
 * A model family plugin, found through {@link java.util.ServiceLoader}. A provider is cheap to
 * construct (heavy set-up such as native libraries happens on the first fit or read), stateless
 * and thread-safe.
 *
 * <p>A plugin module {@code requires pmodel.api}, {@code provides pmodel.api.spi.ModelProvider
 * with ...}, exports nothing, and also lists its provider in
 * {@code META-INF/services/pmodel.api.spi.ModelProvider} so it works on the class path.
 */
public interface ModelProvider {
  /**
   * The SPI version this API defines. A provider returns the value it was compiled against from
   * {@link #apiVersion()}; the registry refuses providers built for another version.
   */
  int API_VERSION = 1;

  /** A unique lowercase id, e.g. {@code histogram}, {@code naive-bayes}. */
  String id();

  /** The family of the models this provider fits. */
  Family family();

  /** A one-line description. */
  String description();

  /**
   * The SPI version the provider was built for: implement as {@code return API_VERSION;} so that
   * the constant is compiled into the plugin.
   */
  int apiVersion();

  /** The provider's own version (by default its module or package version, else "dev"). */
  default String version() {
    String v = getClass().getModule().getDescriptor() == null ? null
        : getClass().getModule().getDescriptor().rawVersion().orElse(null);
    if (v == null) {
      v = getClass().getPackage().getImplementationVersion();
    }
    return v == null ? "dev" : v;
  }

  /** The capabilities every model of this provider has. */
  Set<Capability> capabilities();

  /** The hyperparameters {@link #fit} accepts. */
  List<ParameterSpec> parameters();

  /**
   * Whether this provider can model data of this schema with these parameters; when not, the
   * reason in one sentence.
   */
  Support supports(Schema schema, Parameters params);

  /** {@link #supports(Schema, Parameters)} with default parameters. */
  default Support supports(Schema schema) {
    return supports(schema, Parameters.defaults(parameters()));
  }

  /**
   * Fits a model. The data's schema has been accepted by {@link #supports}; the result depends
   * only on the data, the parameters and {@code context.seed()}.
   */
  GenerativeModel fit(Dataset data, Parameters params, FitContext context);

  /** Writes a model this provider fitted. */
  void write(GenerativeModel model, StateWriter out);

  /** Reads a model this provider wrote; corrupt state fails with a clear error. */
  GenerativeModel read(StateReader in);
}
