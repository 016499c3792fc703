package org.example.latentclass;

import pmodel.api.data.Schema;

/** Where each feature's levels start in a class's block of probabilities. */
record Layout(int[] offsets) {
  static Layout of(Schema schema) {
    int[] off = new int[schema.size() + 1];
    for (int f = 0; f < schema.size(); f++) {
      off[f + 1] = Math.addExact(off[f], schema.discrete(f).cardinality());
    }
    return new Layout(off);
  }

  /** The number of features. */
  int features() {
    return offsets.length - 1;
  }

  /** The total number of levels over all features: one class's block size. */
  int levels() {
    return offsets[offsets.length - 1];
  }

  int offset(int feature) {
    return offsets[feature];
  }

  int cardinality(int feature) {
    return offsets[feature + 1] - offsets[feature];
  }
}
