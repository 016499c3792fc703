package pmodel.api.spi;

/**
 * Whether a provider can model a schema; when it cannot, a reason in one sentence, e.g.
 * "a discretized-logistic likelihood needs 8-bit pixels; feature 'x' is continuous".
 */
public record Support(boolean supported, String reason) {
  private static final Support YES = new Support(true, "");

  public static Support yes() {
    return YES;
  }

  public static Support no(String reason) {
    return new Support(false, reason);
  }
}
