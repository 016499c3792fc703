package pmodel.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Schema;
import pmodel.api.spi.ModelProvider;
import pmodel.tck.ToyProvider.Defect;
import pmodel.tck.ToyProvider.Kind;

/**
 * The kit's own tests: sound exact, bound and implicit toy providers pass it (the nested
 * classes run the whole suite), and each planted defect makes the check meant for it fail.
 */
class KitTest {
  static final Schema SMALL = ProviderConformanceTest.smallSchema();
  static final Schema WIDE = ProviderConformanceTest.discreteSchema(4, 5);

  /** The suite for one toy provider. */
  static class Harness extends ProviderConformanceTest {
    final ModelProvider provider;

    Harness(ModelProvider provider) {
      this.provider = provider;
    }

    @Override
    protected ModelProvider provider() {
      return provider;
    }

    @Override
    protected List<Schema> schemas() {
      return List.of(SMALL, WIDE);
    }

    @Override
    protected List<Unsupported> unsupported() {
      return List.of(Unsupported.of(Schema.of(new ContinuousFeature("x"))));
    }
  }

  @Nested
  class SoundExactModel extends Harness {
    SoundExactModel() {
      super(new ToyProvider(Kind.EXACT));
    }
  }

  @Nested
  class SoundBoundModel extends Harness {
    SoundBoundModel() {
      super(new ToyProvider(Kind.BOUND));
    }
  }

  @Nested
  class SoundBoundModelWithExactPosterior extends Harness {
    SoundBoundModelWithExactPosterior() {
      super(new ToyProvider(Kind.BOUND));
    }

    @Override
    protected Map<String, String> settings() {
      return Map.of("tempered", "false");
    }
  }

  @Nested
  class SoundImplicitModel extends Harness {
    SoundImplicitModel() {
      super(new ToyProvider(Kind.IMPLICIT));
    }
  }

  static Harness kit(Kind kind, Defect defect) {
    return new Harness(new ToyProvider(kind, defect));
  }

  /** The check fails with an assertion error (not skipped, not passed). */
  static void fails(Executable check) {
    AssertionError e = assertThrows(AssertionError.class, check);
    assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
  }

  static void failsInSomeCase(List<DynamicTest> tests) {
    int failed = 0;
    for (DynamicTest t : tests) {
      try {
        t.getExecutable().execute();
      } catch (AssertionError e) {
        failed++;
      } catch (Throwable e) {
        throw new AssertionError("unexpected " + e, e);
      }
    }
    assertTrue(failed > 0, "no case failed");
  }

  @Test
  void probabilitiesThatDoNotSumToOneFail() {
    fails(() -> kit(Kind.EXACT, Defect.SUM_NOT_ONE).exactProbabilitiesOfEveryCellSumToOne(SMALL));
  }

  @Test
  void aSamplerThatDisagreesWithTheDensityFails() {
    fails(() -> kit(Kind.EXACT, Defect.WRONG_SAMPLER)
        .samplesAgreeWithTheModelsProbabilities(SMALL));
  }

  @Test
  void conditionalSamplingFromThePriorInsteadOfThePosteriorFails() {
    fails(() -> kit(Kind.EXACT, Defect.PRIOR_NOT_POSTERIOR)
        .conditionalSamplesRespectTheGivenValues(WIDE));
  }

  @Test
  void conditionalSamplesThatDropTheGivenValuesFail() {
    fails(() -> kit(Kind.EXACT, Defect.DROPS_GIVEN).conditionalSamplesRespectTheGivenValues(WIDE));
  }

  @Test
  void samplesThatDependOnTheThreadCountFail() {
    fails(() -> kit(Kind.IMPLICIT, Defect.THREAD_DEPENDENT)
        .sameSeedSameSamplesDifferentSeedDifferentSamples(SMALL));
  }

  @Test
  void aModelThatIsNotThreadSafeFails() {
    fails(() -> kit(Kind.IMPLICIT, Defect.NOT_THREAD_SAFE)
        .samplingFromSeveralThreadsAtOnceIsSafe(SMALL));
  }

  @Test
  void aBoundAboveTheExactValueFails() {
    fails(() -> kit(Kind.BOUND, Defect.BOUND_ABOVE).boundsStayBelowTheExactValue(SMALL));
  }

  @Test
  void anImportanceWeightedEstimateThatLoosensWithMoreSamplesFails() {
    fails(() -> kit(Kind.BOUND, Defect.LOOSENS_WITH_K).boundsStayBelowTheExactValue(SMALL));
  }

