package pmodel.vae;

import java.util.List;
import java.util.Map;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.Schema;
import pmodel.api.spi.ModelProvider;
import pmodel.tck.ProviderConformanceTest;

/**
 * The convolutional VAE passes the conformance test kit: 8-bit images (discretized logistic)
 * and binary images (Bernoulli), tiny networks, a few epochs; tables and image sides that are
 * not multiples of 4 are refused with a reason.
 */
class VaeConvConformanceTest extends ProviderConformanceTest {
  @Override
  protected ModelProvider provider() {
    return new VaeProvider();
  }

  @Override
  protected List<Schema> schemas() {
    return List.of(Schema.image(8, 8, 256), Schema.image(4, 8, 2));
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("architecture", "conv", "channels", "4", "hidden", "16", "epochs", "3",
        "batch", "64");
  }

  @Override
  protected List<Unsupported> unsupported() {
    Map<String, String> conv = Map.of("architecture", "conv");
    return List.of(new Unsupported(Schema.image(6, 8, 256), conv),
        new Unsupported(Schema.image(8, 10, 256), conv),
        new Unsupported(Outfits.schema(), conv));
  }
}
