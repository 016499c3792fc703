package pmodel.runtime;

/**
 * Where a model came from: the training rows and their fingerprint, the data source, the seed,
 * when it was made and by which pmodel version.
 *
 * @param trainingRows the number of rows the model was fitted on
 * @param dataFingerprint the training data's {@link pmodel.api.data.Dataset#fingerprint()}
 * @param dataSource the SOURCE the data was read from
 * @param seed the fit's seed
 * @param threads the number of threads the fit used
 * @param created an ISO-8601 instant
 * @param pmodelVersion the pmodel API version string that wrote the file
 */
public record Provenance(long trainingRows, String dataFingerprint, String dataSource, long seed,
    int threads, String created, String pmodelVersion) {
}