  @Test
  void anImplicitModelWithALikelihoodFails() {
    Harness h = kit(Kind.IMPLICIT, Defect.CLAIMS_DENSITY);
    fails(() -> h.familyMatchesHowTheModelScores(SMALL));
    fails(h::providerDescribesItself);
  }

  @Test
  void aReadThatCrashesOnAShortArrayFails(@TempDir Path dir) {
    fails(() -> kit(Kind.EXACT, Defect.READ_CRASHES).aTruncatedModelFileFailsCleanly(SMALL, dir));
  }

  @Test
  void aDefaultOutsideItsRangeFails() {
    fails(() -> kit(Kind.EXACT, Defect.BAD_DEFAULT).providerDescribesItself());
  }

  @Test
  void declaredCapabilitiesTheModelLacksFail() {
    fails(() -> kit(Kind.EXACT, Defect.CAPABILITY_LIE).fittedModelMatchesItsProvider(SMALL));
  }

  @Test
  void aRefusalWithoutAReasonFails() {
    fails(() -> kit(Kind.EXACT, Defect.BLANK_REASON)
        .supportsRefusesWhatTheModelCannotHandleWithAReason());
  }

  @Test
  void anUnreproducibleFitFails() {
    fails(() -> kit(Kind.EXACT, Defect.UNREPRODUCIBLE_FIT)
        .fittingTwiceWithOneSeedGivesTheSameModel(SMALL));
  }

  @Test
  void aCrashAtADeclaredMinimumFails() {
    failsInSomeCase(kit(Kind.EXACT, Defect.CRASHES_AT_MINIMUM)
        .fittingAtEachDeclaredMinimumWorksOrFailsCleanly().toList());
  }

  /** The suite for the toy counting provider. */
  static Harness countingKit(ToyCountingProvider.Defect defect) {
    return new Harness(new ToyCountingProvider(defect));
  }

  @Test
  void soundPortableStatisticsPassTheStatisticsChecks() {
    Harness h = countingKit(null);
    for (Schema s : List.of(SMALL, WIDE)) {
      h.statisticsWrittenInPartsMergeIntoTheModelOfAllRows(s);
      h.damagedStatisticsFailCleanly(s);
    }
  }

  @Test
  void statisticsThatLoseACountInTransitFail() {
    fails(() -> countingKit(ToyCountingProvider.Defect.LOSES_A_COUNT)
        .statisticsWrittenInPartsMergeIntoTheModelOfAllRows(SMALL));
  }

  @Test
  void aStatisticsReaderThatTrustsStoredLengthsFails() {
    fails(() -> countingKit(ToyCountingProvider.Defect.TRUSTS_STORED_LENGTH)
        .damagedStatisticsFailCleanly(SMALL));
  }

  @Test
  void checksThatDoNotApplyAreSkippedNotPassed() {
    Harness implicit = new Harness(new ToyProvider(Kind.IMPLICIT));
    assertThrows(TestAbortedException.class,
        () -> implicit.exactProbabilitiesOfEveryCellSumToOne(SMALL));
    assertThrows(TestAbortedException.class, () -> implicit.boundsStayBelowTheExactValue(SMALL));
    assertThrows(TestAbortedException.class,
        () -> implicit.statisticsWrittenInPartsMergeIntoTheModelOfAllRows(SMALL));
    assertThrows(TestAbortedException.class, () -> implicit.damagedStatisticsFailCleanly(SMALL));
    Harness exact = new Harness(new ToyProvider(Kind.EXACT));
    Schema big = ProviderConformanceTest.discreteSchema(7, 4); // 16384 cells
    assertThrows(TestAbortedException.class,
        () -> exact.samplesAgreeWithTheModelsProbabilities(big));
  }

  @Test
  void everyOutOfRangeValueOfEachTypeIsTried() {
    ToyProvider p = new ToyProvider(Kind.EXACT);
    assertEquals(List.of("x", "NaN", "0.0", "1000000.0000000001", "Infinity"),
        ProviderConformanceTest.badValues(p.parameters().get(0)));
    assertEquals(List.of("maybe"), ProviderConformanceTest.badValues(p.parameters().get(1)));
  }

  @Test
  void theNormalQuantileIsRight() {
    // Φ⁻¹(0.999) = 3.0902323061678132, Φ⁻¹(0.9995) = 3.2905267314919255
    assertEquals(3.0902323061678132, KitMath.normalUpperQuantile(0.001), 1e-9);
    assertEquals(3.2905267314919255, KitMath.normalUpperQuantile(0.0005), 1e-9);
  }
}
