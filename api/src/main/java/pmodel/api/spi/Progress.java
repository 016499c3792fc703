package pmodel.api.spi;

import java.util.Map;

/**
 * One progress report from a fit: the stage ("counting", "epoch"), how far it is (step of steps)
 * and named metrics (loss, reconstruction, kl, seconds).
 */
public record Progress(String stage, long step, long steps, Map<String, Double> metrics) {
  public Progress {
    metrics = Map.copyOf(metrics);
  }
}
