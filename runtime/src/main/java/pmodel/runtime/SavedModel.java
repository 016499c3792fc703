package pmodel.runtime;

import pmodel.api.GenerativeModel;
import pmodel.api.spi.ModelProvider;

/**
 * A model read from a model file, with what the file says about it.
 *
 * @param model the model
 * @param provider the installed provider that read it
 * @param formatVersion the file's format version
 * @param providerVersion the provider version that wrote the file
 * @param provenance where the model came from
 */
public record SavedModel(GenerativeModel model, ModelProvider provider, int formatVersion,
    String providerVersion, Provenance provenance) {
}
