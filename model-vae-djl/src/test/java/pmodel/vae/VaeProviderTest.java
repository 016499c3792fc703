package pmodel.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import pmodel.api.Capability;
import pmodel.api.Family;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Cans;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;
import pmodel.api.params.Parameters;
import pmodel.api.spi.Support;

/** Hyperparameter validation and what the provider refuses; none of this loads the engine. */
class VaeProviderTest {
  final VaeProvider p = new VaeProvider();

  Parameters params(Map<String, String> given) {
    return Parameters.parse("vae", p.parameters(), given);
  }

  @Test
  void describesItself() {
    assertThat(p.id()).isEqualTo("vae");
    assertThat(p.family()).isEqualTo(Family.EXPLICIT_APPROXIMATE);
    assertThat(p.capabilities()).containsExactlyInAnyOrder(Capability.SAMPLING,
        Capability.DENSITY_BOUND, Capability.LATENT_DECODING, Capability.LATENT_SPACE);
    assertThat(p.parameters()).extracting(s -> s.name()).containsExactly("latent", "hidden",
        "architecture", "channels", "likelihood", "binarize", "steps", "epochs", "batch", "lr", "beta",
        "importance");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "latent|0|parameter latent=0 for model 'vae' is out of range; expected an integer in 1..4096",
      "lr|-0.001|parameter lr=-0.001 for model 'vae' is out of range; expected a number >= 0 and <= 1",
      "lr|1.5|parameter lr=1.5 for model 'vae' is out of range",
      "batch|-1|parameter batch=-1 for model 'vae' is out of range; expected an integer in 0..65536",
      "steps|0|parameter steps=0",
      "epochs|-1|parameter epochs=-1",
      "hidden|512,-1|parameter hidden=512,-1 for model 'vae' is out of range",
      "hidden|abc|is not an integer",
      "beta|-1|parameter beta=-1",
      "likelihood|gauss|expected one of auto, logistic, bernoulli, table",
      "architecture|resnet|expected one of auto, mlp, conv",
      "channels|0|parameter channels=0 for model 'vae' is out of range; expected an integer in 1..1024",
      "importance|0|parameter importance=0"})
  void absurdHyperparametersGetClearErrors(String name, String value, String message) {
    assertThatThrownBy(() -> params(Map.of(name, value)))
        .isInstanceOf(PmodelException.class).hasMessageContaining(message);
  }

  @Test
  void refusesWhatItCannotModelWithAReason() {
    Schema mixed = Schema.of(DiscreteFeature.integer("a", 256), new ContinuousFeature("x"));
    Support s = p.supports(mixed, params(Map.of("likelihood", "logistic")));
    assertThat(s.supported()).isFalse();
    assertThat(s.reason()).isEqualTo("a discretized-logistic likelihood needs integer levels;"
        + " feature 'x' is continuous (use likelihood=table)");
    assertThat(p.supports(Outfits.schema(), params(Map.of("likelihood", "bernoulli")))
        .reason()).contains("same number (2..256) of integer levels");
    assertThat(p.supports(Cans.schema(), params(Map.of("likelihood", "bernoulli"))).reason())
        .contains("binarize=true");
    assertThat(p.supports(Cans.schema(), params(Map.of("likelihood", "logistic",
        "binarize", "true"))).reason()).contains("likelihood=bernoulli");
    assertThat(p.supports(Outfits.schema(), params(Map.of("binarize", "true"))).reason())
        .contains("binarize");
    Schema wide = Schema.image(300, 300, 256);
    assertThat(p.supports(wide, params(Map.of("likelihood", "table"))).reason())
        .contains("limit is 65536");
    assertThat(p.supports(Cans.schema(), params(Map.of("hidden", "16384,16384,16384")))
        .reason()).contains("weights; the limit is 268435456");
    Map<String, String> conv = Map.of("architecture", "conv");
    assertThat(p.supports(Outfits.schema(), params(conv)).reason())
        .isEqualTo("architecture=conv needs an image schema with a per-pixel likelihood"
            + " (use architecture=mlp for tables)");
    assertThat(p.supports(Schema.image(30, 28, 256), params(conv)).reason())
        .isEqualTo("architecture=conv needs image sides divisible by 4; this image is 30x28"
            + " (use architecture=mlp)");
    assertThat(p.supports(Cans.schema(), params(Map.of("architecture", "conv", "channels",
        "1024", "hidden", "4096"))).reason()).contains("weights; the limit is 268435456");
    assertThat(p.supports(Cans.schema(), params(conv)).supported()).isTrue();
    assertThat(p.supports(Schema.image(256, 256, 256), params(Map.of("architecture", "conv",
        "channels", "128", "hidden", "16"))).reason()).isEqualTo("the convolutional network's"
        + " feature maps would hold 8388608 values per image; the limit is 4194304 (use fewer"
        + " channels)");
  }

  @Test
  void autoPicksTheConvolutionalNetworkForImagesWithSidesDivisibleByFour() {
    assertThat(VaeProvider.architectureFor(Cans.schema(), params(Map.of()))).isEqualTo("conv");
    assertThat(VaeProvider.hidden(Cans.schema(), params(Map.of())))
        .containsExactly(VaeProvider.CONV_HIDDEN);
    assertThat(VaeProvider.architectureFor(Schema.image(30, 28, 256), params(Map.of())))
        .isEqualTo("mlp");
    assertThat(VaeProvider.architectureFor(Outfits.schema(), params(Map.of())))
        .isEqualTo("mlp");
    assertThat(VaeProvider.hidden(Outfits.schema(), params(Map.of()))).containsExactly(512, 256);
    assertThat(VaeProvider.batch(Cans.schema(), params(Map.of()))).isEqualTo(64);
    assertThat(VaeProvider.learningRate(Cans.schema(), params(Map.of()))).isEqualTo(2e-3);
    assertThat(VaeProvider.batch(Outfits.schema(), params(Map.of()))).isEqualTo(128);
    assertThat(VaeProvider.learningRate(Outfits.schema(), params(Map.of()))).isEqualTo(1e-3);
    assertThat(VaeProvider.architectureFor(Cans.schema(), params(Map.of("architecture",
        "mlp")))).isEqualTo("mlp");
    assertThat(p.supports(Cans.schema(), params(Map.of("hidden", "0,8"))).reason())
        .contains("hidden=0 means automatic widths and must stand alone");
  }

  @Test
  void autoPicksTheLikelihoodFromTheSchema() {
    assertThat(VaeProvider.likelihoodFor(Cans.schema(), params(Map.of()))).isEqualTo("logistic");
    assertThat(VaeProvider.likelihoodFor(Cans.schema(), params(Map.of("binarize", "true"))))
        .isEqualTo("bernoulli");
    assertThat(VaeProvider.likelihoodFor(Schema.image(4, 4, 2), params(Map.of())))
        .isEqualTo("bernoulli");
    assertThat(VaeProvider.likelihoodFor(Outfits.schema(), params(Map.of())))
        .isEqualTo("table");
    assertThat(p.supports(Cans.schema()).supported()).isTrue();
    assertThat(p.supports(Outfits.schema()).supported()).isTrue();
  }

  @Test
  void inferenceBatchesShrinkOnlyForWideConvolutionalNetworks() {
    // The MLP on Fashion-MNIST: its largest activation is the 784 pixels, so the caps hold.
    Network.Layout mlp = new Network.Layout(784, new int[] {512, 256}, 32, 784, 784);
    assertThat(mlp.activationsPerRow()).isEqualTo(784);
    assertThat(mlp.rowsPerBatch(VaeModel.IW_BATCH)).isEqualTo(VaeModel.IW_BATCH);
    // 64 channels on 32x32 images: the last upsampling's input holds 64 x 1024 values per row,
    // so 2^24 / 65536 = 256 rows per batch instead of 4096 (1 GB of floats for that one
    // activation at 4096 rows).
    Network.Layout wide = new Network.Layout(1024, new int[] {64}, 2, 1024, 1024, 64, 32, 32);
    assertThat(wide.activationsPerRow()).isEqualTo(65536);
    assertThat(wide.rowsPerBatch(VaeModel.IW_BATCH)).isEqualTo(256);
    assertThat(wide.rowsPerBatch(VaeModel.SAMPLE_BLOCK)).isEqualTo(256);
    // 32 channels on Fashion-MNIST: 32 x 784 = 25,088 values, 668 rows.
    Network.Layout fashion = new Network.Layout(784, new int[] {256}, 32, 784, 784, 32, 28, 28);
    assertThat(fashion.rowsPerBatch(VaeModel.IW_BATCH)).isEqualTo(668);
    assertThat(fashion.rowsPerBatch(VaeModel.BATCH)).isEqualTo(VaeModel.BATCH);
  }
}
