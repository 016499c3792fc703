package pmodel.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pmodel.api.Capability;
import pmodel.api.ConditionalSampler;
import pmodel.api.DensityBound;
import pmodel.api.ExactDensity;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;
import pmodel.api.LatentDecoder;
import pmodel.api.LatentSpace;
import pmodel.runtime.ModelRegistry;
import pmodel.api.error.PmodelException;
import pmodel.api.data.ColumnRanges;
import pmodel.api.data.Condition;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.ProductSpace;
import pmodel.api.data.Schema;
import pmodel.api.sampling.ChiSquare;
import pmodel.eval.Evaluation;
import pmodel.runtime.ModelFiles;
import pmodel.runtime.SavedModel;
import pmodel.runtime.StatisticsBytes;
import pmodel.api.spi.CountingProvider;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.ParameterSpec;
import pmodel.api.params.Parameters;
import pmodel.api.spi.Statistics;
import pmodel.api.spi.Support;

/**
 * The conformance test kit: an abstract JUnit 5 suite that checks a model provider against the
 * pmodel contracts, on small data the kit generates. A plugin's test class extends it and names
 * its provider and a few schemas the provider supports:
 *
 * <pre>{@code
 * class LatentClassConformanceTest extends ProviderConformanceTest {
 *   protected ModelProvider provider() { return new LatentClassProvider(); }
 *   protected List<Schema> schemas() { return List.of(ProviderConformanceTest.smallSchema()); }
 * }
 * }</pre>
 *
 * <p>What is checked depends on the capabilities the models have, found by type:
 * <ul>
 *   <li>every provider: its id, description, API version and family; that its declared
 *       capabilities are those of its models; that every hyperparameter refuses out-of-range
 *       values with a clear message; that {@code supports} accepts the named schemas and refuses
 *       what the provider cannot handle with a one-line reason; that the same seed gives the same
 *       samples on any number of threads and different seeds different samples; that sampling
 *       from several threads at once is safe; that fitting twice with one seed gives the same
 *       model; that save and load give the same scores and samples; that a truncated model file
 *       fails with a clean one-line error;</li>
 *   <li>{@link ExactDensity}: the probabilities of every cell of a small discrete schema sum to 1,
 *       and samples agree with them (Pearson's chi-square at significance 0.001);</li>
 *   <li>{@link DensityBound}: the lower bounds stay below the exact value where the kit can
 *       compute it (the model's own exact density, or the total probability 1 of a small discrete
 *       schema), the importance-weighted estimate does not get looser with more samples, and
 *       agrees with the bound at one sample;</li>
 *   <li>{@link ConditionalSampler}: every conditional sample holds the given values and, for
 *       exact models, follows the conditional distribution (chi-square);</li>
 *   <li>implicit models ({@link Family#IMPLICIT}) say they have no likelihood: they implement
 *       neither {@link ExactDensity} nor {@link DensityBound};</li>
 *   <li>{@link LatentSpace}: encodings and decodings have the declared shapes;</li>
 *   <li>{@link LatentDecoder}: decodings have the schema, and the same points decode to the
 *       same rows, also from several threads at once;</li>
 *   <li>{@link CountingProvider}s whose {@link CountingProvider#portableStatistics()} is true
 *       (their counts can be fitted on a distributed engine such as Spark): statistics counted
 *       in parts, written to bytes and read back ({@link StatisticsBytes}), then merged, give the
 *       model fitted on all rows; cut or edited statistics fail with a clean one-line error.</li>
 * </ul>
 *
 * <p>Each schema is fitted once per test class (the instance lifecycle is per class), with
 * {@link #settings()} and the seed {@link #SEED}, on {@link #trainingRows()} rows.
 * Probability checks run on schemas whose features are all discrete with at most
 * {@value #MAX_CHI_SQUARE_CELLS} cells (chi-square), {@value #MAX_SUM_CELLS} cells (sums) and
 * {@value #MAX_BOUND_CELLS} cells (bounds); on other schemas they are skipped, and say so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProviderConformanceTest {
  /** The seed of the kit's training data and fits. */
  public static final long SEED = 20_261_129L;
  /** The largest product space whose probabilities the kit sums. */
  public static final int MAX_SUM_CELLS = 1 << 16;
  /** The largest product space the kit runs chi-square tests on. */
  public static final int MAX_CHI_SQUARE_CELLS = 4096;
  /** The largest product space the kit checks bounds on. */
  public static final int MAX_BOUND_CELLS = 1024;
  /** Repeats of each stochastic bound, with different seeds. */
  static final int BOUND_REPEATS = 16;
  /** Importance samples of the "many samples" estimate. */
  static final int IMPORTANCE_SAMPLES = 32;
  /** Rows drawn by the determinism and concurrency checks (more than one 4096-row block). */
  static final int SAMPLE_ROWS = 9000;

  private final Map<Schema, GenerativeModel> fitted = new ConcurrentHashMap<>();

  /** For subclasses: a plugin's test class. */
  protected ProviderConformanceTest() {
  }

  /** The provider under test; a new instance is fine, it is asked for once per check. */
  protected abstract ModelProvider provider();

  /**
   * A few schemas the provider supports. Include at least one small discrete schema (see
   * {@link #smallSchema()}) so that the probability checks run.
   */
  protected abstract List<Schema> schemas();

  /** Hyperparameters for the kit's fits (e.g. few epochs); default: the provider's defaults. */
  protected Map<String, String> settings() {
    return Map.of();
  }

  /**
   * Cases the provider must refuse: a schema and settings (added to {@link #settings()}) that
   * {@code supports} answers no to, with a reason. Default: none; the kit also tries schemas of
   * its own (continuous features, a 28x28 image of 256 levels, a feature of 100,000 levels) and
   * checks the reason of every refusal.
   */
  protected List<Unsupported> unsupported() {
    return List.of();
  }

  /** The number of training rows the kit generates per schema. */
  protected int trainingRows() {
    return 2000;
  }

  /**
   * The training data of a schema: by default {@link #trainingRows()} rows from a mixture of
   * three product distributions that the kit draws at random (seeded), so features depend on one
   * another.
   */
  protected Dataset trainingData(Schema schema) {
    return KitData.mixture(schema, trainingRows(), SEED);
  }

  /**
   * How far the log of the summed probabilities of every cell may be from 0. The default, 1e-9,
   * holds for models computing in double precision: each cell's log-probability is a sum of at
   * most a few dozen terms of magnitude below 50, accurate to about 1e-13, and the sum over at
   * most 2^16 cells adds a relative rounding error below 2^16 · 1.1e-16 ≈ 7e-12. A model that
   * computes in single precision should return about 1e-5 here.
   */
  protected double densityTolerance() {
    return 1e-9;
  }

  /** A case {@code supports} must refuse. */
  public record Unsupported(Schema schema, Map<String, String> settings) {
    public Unsupported {
      settings = Map.copyOf(settings);
    }

    /** A schema refused with the kit's settings. */
    public static Unsupported of(Schema schema) {
      return new Unsupported(schema, Map.of());
    }
  }

  /**
   * A small discrete schema for the probability checks: three categorical features of 3, 4 and
   * 2 levels (24 cells).
   */
  public static Schema smallSchema() {
    return Schema.of(DiscreteFeature.categorical("colour", List.of("red", "green", "blue")),
        DiscreteFeature.integer("size", 4),
        DiscreteFeature.categorical("shape", List.of("round", "square")));
  }

  /** A discrete schema of {@code features} integer features of {@code levels} levels each. */
  public static Schema discreteSchema(int features, int levels) {
    DiscreteFeature[] fs = new DiscreteFeature[features];
    for (int f = 0; f < features; f++) {
      fs[f] = DiscreteFeature.integer("x" + f, levels);
    }
    return Schema.of(fs);
  }

  // ---------------------------------------------------------------------------------------------
  // Fitting, cached per schema

  /** The validated {@link #settings()}. */
  protected final Parameters params() {
    ModelProvider p = provider();
    return Parameters.parse(p.id(), p.parameters(), settings());
  }

  /** The model of a schema, fitted once with {@link #SEED}. */
  protected final GenerativeModel model(Schema schema) {
    return fitted.computeIfAbsent(schema, s -> fit(s, SEED));
  }

  private GenerativeModel fit(Schema schema, long seed) {
    ModelProvider p = provider();
    Parameters params = params();
    Support support = p.supports(schema, params);
    assertTrue(support.supported(), () -> p.id() + " refuses a schema the test names: "
        + support.reason());
    Dataset data = trainingData(schema);
    assertEquals(schema, data.schema(), "trainingData(schema) returned another schema");
    GenerativeModel m = p.fit(data, params, FitContext.of(seed, 2));
    assertNotNull(m, "fit returned null");
    return m;
  }

  /** The schemas as JUnit arguments, named for the report. */
  public Stream<Named<Schema>> kitSchemas() {
    List<Schema> list = schemas();
    assertFalse(list.isEmpty(), "schemas() names no schema");
    return list.stream().map(s -> {
      String label = s.toString();
      return Named.of(label.length() > 80 ? label.substring(0, 77) + "..." : label, s);
    });
  }

  private static boolean enumerable(Schema schema, long maxCells) {
    if (!schema.allDiscrete()) {
      return false;
    }
    ProductSpace space = ProductSpace.of(schema);
    return space.indexable() && space.size() <= maxCells;
  }

  private static void assumeEnumerable(Schema schema, long maxCells) {
    assumeTrue(enumerable(schema, maxCells), () -> "skipped: the schema is not all discrete"
        + " with at most " + maxCells + " cells");
  }

  private ModelRegistry registry() {
    return ModelRegistry.of(List.of(provider()));
  }

  // ---------------------------------------------------------------------------------------------
  // The provider

  /** Id, description, API version, family, capabilities and hyperparameter specs are sound. */
  @Test
  public void providerDescribesItself() {
    ModelProvider p = provider();
    assertTrue(p.id() != null && p.id().matches("[a-z][a-z0-9-]*"),
        "id '" + p.id() + "' must be lowercase letters, digits and dashes");
    assertOneLine(p.description(), "description()");
    assertEquals(ModelProvider.API_VERSION, p.apiVersion(),
        "apiVersion() must return ModelProvider.API_VERSION, compiled in");
    assertNotNull(p.family(), "family()");
    assertNotNull(p.version(), "version()");
    Set<Capability> caps = p.capabilities();
    assertTrue(caps.contains(Capability.SAMPLING), "every model samples: capabilities() must"
        + " contain SAMPLING");
    switch (p.family()) {
      case EXPLICIT_TRACTABLE -> assertTrue(caps.contains(Capability.EXACT_DENSITY),
          "an explicit-tractable family computes exact densities: EXACT_DENSITY is missing");
      case EXPLICIT_APPROXIMATE -> assertTrue(caps.contains(Capability.DENSITY_BOUND)
          && !caps.contains(Capability.EXACT_DENSITY), "an explicit-approximate family bounds"
          + " its density: it has DENSITY_BOUND and no EXACT_DENSITY");
      case IMPLICIT -> assertTrue(!caps.contains(Capability.EXACT_DENSITY)
          && !caps.contains(Capability.DENSITY_BOUND), "an implicit family has no likelihood:"
          + " it must declare neither EXACT_DENSITY nor DENSITY_BOUND");
      default -> fail("unknown family " + p.family());
    }
    Set<String> names = new HashSet<>();
    for (ParameterSpec s : p.parameters()) {
      assertTrue(names.add(s.name()), "parameter '" + s.name() + "' is declared twice");
      assertOneLine(s.help(), "help of parameter '" + s.name() + "'");
      if (s.type() == ParameterSpec.Type.INTEGER || s.type() == ParameterSpec.Type.REAL
          || s.type() == ParameterSpec.Type.INTEGER_LIST) {
        assertTrue(s.min() <= s.max(), "parameter '" + s.name() + "' has min > max");
      }
      if (s.type() == ParameterSpec.Type.CHOICE) {
        assertTrue(s.choices().contains(s.defaultValue()), "the default of '" + s.name()
            + "' is not one of its choices");
      }
    }
    assertDoesNotThrow(() -> Parameters.defaults(p.parameters()),
        "a parameter's default lies outside its own range");
    assertDoesNotThrow(this::params, "settings() are not valid parameters");
    ModelRegistry r = registry();
    assertEquals(List.of(), r.problems(), "the registry refuses the provider");
  }

  /** Every declared hyperparameter refuses out-of-range and malformed values, clearly. */
  @TestFactory
  public Stream<DynamicTest> everyHyperparameterRejectsOutOfRangeValues() {
    ModelProvider p = provider();
    List<DynamicTest> tests = new ArrayList<>();
    tests.add(DynamicTest.dynamicTest("an unknown parameter", () -> {
      PmodelException e = assertThrows(PmodelException.class, () -> Parameters.parse(p.id(),
          p.parameters(), Map.of("no-such-parameter", "1")));
      assertClear(e, "no-such-parameter");
    }));
    for (ParameterSpec s : p.parameters()) {
      for (String bad : badValues(s)) {
        tests.add(DynamicTest.dynamicTest(s.name() + "=" + bad, () -> {
          Map<String, String> given = new LinkedHashMap<>(settings());
          given.put(s.name(), bad);
          PmodelException e = assertThrows(PmodelException.class,
              () -> Parameters.parse(p.id(), p.parameters(), given),
              s.name() + "=" + bad + " was accepted; expected " + s.describeRange());
          assertClear(e, s.name());
          assertTrue(e.getMessage().contains("expected"), "the message does not say what is"
              + " expected: " + e.getMessage());
        }));
      }
    }
    return tests.stream();
  }

  /**
   * Fitting with each numeric hyperparameter at its smallest declared value works or fails with
   * a clean one-line bad-input error: the declared range is what the model really accepts.
   * (Largest values are not tried: they can be expensive, such as many epochs.)
   */
  @TestFactory
  public Stream<DynamicTest> fittingAtEachDeclaredMinimumWorksOrFailsCleanly() {
    ModelProvider p = provider();
    Schema schema = schemas().get(0);
    Dataset data = trainingData(schema);
    Dataset small = data.slice(0, Math.min(data.rows(), 200));
    List<DynamicTest> tests = new ArrayList<>();
    for (ParameterSpec s : p.parameters()) {
      String min = switch (s.type()) {
        case INTEGER -> s.min() > -9.0e18 ? Long.toString((long) Math.ceil(s.min())) : null;
        case REAL -> s.min() <= -Double.MAX_VALUE ? null
            : Double.toString(s.minInclusive() ? s.min() : Math.nextUp(s.min()));
        default -> null;
      };
      if (min == null) {
        continue;
      }
      tests.add(DynamicTest.dynamicTest(s.name() + "=" + min, () -> {
        Map<String, String> given = new LinkedHashMap<>(settings());
        given.put(s.name(), min);
        Parameters params = Parameters.parse(p.id(), p.parameters(), given);
        try {
          Support support = p.supports(schema, params);
          if (support.supported()) {
            GenerativeModel m = p.fit(small, params, FitContext.of(SEED, 2));
            assertEquals(10, m.sample(10, 1, 1).rows(), "rows sampled");
          } else {
            assertOneLine(support.reason(), "the reason for refusing " + s.name() + "=" + min);
          }
        } catch (PmodelException e) {
          assertClear(e, s.name());
        } catch (RuntimeException e) {
          throw new AssertionError("fitting with " + s.name() + "=" + min + ", which the"
              + " parameter declares legal, crashed: " + e, e);
        }
      }));
    }
    return tests.stream();
  }

  static List<String> badValues(ParameterSpec s) {
    List<String> out = new ArrayList<>();
    double lowest = -9.0e18;
    double highest = 9.0e18;
    switch (s.type()) {
      case INTEGER, INTEGER_LIST -> {
        out.add("x");
        out.add("1.5");
        if (s.min() > lowest) {
          out.add(Long.toString((long) Math.ceil(s.min()) - 1));
        }
        if (s.max() < highest) {
          out.add(Long.toString((long) Math.floor(s.max()) + 1));
        }
        if (s.type() == ParameterSpec.Type.INTEGER_LIST) {
          out.add("");
        }
      }
      case REAL -> {
        out.add("x");
        out.add("NaN");
        if (s.minInclusive() && s.min() > -Double.MAX_VALUE) {
          out.add(Double.toString(Math.nextDown(s.min())));
        } else if (!s.minInclusive()) {
          out.add(Double.toString(s.min()));
        }
        if (s.max() < Double.MAX_VALUE) {
          out.add(Double.toString(Math.nextUp(s.max())));
        }
        if (s.max() < Double.POSITIVE_INFINITY) {
          out.add("Infinity");
        }
      }
      case BOOLEAN -> out.add("maybe");
      case CHOICE -> out.add("no-such-choice");
      default -> throw new IllegalStateException();
    }
    return out;
  }

  /** The schemas the test names are supported with the kit's settings. */
  @Test
  public void supportsEveryNamedSchema() {
    ModelProvider p = provider();
    for (Schema s : schemas()) {
      Support r = p.supports(s, params());
      assertTrue(r.supported(), () -> "supports() refuses " + s + ": " + r.reason());
    }
  }

  /**
   * {@code supports} refuses every {@link #unsupported()} case, and every refusal (also of the
   * kit's own awkward schemas) comes with a one-line reason; it answers, never throws.
   */
  @Test
  public void supportsRefusesWhatTheModelCannotHandleWithAReason() {
    ModelProvider p = provider();
    int refusals = 0;
    for (Unsupported u : unsupported()) {
      Map<String, String> given = new LinkedHashMap<>(settings());
      given.putAll(u.settings());
      Support r = p.supports(u.schema(), Parameters.parse(p.id(), p.parameters(), given));
      assertFalse(r.supported(), () -> "supports() accepts " + u + ", which the test says it"
          + " cannot handle");
      assertOneLine(r.reason(), "the reason for refusing " + u.schema());
      refusals++;
    }
    List<Schema> probes = List.of(
        Schema.of(new ContinuousFeature("x"), new ContinuousFeature("y")),
        Schema.image(28, 28, 256),
        Schema.of(DiscreteFeature.integer("many", 100_000)));
    for (Schema s : probes) {
      Support r;
      try {
        r = p.supports(s, params());
      } catch (RuntimeException e) {
        throw new AssertionError("supports() threw instead of answering for " + s + ": " + e, e);
      }
      assertNotNull(r, "supports() returned null");
      if (!r.supported()) {
        assertOneLine(r.reason(), "the reason for refusing " + s);
        refusals++;
      }
    }
    if (refusals == 0) {
      abort("the provider supports every schema the kit tried; name in unsupported() what it"
          + " cannot handle, if anything");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Fitted models

  /** A fitted model has the schema, provider, family, parameters and capabilities it should. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kitSchemas")
  public void fittedModelMatchesItsProvider(Schema schema) {
    ModelProvider p = provider();
    GenerativeModel m = model(schema);
    assertEquals(schema, m.schema(), "the model's schema");
    assertEquals(p.id(), m.providerId(), "the model's providerId()");
    assertEquals(p.family(), m.family(), "the model's family()");
    assertEquals(params(), m.hyperparameters(), "the model's hyperparameters()");
    assertEquals(p.capabilities(), Capability.of(m), "the capabilities the provider declares"
        + " (shown by 'pmodel models') must be the interfaces its models implement");
    BigInteger free = m.freeParameters();
    assertTrue(free != null && free.signum() >= 0, "freeParameters() must be >= 0");
    List<String> lines = m.describe(3);
    assertTrue(lines.size() <= 3, "describe(3) returned " + lines.size() + " lines");
    for (String line : lines) {
      assertOneLine(line, "a line of describe()");
    }
  }

  /**
   * The family matches how the model scores: exact models implement {@link ExactDensity},
   * approximate ones {@link DensityBound}, and implicit ones say they have no likelihood.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kitSchemas")
  public void familyMatchesHowTheModelScores(Schema schema) {
    GenerativeModel m = model(schema);
    switch (m.family()) {
      case EXPLICIT_TRACTABLE -> assertEquals("exact", Capability.likelihoodKind(m));
      case EXPLICIT_APPROXIMATE -> assertEquals("bound", Capability.likelihoodKind(m));
      case IMPLICIT -> {
        assertFalse(m instanceof ExactDensity, "an implicit model has no likelihood: it must"
            + " not implement ExactDensity");
        assertFalse(m instanceof DensityBound, "an implicit model has no likelihood: it must"
            + " not implement DensityBound");
        assertEquals("none", Capability.likelihoodKind(m));
      }
      default -> fail("unknown family " + m.family());
    }
  }

  /** Exact log-probabilities of every cell sum to 1, and do not depend on the thread count. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kitSchemas")
  public void exactProbabilitiesOfEveryCellSumToOne(Schema schema) {
    GenerativeModel m = model(schema);
    assumeTrue(m instanceof ExactDensity, "skipped: not an exact model");
    assumeEnumerable(schema, MAX_SUM_CELLS);
    ExactDensity exact = (ExactDensity) m;
    Dataset cells = Evaluation.allCells(schema);
    double[] one = new double[cells.rows()];
    double[] two = new double[cells.rows()];
    exact.logDensities(cells, one, 1);
    exact.logDensities(cells, two, 2);
    assertArrayEquals(one, two, "log-densities differ between 1 and 2 threads");
    for (int i = 0; i < one.length; i++) {
      int cell = i;
      assertTrue(!Double.isNaN(one[i]) && one[i] != Double.POSITIVE_INFINITY,
          () -> "log p of cell " + cell + " is " + one[cell]);
    }
    double logSum = KitMath.logSumExp(one);
    assertEquals(0.0, logSum, densityTolerance(), "log Σ p(cell) over all " + one.length
        + " cells");

    Dataset data = trainingData(schema);
    double[] rows = new double[data.rows()];
    exact.logDensities(data, rows, 2);
    double sum = 0;
    for (double v : rows) {
      sum += v;
    }
    double total = exact.totalLogDensity(data, 2);
    // the two sums add the same terms in another order: rounding differs by at most
    // rows · 1.1e-16 relative, far below 1e-9
    assertEquals(sum, total, 1e-9 * Math.max(1, Math.abs(sum)),
        "totalLogDensity differs from the sum of logDensities");
  }

  /** Samples of an exact model agree with its probabilities (chi-square, significance 0.001). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kitSchemas")
  public void samplesAgreeWithTheModelsProbabilities(Schema schema) {
    GenerativeModel m = model(schema);
    assumeTrue(m instanceof ExactDensity, "skipped: not an exact model");
    assumeEnumerable(schema, MAX_CHI_SQUARE_CELLS);
    double[] p = probabilities((ExactDensity) m);
    int n = chiSquareRows(p.length);
    Dataset s = m.sample(n, SEED + 1, 2);
    assertEquals(n, s.rows(), "rows sampled");
    assertEquals(schema, s.schema(), "the samples' schema");
    ChiSquare.Result r = ChiSquare.test(cellCounts(s), p);
    assertTrue(r.pValue() > ChiSquare.SIGNIFICANCE, () -> n + " samples disagree with the"
        + " model's own probabilities: " + r);
  }

  /** 20 expected draws per cell, between 20,000 and 100,000 rows. */
  static int chiSquareRows(int cells) {
    return Math.max(20_000, Math.min(100_000, 20 * cells));
  }

  private static double[] probabilities(ExactDensity m) {
    double[] logP = m.logDensities(Evaluation.allCells(m.schema()));
    double[] p = new double[logP.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(logP[i]);
    }
    return p;
  }

  private static long[] cellCounts(Dataset d) {
    ProductSpace space = ProductSpace.of(d.schema());
    long[] counts = new long[(int) space.size()];
    for (int i = 0; i < d.rows(); i++) {
      counts[(int) space.index(d, i)]++;
    }
    return counts;
  }

  /**
   * Conditional samples hold the given values; for exact models they follow P(x | given)
   * (chi-square, significance 0.001); the same seed gives the same rows on 1 and 2 threads.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kitSchemas")
  public void conditionalSamplesRespectTheGivenValues(Schema schema) {
    GenerativeModel m = model(schema);
    assumeTrue(m instanceof ConditionalSampler, "skipped: no conditional sampling");
    ConditionalSampler cs = (ConditionalSampler) m;
    Condition given = givenFor(schema);
    int n = 20_000;
    Dataset s = cs.sample(n, given, SEED + 2, 2);
    assertEquals(n, s.rows(), "rows sampled");
    assertEquals(schema, s.schema(), "the samples' schema");
    Dataset first = trainingData(schema).slice(0, 1);
    for (int g = 0; g < given.size(); g++) {
      int f = given.feature(g);
      for (int i = 0; i < n; i++) {
        if (schema.feature(f).isDiscrete()) {
          assertEquals(first.code(0, f), s.code(i, f), "row " + i + " does not hold the given"
              + " value of '" + schema.feature(f).name() + "'");
        } else {
          assertEquals(first.value(0, f), s.value(i, f), "row " + i + " does not hold the"
              + " given value of '" + schema.feature(f).name() + "'");
        }
      }
    }
    assertEquals(s.fingerprint(), cs.sample(n, given, SEED + 2, 1).fingerprint(),
        "conditional samples differ between 1 and 2 threads");
    if (m instanceof ExactDensity exact && enumerable(schema, MAX_CHI_SQUARE_CELLS)) {
      double[] p = probabilities(exact);
      ProductSpace space = ProductSpace.of(schema);
      int[] codes = new int[schema.size()];
      for (int c = 0; c < p.length; c++) {
        space.decode(c, codes);
        for (int g = 0; g < given.size(); g++) {
          if (codes[given.feature(g)] != given.code(g)) {
            p[c] = 0;
          }
        }
      }
      ChiSquare.Result r = ChiSquare.test(cellCounts(s), p);
      assertTrue(r.pValue() > ChiSquare.SIGNIFICANCE, () -> "conditional samples disagree with"
          + " P(x | given) computed from the model's own probabilities: " + r);
    }
  }

  /** The values of the first training row on the first feature and, with 3 or more, the last. */
  private Condition givenFor(Schema schema) {
    Dataset first = trainingData(schema).slice(0, 1);
    Map<String, String> given = new LinkedHashMap<>();
    int d = schema.size();
    for (int f : d >= 3 ? new int[] {0, d - 1} : new int[] {0}) {
      if (schema.feature(f) instanceof DiscreteFeature df) {
        given.put(df.name(), df.level(first.code(0, f)));
      } else {
        given.put(schema.feature(f).name(), Double.toString(first.value(0, f)));
      }
    }
    return Condition.parse(schema, given);
  }

  /** The same seed gives the same samples on 1, 2 and 3 threads; another seed other samples. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kitSchemas")
  public void sameSeedSameSamplesDifferentSeedDifferentSamples(Schema schema) {
    GenerativeModel m = model(schema);
    Dataset a = m.sample(SAMPLE_ROWS, 11, 1);
    assertEquals(SAMPLE_ROWS, a.rows(), "rows sampled");
    assertEquals(schema, a.schema(), "the samples' schema");
    assertEquals(a.fingerprint(), m.sample(SAMPLE_ROWS, 11, 2).fingerprint(),
        "seed 11 gives other samples on 2 threads than on 1");
    assertEquals(a.fingerprint(), m.sample(SAMPLE_ROWS, 11, 3).fingerprint(),
        "seed 11 gives other samples on 3 threads than on 1");
    assertEquals(a.fingerprint(), m.sample(SAMPLE_ROWS, 11, 1).fingerprint(),
        "seed 11 gives other samples the second time");
    assertNotEquals(a.fingerprint(), m.sample(SAMPLE_ROWS, 12, 1).fingerprint(),
        "seeds 11 and 12 give the same samples");
  }

  /** Several threads sampling (and scoring) at once get what each would get alone. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kitSchemas")
  public void samplingFromSeveralThreadsAtOnceIsSafe(Schema schema) throws Exception {
    GenerativeModel m = model(schema);
    Dataset data = trainingData(schema);
    Dataset rows = data.slice(0, Math.min(data.rows(), 500));
    Condition given = m instanceof ConditionalSampler ? givenFor(schema) : null;
    int jobs = 4;
    List<String> expected = new ArrayList<>();
    for (int t = 0; t < jobs; t++) {
      expected.add(job(m, t, rows, given));
    }
    ExecutorService pool = Executors.newFixedThreadPool(jobs);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < jobs; t++) {
        int job = t;
        results.add(pool.submit(() -> {
          start.await();
          List<String> out = new ArrayList<>();
          for (int rep = 0; rep < 3; rep++) {
            out.add(job(m, job, rows, given));
          }
          return out;
        }));
      }
      start.countDown();
      for (int t = 0; t < jobs; t++) {
        for (String r : results.get(t).get(10, TimeUnit.MINUTES)) {
          assertEquals(expected.get(t), r, "job " + t + " run concurrently with " + (jobs - 1)
              + " others got another result than alone");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String job(GenerativeModel m, int t, Dataset rows, Condition given) {
    StringBuilder sb = new StringBuilder(m.sample(3000, 500 + t, 1).fingerprint());
    if (given != null) {
      sb.append(' ').append(((ConditionalSampler) m).sample(3000, given, 600 + t, 1)
          .fingerprint());
    }
    double[] out = new double[rows.rows()];
    if (m instanceof ExactDensity e) {
      e.logDensities(rows, out, 1);
      sb.append(' ').append(Arrays.toString(out));
    }
    if (m instanceof DensityBound b) {
      b.lowerBounds(rows, out, 700 + t);
      sb.append(' ').append(Arrays.toString(out));
    }
    return sb.toString();
  }

  /** Fitting twice with one seed gives the same model (the same samples and scores). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kitSchemas")
  public void fittingTwiceWithOneSeedGivesTheSameModel(Schema schema) {
    GenerativeModel a = model(schema);
    GenerativeModel b = fit(schema, SEED);
    assertEquals(a.sample(2000, 5, 2).fingerprint(), b.sample(2000, 5, 2).fingerprint(),
        "two fits with one seed sample differently: the fit must depend only on the data, the"
        + " parameters and the seed");
    assertSameScores(a, b, trainingData(schema), "two fits with one seed");
  }

  private static void assertSameScores(GenerativeModel a, GenerativeModel b, Dataset data,
      String what) {
    Dataset rows = data.slice(0, Math.min(data.rows(), 1000));
    if (a instanceof ExactDensity ea) {
      double[] x = new double[rows.rows()];
      double[] y = new double[rows.rows()];
      ea.logDensities(rows, x, 1);
      ((ExactDensity) b).logDensities(rows, y, 1);
      assertArrayEquals(x, y, what + " score differently");
    }
    if (a instanceof DensityBound ba) {
      double[] x = new double[rows.rows()];
      double[] y = new double[rows.rows()];
      ba.lowerBounds(rows, x, 3);
      ((DensityBound) b).lowerBounds(rows, y, 3);
      assertArrayEquals(x, y, what + " give other lower bounds");
    }
  }

  /** Save then load gives a model with the same description, scores and samples. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kitSchemas")
  public void saveThenLoadGivesTheSameScoresAndSamples(Schema schema, @TempDir Path dir) {
    GenerativeModel m = model(schema);
    Path file = dir.resolve("model.pm");
    ModelFiles.save(file, m, provider(), null);
    SavedModel saved = ModelFiles.load(file, registry());
    GenerativeModel back = saved.model();
    assertEquals(m.schema(), back.schema(), "schema after loading");
    assertEquals(m.providerId(), back.providerId(), "providerId after loading");
    assertEquals(m.family(), back.family(), "family after loading");
    assertEquals(m.hyperparameters(), back.hyperparameters(), "hyperparameters after loading");
    assertEquals(m.freeParameters(), back.freeParameters(), "freeParameters after loading");
    assertEquals(Capability.of(m), Capability.of(back), "capabilities after loading");
    assertEquals(m.describe(10), back.describe(10), "describe() after loading");
    assertEquals(m.sample(5000, 21, 2).fingerprint(), back.sample(5000, 21, 1).fingerprint(),
        "the loaded model samples differently");
    if (m instanceof ConditionalSampler cs) {
      Condition given = givenFor(schema);
      assertEquals(cs.sample(2000, given, 22, 2).fingerprint(),
          ((ConditionalSampler) back).sample(2000, given, 22, 2).fingerprint(),
          "the loaded model samples differently given " + given.size() + " values");
    }
    assertSameScores(m, back, trainingData(schema), "the saved and the loaded model");
  }

  /**
   * A truncated model file fails with a clean one-line bad-input error naming the file; a file
   * whose stored values are each cut short or missing never crashes the provider's
   * {@code read} (it fails cleanly or loads).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kitSchemas")
  public void aTruncatedModelFileFailsCleanly(Schema schema, @TempDir Path dir)
      throws IOException {
    GenerativeModel m = model(schema);
    Path file = dir.resolve("model.pm");
    ModelFiles.save(file, m, provider(), null);
    byte[] bytes = Files.readAllBytes(file);
    ModelRegistry registry = registry();
    int len = bytes.length;
    for (int cut : new int[] {0, 1, 30, len / 4, len / 2, len - 23, len - 1}) {
      if (cut < 0 || cut >= len) {
        continue;
      }
      Path t = dir.resolve("cut-" + cut + ".pm");
      Files.write(t, Arrays.copyOf(bytes, cut));
      PmodelException e = assertThrows(PmodelException.class, () -> ModelFiles.load(t,
          registry), "a model file cut to " + cut + " of " + len + " bytes loaded");
      assertCleanFailure(e, t);
    }
    for (ModelFileEdits.Variant v : ModelFileEdits.variants(bytes)) {
      Path t = dir.resolve("edited.pm");
      Files.write(t, v.bytes());
      try {
        ModelFiles.load(t, registry);
      } catch (PmodelException e) {
        assertCleanFailure(e, t);
      } catch (RuntimeException e) {
        throw new AssertionError("read() crashed on a model file whose " + v.what() + ": " + e,
            e);
      }
    }
  }

  private static void assertCleanFailure(PmodelException e, Path file) {
    String msg = e.getMessage();
    assertEquals(PmodelException.BAD_INPUT, e.exitCode(), "exit code of: " + msg);
    assertTrue(msg.contains(file.toString()), "the message does not name the file: " + msg);
    assertFalse(msg.contains("could not read its parameters"), "the provider's read() threw"
        + " something other than a PmodelException (use StateReader.corrupt): " + msg);
    assertFalse(msg.contains("Exception"), "the message names an exception class: " + msg);
    assertOneLine(msg, "the error message");
  }

  /**
   * Lower bounds stay below the exact value where the kit can compute it: below the model's own
   * exact log-density when it has one, else their probabilities summed over every cell of a
   * small discrete schema stay below 1. The importance-weighted estimate does not loosen with
   * more samples and agrees with the bound at one sample.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kitSchemas")
  public void boundsStayBelowTheExactValue(Schema schema) {
    GenerativeModel m = model(schema);
    assumeTrue(m instanceof DensityBound, "skipped: no density bound");
    assumeEnumerable(schema, MAX_BOUND_CELLS);
    DensityBound b = (DensityBound) m;
    Dataset cells = Evaluation.allCells(schema);
    int n = cells.rows();
    int r = BOUND_REPEATS;
    double[][] lb = new double[r][n];
    double[][] iw1 = new double[r][n];
    double[][] iwK = new double[r][n];
    for (int j = 0; j < r; j++) {
      b.lowerBounds(cells, lb[j], SEED + 100 + j);
      b.importanceWeighted(cells, 1, iw1[j], SEED + 200 + j);
      b.importanceWeighted(cells, IMPORTANCE_SAMPLES, iwK[j], SEED + 300 + j);
      for (double[] a : new double[][] {lb[j], iw1[j], iwK[j]}) {
        for (double v : a) {
          assertTrue(!Double.isNaN(v) && v != Double.POSITIVE_INFINITY, "a bound is " + v);
        }
      }
    }
    // One-sided tests at significance 0.001 on means over R repeats and n cells; the standard
    // errors come from the per-cell sample variances (n·R values, so the normal quantile).
    double z = KitMath.normalUpperQuantile(ChiSquare.SIGNIFICANCE);
    BoundStats l = BoundStats.of(lb);
    BoundStats one = BoundStats.of(iw1);
    BoundStats many = BoundStats.of(iwK);
    if (m instanceof ExactDensity exact) {
      double[] logP = exact.logDensities(cells);
      l.assertBelow(logP, z, "lowerBounds");
      many.assertBelow(logP, z, "importanceWeighted(k=" + IMPORTANCE_SAMPLES + ")");
    } else {
      l.assertTotalProbabilityAtMostOne(z, "lowerBounds");
      many.assertTotalProbabilityAtMostOne(z, "importanceWeighted(k=" + IMPORTANCE_SAMPLES
          + ")");
    }
    // E[IW_k] does not decrease with k (Burda et al. 2016, theorem 1)
    double gap = many.meanOverCells() - one.meanOverCells();
    double se = Math.sqrt(many.varianceOfMean() + one.varianceOfMean());
    assertTrue(gap >= -z * se, "the importance-weighted estimate with k=" + IMPORTANCE_SAMPLES
        + " is looser than with k=1 by " + (-gap) + " nats on average (standard error " + se
        + ")");
    // at k=1 the estimate is the ELBO's expectation: two-sided at 0.001
    double z2 = KitMath.normalUpperQuantile(ChiSquare.SIGNIFICANCE / 2);
    double diff = one.meanOverCells() - l.meanOverCells();
    double se2 = Math.sqrt(one.varianceOfMean() + l.varianceOfMean());
    assertTrue(Math.abs(diff) <= z2 * se2 + 1e-9 * (1 + Math.abs(l.meanOverCells())),
        "importanceWeighted(k=1) and lowerBounds differ by " + diff + " nats on average"
        + " (standard error " + se2 + "); both estimate the ELBO");
  }

  /** A latent space encodes to and decodes from points of its declared dimension. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kitSchemas")
  public void latentSpaceHasTheDeclaredShape(Schema schema) {
    GenerativeModel m = model(schema);
    assumeTrue(m instanceof LatentSpace, "skipped: no latent space");
    LatentSpace ls = (LatentSpace) m;
    int dim = ls.latentDimension();
    assertTrue(dim >= 1, "latentDimension() is " + dim);
    Dataset rows = trainingData(schema).slice(0, 50);
    double[] z = ls.encode(rows);
    assertEquals(50L * dim, z.length, "encode() of 50 rows");
    for (double v : z) {
      assertTrue(Double.isFinite(v), "encode() gave " + v);
    }
    Dataset back = ls.decode(z, 50);
    assertEquals(50, back.rows(), "decode() of 50 points");
    assertEquals(schema, back.schema(), "decode()'s schema");
  }

  /**
   * A latent decoder (with or without an encoder) decodes points of its declared dimension to
   * rows of the schema, the same points to the same rows, also from several threads at once.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kitSchemas")
  public void latentDecoderDecodesPointsToRowsOfTheSchema(Schema schema) throws Exception {
    GenerativeModel m = model(schema);
    assumeTrue(m instanceof LatentDecoder, "skipped: no latent decoder");
    LatentDecoder ld = (LatentDecoder) m;
    int dim = ld.latentDimension();
    assertTrue(dim >= 1, "latentDimension() is " + dim);
    int n = 40;
    double[] z = new double[n * dim];
    java.util.Random random = new java.util.Random(SEED);
    for (int i = 0; i < z.length; i++) {
      z[i] = random.nextGaussian();
    }
    Dataset back = ld.decode(z, n);
    assertEquals(n, back.rows(), "decode() of " + n + " points");
    assertEquals(schema, back.schema(), "decode()'s schema");
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<String>> again = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        again.add(pool.submit(() -> ld.decode(z.clone(), n).fingerprint()));
      }
      for (Future<String> f : again) {
        assertEquals(back.fingerprint(), f.get(10, TimeUnit.MINUTES),
            "decode() of the same points gave other rows");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Statistics that cross a process boundary

  private CountingProvider portableCounting() {
    ModelProvider p = provider();
    assumeTrue(p instanceof CountingProvider c && c.portableStatistics(), "skipped: not a"
        + " CountingProvider whose portableStatistics() is true");
    return (CountingProvider) p;
  }

  private static final String STATISTICS_SOURCE = "statistics under test";

  /**
   * Statistics counted in three uneven parts, each written to bytes and read back, then merged
   * in reverse order into statistics read back from an empty count, give the model that fitting
   * all rows at once gives (the same samples and scores): what a distributed fit relies on.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kitSchemas")
  public void statisticsWrittenInPartsMergeIntoTheModelOfAllRows(Schema schema) {
    CountingProvider c = portableCounting();
    Parameters params = params();
    Dataset data = trainingData(schema);
    ColumnRanges ranges = ColumnRanges.of(data);
    int n = data.rows();
    int[] cuts = {0, n / 7, n / 2 + 3, n};
    List<byte[]> parts = new ArrayList<>();
    for (int i = 0; i + 1 < cuts.length; i++) {
      Statistics s = c.newStatistics(schema, params, ranges);
      s.add(data, cuts[i], cuts[i + 1]);
      parts.add(StatisticsBytes.write(c, s));
    }
    Statistics total = StatisticsBytes.read(c, schema, params, ranges,
        StatisticsBytes.write(c, c.newStatistics(schema, params, ranges)), STATISTICS_SOURCE);
    assertEquals(0, total.rows(), "empty statistics read back count rows");
    for (int i = parts.size() - 1; i >= 0; i--) {
      Statistics back = StatisticsBytes.read(c, schema, params, ranges, parts.get(i),
          STATISTICS_SOURCE);
      assertEquals(cuts[i + 1] - cuts[i], back.rows(), "rows of part " + i + " read back");
      total.merge(back);
    }
    assertEquals(n, total.rows(), "rows of the merged statistics");
    GenerativeModel merged = c.fromStatistics(total, params);
    GenerativeModel whole = model(schema);
    assertEquals(whole.sample(2000, 5, 2).fingerprint(), merged.sample(2000, 5, 2).fingerprint(),
        "the model of statistics written, read back and merged samples differently from the"
        + " model fitted on all rows");
    assertSameScores(whole, merged, data, "the model of merged statistics and of all rows");
  }

  /**
   * Written statistics that are cut short fail with a clean one-line bad-input error; statistics
   * whose values are each missing, cut, lengthened or changed never crash the provider's
   * {@code readStatistics} (it fails cleanly or reads them).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kitSchemas")
  public void damagedStatisticsFailCleanly(Schema schema) {
    CountingProvider c = portableCounting();
    Parameters params = params();
    Dataset data = trainingData(schema);
    ColumnRanges ranges = ColumnRanges.of(data);
    Statistics s = c.newStatistics(schema, params, ranges);
    s.add(data, 0, data.rows());
    byte[] bytes = StatisticsBytes.write(c, s);
    int len = bytes.length;
    for (int cut : new int[] {0, 1, 7, len / 3, len / 2, len - 1}) {
      byte[] part = Arrays.copyOf(bytes, cut);
      PmodelException e = assertThrows(PmodelException.class, () -> StatisticsBytes.read(c,
          schema, params, ranges, part, STATISTICS_SOURCE), "statistics cut to " + cut + " of "
          + len + " bytes were read");
      assertCleanStatisticsFailure(e);
    }
    for (StatisticsEdits.Variant v : StatisticsEdits.variants(StatisticsEdits.record(s))) {
      byte[] edited = StatisticsBytes.write(c, v.statistics());
      try {
        StatisticsBytes.read(c, schema, params, ranges, edited, STATISTICS_SOURCE);
      } catch (PmodelException e) {
        assertCleanStatisticsFailure(e);
      } catch (RuntimeException e) {
        throw new AssertionError("readStatistics() crashed on statistics whose " + v.what()
            + ": " + e, e);
      }
    }
  }

  private static void assertCleanStatisticsFailure(PmodelException e) {
    String msg = e.getMessage();
    assertEquals(PmodelException.BAD_INPUT, e.exitCode(), "exit code of: " + msg);
    assertTrue(msg.startsWith(STATISTICS_SOURCE + ": "), "the message does not begin with"
        + " where the statistics came from: " + msg);
    assertFalse(msg.contains("could not read its statistics"), "readStatistics() threw"
        + " something other than a PmodelException (use StateReader.corrupt): " + msg);
    assertFalse(msg.contains("Exception"), "the message names an exception class: " + msg);
    assertOneLine(msg, "the error message");
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertOneLine(String s, String what) {
    assertNotNull(s, what + " is null");
    assertFalse(s.isBlank(), what + " is blank");
    assertFalse(s.contains("\n") || s.contains("\r"), what + " is not one line: " + s);
  }

  private static void assertClear(PmodelException e, String mustName) {
    assertEquals(PmodelException.BAD_INPUT, e.exitCode(), "exit code");
    assertOneLine(e.getMessage(), "the message");
    assertTrue(e.getMessage().contains(mustName), "the message does not name '" + mustName
        + "': " + e.getMessage());
  }
}
