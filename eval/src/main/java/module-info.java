/**
 * The evaluation harness: fits several models on one split and reports each one's held-out NLL
 * in its kind (exact, bound, none), the exact KL when P_data is known, and sample metrics
 * (marginal and pair total variation, nearest-training-image distance, copies), plus the
 * chi-square and latent-factor statistics that tests and the demo share. Host code.
 */
module pmodel.eval {
  requires transitive pmodel.api;

  exports pmodel.eval;
}
