package pmodel.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import pmodel.api.error.PmodelException;
import pmodel.api.data.Schema;
import pmodel.api.params.Parameters;
import pmodel.api.spi.StateReader;

/**
 * The network blob of a VAE model file is checked on load: weights that are not finite numbers
 * (a flipped or edited file) are refused with one line naming the file, never loaded to score
 * NaN.
 */
class NetworkBlobTest {
  /** A reader that only names its file: {@code decodeDjl} needs nothing else from it. */
  static final StateReader FILE = new StateReader() {
    @Override
    public Schema schema() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Parameters hyperparameters() {
      throw new UnsupportedOperationException();
    }

    @Override
    public String source() {
      return "edited.pm";
    }

    @Override
    public boolean has(String name) {
      return false;
    }

    @Override
    public long getLong(String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    public double getDouble(String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String getString(String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long length(String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int[] getInts(String name, int expectedLength) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long[] getLongs(String name, int expectedLength) {
      throw new UnsupportedOperationException();
    }

    @Override
    public double[] getDoubles(String name, int expectedLength) {
      throw new UnsupportedOperationException();
    }

    @Override
    public float[] getFloats(String name, int expectedLength) {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] getBytes(String name, long maxLength) {
      throw new UnsupportedOperationException();
    }
  };

  @Test
  void finiteWeightsLoadAndANonFiniteOneIsRefusedNamingTheFile() {
    Network.Layout layout = new Network.Layout(12, new int[] {8}, 2, 12, 0);
    byte[] good = Network.initial(layout, 3).encodeDjl();
    Network back = Network.decodeDjl(layout, good, FILE, "network");
    assertThat(back.encodeDjl()).isEqualTo(good);
    // the blob ends with the last array's data: four 0xFF bytes are a float32 NaN in either
    // byte order
    byte[] bad = Arrays.copyOf(good, good.length);
    Arrays.fill(bad, bad.length - 4, bad.length, (byte) 0xff);
    assertThatThrownBy(() -> Network.decodeDjl(layout, bad, FILE, "network"))
        .isInstanceOf(PmodelException.class)
        .hasMessageStartingWith("model file edited.pm: blob 'network' array ")
        .hasMessageContaining("is NaN; expected a finite number");
  }
}
