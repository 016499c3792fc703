#!/usr/bin/env bash
# The VAE's long runs on Fashion-MNIST, side by side with the PyTorch peer (shared/peers) in one
# session. Needs: apt-get install -y dataset-fashion-mnist python3-torch.
# Usage: model-vae-djl/bench/run.sh [OUTDIR]   (about 15-30 minutes on 2 cores)
#   VAE_BENCH_STEPS="peer-bern fit-bern bare fit-logistic peer-logistic memory" selects steps.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/model-vae-djl/target/bench}
peers=${PEERS_DIR:-$root/../shared/peers}
steps=${VAE_BENCH_STEPS:-"fit-bern bare peer-bern fit-logistic peer-logistic memory"}
mkdir -p "$out"
cd "$root"
./mvnw -q -B -pl model-vae-djl -am -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="$root/model-vae-djl/target/classes:$root/model-vae-djl/target/test-classes"
cp="$cp:$(cat model-vae-djl/target/bench-classpath.txt)"
bench() { java -Xmx4g -cp "$cp" pmodel.vae.VaeBench "$@"; }
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "openblas_env: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-unset}"
for s in $steps; do
  case $s in
    fit-bern) bench fit bernoulli 32 10 "$out" ;;
    fit-logistic) bench fit logistic 32 10 "$out" ;;
    bare) bench bare 32 3 ;;
    memory) bench fit bernoulli 32 20 "$out" --no-eval | grep -E "rss|median" ;;
    peer-bern) (cd "$peers" && PEERS_OUT="$out" /usr/bin/python3 vae_torch.py bern 32 10) ;;
    peer-logistic) (cd "$peers" && PEERS_OUT="$out" /usr/bin/python3 vae_torch.py logistic 32 10) ;;
    *) echo "unknown step $s" >&2; exit 2 ;;
  esac
done
echo "load_at_end: $(cut -d' ' -f1-3 /proc/loadavg)"
