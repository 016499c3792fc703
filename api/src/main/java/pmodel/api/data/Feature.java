package pmodel.api.data;

/**
 * One named column of a {@link Schema}: discrete (a finite set of levels, stored as integer codes
 * 0..K-1) or continuous (a double).
 */
public sealed interface Feature permits DiscreteFeature, ContinuousFeature {
  /** The column name, unique within a schema. */
  String name();

  /** True for {@link DiscreteFeature}. */
  default boolean isDiscrete() {
    return this instanceof DiscreteFeature;
  }
}
