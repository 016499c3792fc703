#!/bin/sh
# The full defaults matrix of issue 18 (docs/models.md): every installed provider x every
# built-in data set it accepts, at DEFAULT hyperparameters (only the seed given), on the issue's
# row counts (ring8 and world 20,000 rows, outfits 5,000, cans 3,000, Fashion-MNIST's 60,000
# training images when installed, else the bundled 3,000-image subset). Per cell: fit time, the
# held-out figure (NLL or bound where the family has one), the checks, and a sample picture.
# Asserts the issue's pass criteria and exits 1 when one fails.
#
#   benchmarks/defaults-matrix.sh [OUT_DIR] [MODEL,...|all] [DATA,...]
#   (default OUT_DIR: benchmarks/target/defaults; DATA: ring8, world, outfits, cans,
#   fashion-mnist or fashion-mnist-subset)
#
# Writes OUT_DIR/matrix.md (the table to paste into docs/models.md; its pictures are linked as
# matrix/NAME.png, so copy OUT_DIR/*.png to docs/matrix/) and OUT_DIR/MODEL-DATA.png.
# The code (cells, figures, criteria) is pmodel.cli.DefaultsMatrixTest, whose fast version runs
# in the test suite with the budget knob 'steps' reduced.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/benchmarks/target/defaults}
only=${2:-all}
sets=${3:-}
cd "$root"
./mvnw -q -o -pl cli -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile="$root/cli/target/defaults-matrix.cp" -Dmdep.includeScope=test
cp="$root/cli/target/test-classes:$root/cli/target/classes:$(cat "$root/cli/target/defaults-matrix.cp")"
# PyTorch's OpenMP threads: a short spin on a shared machine (see the pmodel launcher)
if [ -z "$OMP_WAIT_POLICY" ] && [ -z "$GOMP_SPINCOUNT" ]; then
  export GOMP_SPINCOUNT=1000
fi
# shellcheck disable=SC2086
exec java $BENCH_JAVA_OPTS -Xmx6g -cp "$cp" pmodel.cli.DefaultsMatrixTest "$out" "$only" $sets
