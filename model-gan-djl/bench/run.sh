#!/bin/sh
# The GAN's Fashion-MNIST benchmark (docs/benchmarks.md, "GAN"). Needs Fashion-MNIST
# (apt-get install dataset-fashion-mnist). Usage, from the repository root:
#   model-gan-djl/bench/run.sh OUT_DIR [name=value ...]     (defaults: epochs=3 channels=16)
# Trains the DCGAN pair on the 60,000 training images (one line per epoch: losses and seconds),
# saves OUT_DIR/gan-fashion.pm, prints the evaluation harness's image metrics of 1,000 samples
# (nearest-training-image distance beside 1,000 held-out test images', pixel moment errors,
# copies), then draws through the CLI:
#   OUT_DIR/gan-fashion-samples.png        ./pmodel sample -n 64
#   OUT_DIR/gan-fashion-interpolation.png  ./pmodel interpolate --pairs 8 --steps 10
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: run.sh OUT_DIR [name=value ...]}
shift
cd "$root"
./mvnw -q -o -pl model-gan-djl -am -DskipTests test-compile \
  dependency:build-classpath -Dmdep.outputFile="$root/model-gan-djl/target/bench.cp" \
  -Dmdep.includeScope=test
cp="$root/model-gan-djl/target/test-classes:$root/model-gan-djl/target/classes:$(cat "$root/model-gan-djl/target/bench.cp")"
# BENCH_JAVA_OPTS: e.g. -Dthreads=1 (PyTorch threads for training; see docs/benchmarks.md)
# shellcheck disable=SC2086
java $BENCH_JAVA_OPTS -Xmx4g -cp "$cp" pmodel.gan.GanFashionBench "$out" "$@"
./pmodel sample --model "$out/gan-fashion.pm" -n 64 --seed 1 --out "$out/gan-fashion-samples.png"
./pmodel interpolate --model "$out/gan-fashion.pm" --pairs 8 --steps 10 \
  --out "$out/gan-fashion-interpolation.png"
