package pmodel.api.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import pmodel.api.error.PmodelException;

/**
 * The named features of a data set, in column order. An image schema also knows its
 * {@link ImageShape}; its features are the pixels row by row, named {@code p0, p1, ...}.
 */
public final class Schema {
  private final List<Feature> features;
  private final ImageShape image;
  private final Map<String, Integer> index;

  private Schema(List<Feature> features, ImageShape image) {
    if (features.isEmpty()) {
      throw PmodelException.badInput("a schema needs at least one feature");
    }
    this.features = List.copyOf(features);
    this.image = image;
    this.index = new HashMap<>(features.size() * 2);
    for (int i = 0; i < this.features.size(); i++) {
      if (index.put(this.features.get(i).name(), i) != null) {
        throw PmodelException.badInput("feature name '" + this.features.get(i).name()
            + "' appears twice; expected unique names");
      }
    }
    if (image != null) {
      if (image.pixels() != features.size()) {
        throw PmodelException.badInput("an image of " + image.height() + "x" + image.width()
            + " needs " + image.pixels() + " pixel features, not " + features.size());
      }
      for (Feature f : features) {
        if (!(f instanceof DiscreteFeature d) || d.hasLevelNames()) {
          throw PmodelException.badInput("image pixel '" + f.name()
              + "' must be an integer-level discrete feature");
        }
      }
    }
  }

  /** A table schema. */
  public static Schema of(List<? extends Feature> features) {
    return new Schema(new ArrayList<>(features), null);
  }

  /** A table schema. */
  public static Schema of(Feature... features) {
    return new Schema(List.of(features), null);
  }

  /** A grayscale image schema of height × width pixels, each with integer levels 0..levels-1. */
  public static Schema image(int height, int width, int levels) {
    ImageShape shape = new ImageShape(height, width);
    List<Feature> pixels = new ArrayList<>(shape.pixels());
    for (int i = 0; i < shape.pixels(); i++) {
      pixels.add(DiscreteFeature.integer("p" + i, levels));
    }
    return new Schema(pixels, shape);
  }

  /** An image schema with the given pixel features (used when reading a saved schema). */
  public static Schema image(ImageShape shape, List<? extends Feature> pixels) {
    return new Schema(new ArrayList<>(pixels), shape);
  }

  public int size() {
    return features.size();
  }

  public Feature feature(int i) {
    return features.get(i);
  }

  public List<Feature> features() {
    return features;
  }

  /** The column of the named feature, or -1. */
  public int indexOf(String name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  /** The discrete feature at column {@code i}; fails when it is continuous. */
  public DiscreteFeature discrete(int i) {
    if (features.get(i) instanceof DiscreteFeature d) {
      return d;
    }
    throw new IllegalArgumentException("feature '" + features.get(i).name() + "' is continuous");
  }

  /** The image shape, when this is an image schema. */
  public Optional<ImageShape> image() {
    return Optional.ofNullable(image);
  }

  public boolean isImage() {
    return image != null;
  }

  /** True when every feature is discrete. */
  public boolean allDiscrete() {
    for (Feature f : features) {
      if (!f.isDiscrete()) {
        return false;
      }
    }
    return true;
  }

  /** True when some feature is continuous. */
  public boolean hasContinuous() {
    return !allDiscrete();
  }

  /** The feature names in column order. */
  public List<String> names() {
    List<String> out = new ArrayList<>(features.size());
    for (Feature f : features) {
      out.add(f.name());
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schema s && s.features.equals(features) && Objects.equals(s.image, image);
  }

  @Override
  public int hashCode() {
    return features.hashCode() * 31 + Objects.hashCode(image);
  }

  @Override
  public String toString() {
    if (image != null) {
      Feature first = features.get(0);
      return "image " + image.height() + "x" + image.width() + " of "
          + ((DiscreteFeature) first).cardinality() + " levels";
    }
    return features.toString();
  }

  /**
   * A one-line explanation of how this schema differs from {@code other}, or null when equal;
   * used in errors such as "train and test have different schemas".
   */
  public String difference(Schema other) {
    if (equals(other)) {
      return null;
    }
    if (size() != other.size()) {
      return size() + " features versus " + other.size();
    }
    for (int i = 0; i < size(); i++) {
      Feature a = feature(i);
      Feature b = other.feature(i);
      if (!a.equals(b)) {
        return "column " + (i + 1) + ": " + a + " versus " + b;
      }
    }
    return "image shape " + image + " versus " + other.image;
  }
}
