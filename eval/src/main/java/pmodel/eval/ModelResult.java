package pmodel.eval;

import java.math.BigInteger;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.data.Dataset;

/**
 * One model's evaluation by {@link Harness}: how long it took to fit, how many free parameters it
 * has, how likely the held-out rows are under it, and how much its samples look like real data.
 *
 * @param model the provider id
 * @param family the model's family
 * @param kind how the model scores data: "exact", "bound" or "none" (implicit models have no
 *     likelihood; then {@code likelihood} is null)
 * @param fitSeconds wall-clock seconds of the fit (the one figure that is not reproducible)
 * @param freeParameters the model's free parameters
 * @param likelihood the held-out NLL: exact, or the negative ELBO (an upper bound); null for
 *     implicit models
 * @param importanceWeighted for "bound" models, the NLL from the importance-weighted estimate
 *     with {@code importanceSamples} samples per row (a tighter bound); otherwise null
 * @param importanceSamples the samples per row of {@code importanceWeighted}, 0 when absent
 * @param klNats the exact KL(P_data ‖ P_model) in nats when P_data is known and the model has an
 *     exact density over a discrete schema; otherwise null
 * @param table sample quality for tables, or null for images
 * @param images sample quality for images, or null for tables
 * @param samples the samples the quality was measured on
 * @param fitted the fitted model
 */
public record ModelResult(String model, Family family, String kind, double fitSeconds,
    BigInteger freeParameters, LikelihoodReport likelihood, LikelihoodReport importanceWeighted,
    int importanceSamples, Double klNats, TableQuality table, ImageQuality images,
    Dataset samples, GenerativeModel fitted) {
}
