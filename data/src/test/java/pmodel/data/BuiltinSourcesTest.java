package pmodel.data;

import pmodel.data.io.ReadOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.FashionMnist;
import pmodel.data.builtin.World;
import pmodel.api.data.Dataset;

/** The built-in sources of the founding story: world, and the shipped Fashion-MNIST subset. */
class BuiltinSourcesTest {
  static Dataset read(String source) {
    return DataSources.read(source, ReadOptions.defaults());
  }

  @Test
  void worldHasRowsSeedAndAnIndependentTestPart() {
    Dataset a = read("builtin:world?rows=300&seed=3");
    assertThat(a.rows()).isEqualTo(300);
    assertThat(a.schema()).isEqualTo(World.schema());
    assertThat(read("builtin:world:train?rows=300&seed=3").fingerprint())
        .isEqualTo(a.fingerprint());
    assertThat(read("builtin:world?rows=300&seed=4").fingerprint()).isNotEqualTo(a.fingerprint());
    Dataset test = read("builtin:world:test?rows=300&seed=3");
    // continuous draws from independent streams: no held-out point equals a training point
    java.util.Set<Double> lons = new java.util.HashSet<>();
    for (int i = 0; i < a.rows(); i++) {
      lons.add(a.value(i, 0));
    }
    for (int i = 0; i < test.rows(); i++) {
      assertThat(lons).doesNotContain(test.value(i, 0));
    }
    assertThat(read("builtin:world").rows()).isEqualTo(5000);
  }

  @Test
  void theShippedFashionMnistSubsetReadsWithLabels() {
    Dataset train = read("builtin:fashion-mnist-subset:train");
    Dataset test = read("builtin:fashion-mnist-subset:test");
    assertThat(train.rows()).isEqualTo(FashionMnist.SUBSET_TRAIN);
    assertThat(test.rows()).isEqualTo(FashionMnist.SUBSET_TEST);
    assertThat(train.schema().isImage()).isTrue();
    assertThat(train.metadata().orElseThrow().schema().feature(0).name()).isEqualTo("label");
    // the first images of Fashion-MNIST: label 9 (ankle boot) then 0 (T-shirt/top)
    assertThat(train.metadata().get().code(0, 0)).isEqualTo(9);
    assertThat(train.metadata().get().code(1, 0)).isEqualTo(0);
    Dataset first = read("builtin:fashion-mnist-subset:train?rows=10");
    assertThat(first.fingerprint()).isEqualTo(train.slice(0, 10).fingerprint());
    Dataset random = read("builtin:fashion-mnist-subset:train?rows=10&seed=1");
    assertThat(random.rows()).isEqualTo(10);
    assertThat(random.fingerprint()).isNotEqualTo(first.fingerprint())
        .isEqualTo(read("builtin:fashion-mnist-subset:train?rows=10&seed=1").fingerprint());
    // a random subset holds distinct rows of the split
    java.util.Set<Object> trainRows = new java.util.HashSet<>();
    for (int r = 0; r < train.rows(); r++) {
      trainRows.add(train.slice(r, r + 1).fingerprint());
    }
    java.util.Set<Object> drawn = new java.util.HashSet<>();
    for (int r = 0; r < random.rows(); r++) {
      drawn.add(random.slice(r, r + 1).fingerprint());
    }
    assertThat(trainRows).containsAll(drawn);
    assertThat(drawn).hasSize(random.rows());
  }

  @Test
  void badBuiltinOptionsAreRefused() {
    assertThatThrownBy(() -> read("builtin:world?rows=0"))
        .isInstanceOf(PmodelException.class)
        .hasMessage("builtin:world?rows=0: rows=0 is out of range; expected 1..100000000");
    assertThatThrownBy(() -> read("builtin:world?size=3"))
        .isInstanceOf(PmodelException.class).hasMessageContaining("unknown option 'size'");
    assertThatThrownBy(() -> read("builtin:world:validation"))
        .isInstanceOf(PmodelException.class)
        .hasMessageContaining("unknown part 'validation'; expected train or test");
    assertThatThrownBy(() -> read("builtin:fashion-mnist-subset:train?rows=3001"))
        .isInstanceOf(PmodelException.class).hasMessageContaining("expected 1..3000");
  }
}
