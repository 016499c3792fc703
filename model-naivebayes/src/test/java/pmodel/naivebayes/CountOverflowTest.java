package pmodel.naivebayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.api.params.Parameters;
import org.junit.jupiter.api.Test;

/** Counts near 2^63 are refused, never wrapped round to a small (and plausible) number. */
class CountOverflowTest {
  static final NaiveBayesProvider PROVIDER = new NaiveBayesProvider();

  static NaiveBayesStatistics statistics(Dataset data) {
    NaiveBayesStatistics s = (NaiveBayesStatistics) PROVIDER.newStatistics(data.schema(),
        Parameters.defaults(PROVIDER.parameters()), null);
    s.add(data, 0, data.rows());
    return s;
  }

  @Test
  void mergingStatisticsWhoseCountsPassTwoToTheSixtyThreeIsRefusedAndChangesNothing() {
    Dataset data = Outfits.sample(100, 1, 0);
    NaiveBayesStatistics a = statistics(data);
    NaiveBayesStatistics huge = statistics(data);
    long[] counts = huge.counts().clone();
    Arrays.fill(counts, Long.MAX_VALUE - 50);
    huge.restore(Long.MAX_VALUE - 50, 0, counts);
    long[] before = a.counts().clone();

    assertThatThrownBy(() -> a.merge(huge)).isInstanceOf(PmodelException.class)
        .hasMessageContaining("overflow a 64-bit integer");
    assertThat(a.counts()).containsExactly(before);
    assertThat(a.rows()).isEqualTo(100);
  }

  @Test
  void mergingOrdinaryStatisticsAddsTheirCounts() {
    Dataset data = Outfits.sample(100, 1, 0);
    NaiveBayesStatistics a = statistics(data);
    NaiveBayesStatistics b = statistics(data);
    long[] once = a.counts().clone();
    a.merge(b);
    assertThat(a.rows()).isEqualTo(200);
    for (int i = 0; i < once.length; i++) {
      assertThat(a.counts()[i]).isEqualTo(2 * once[i]);
    }
  }

  @Test
  void aSchemaWithMoreValuesThanAModelFileHoldsIsRefusedBeforeCounting() {
    Schema wide = Schema.of(pmodel.api.data.DiscreteFeature.integer("a", 1 << 30),
        pmodel.api.data.DiscreteFeature.integer("b", 1 << 30));
    var support = PROVIDER.supports(wide, Parameters.defaults(PROVIDER.parameters()));
    assertThat(support.supported()).isFalse();
    assertThat(support.reason()).isEqualTo("naive Bayes keeps one count per feature value and"
        + " this schema has 2147483648 values (2 features); a model file holds at most"
        + " 268435453 (2 GB of 64-bit counts): use fewer features, levels or bins");
    Schema fits = Schema.of(pmodel.api.data.DiscreteFeature.integer("a", 1 << 20));
    assertThat(PROVIDER.supports(fits, Parameters.defaults(PROVIDER.parameters())).supported())
        .isTrue();
  }
}
