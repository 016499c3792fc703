package pmodel.runtime;

import pmodel.api.Capability;
import pmodel.api.Family;
import pmodel.api.GenerativeModel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import pmodel.api.data.Dataset;
import pmodel.api.data.Schema;
import pmodel.api.spi.FitContext;
import pmodel.api.spi.ModelProvider;
import pmodel.api.params.ParameterSpec;
import pmodel.api.params.Parameters;
import pmodel.api.spi.StateReader;
import pmodel.api.spi.StateWriter;
import pmodel.api.spi.Support;
import pmodel.testing.UniformTestProvider;

/** A provider whose methods throw an Error is one line in the problems, never a stack trace. */
class ProviderFailureTest {
  /** A provider whose id() recurses until the stack overflows, as a buggy plugin's may. */
  static final class RecursiveId extends ForwardingProvider {
    @Override
    public String id() {
      return id() + "!";
    }
  }

  /** A provider whose description() fails an assertion. */
  static final class FailingDescription extends ForwardingProvider {
    @Override
    public String description() {
      throw new AssertionError("description is not ready");
    }
  }

  /** Every method forwards to the uniform test provider (a plugin's ordinary code). */
  abstract static class ForwardingProvider implements ModelProvider {
    final UniformTestProvider delegate = new UniformTestProvider();

    @Override
    public String id() {
      return delegate.id();
    }

    @Override
    public Family family() {
      return delegate.family();
    }

    @Override
    public String description() {
      return delegate.description();
    }

    @Override
    public int apiVersion() {
      return delegate.apiVersion();
    }

    @Override
    public Set<Capability> capabilities() {
      return delegate.capabilities();
    }

    @Override
    public List<ParameterSpec> parameters() {
      return delegate.parameters();
    }

    @Override
    public Support supports(Schema schema, Parameters params) {
      return delegate.supports(schema, params);
    }

    @Override
    public GenerativeModel fit(Dataset data, Parameters params, FitContext context) {
      return delegate.fit(data, params, context);
    }

    @Override
    public void write(GenerativeModel model, StateWriter out) {
      delegate.write(model, out);
    }

    @Override
    public GenerativeModel read(StateReader in) {
      return delegate.read(in);
    }
  }

  @Test
  void anErrorFromIdOrDescriptionSkipsThatProviderWithOneLine() {
    ModelRegistry r = new ModelRegistry.Builder()
        .add(new RecursiveId(), "plugin broken")
        .add(new FailingDescription(), "plugin other")
        .add(new UniformTestProvider(), "built in")
        .build();
    assertThat(r.ids()).containsExactly(UniformTestProvider.ID);
    assertThat(r.problems()).hasSize(2);
    assertThat(r.problems().get(0)).startsWith("model provider " + RecursiveId.class.getName()
        + " (plugin broken) failed and was skipped: StackOverflowError");
    assertThat(r.problems().get(1)).contains("(plugin other) failed and was skipped:"
        + " description is not ready");
    assertThat(r.problems()).allMatch(p -> !p.contains("\n") && p.length() < 400);
  }
}
