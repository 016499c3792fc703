#!/usr/bin/env bash
# The VAE's long runs on Fashion-MNIST, side by side with the PyTorch peer (shared/peers) in one
# session. Needs: apt-get install -y dataset-fashion-mnist python3-torch.
# Usage: model-vae-djl/bench/run.sh [OUTDIR]   (about 15-30 minutes on 2 quiet cores)
#   VAE_BENCH_STEPS="fit-bern bare peer-bern fit-logistic peer-logistic memory" selects steps;
#   VAE_BENCH_EPOCHS (default 10) the epochs of the fits and peer runs, VAE_BENCH_BARE_EPOCHS
#   (default 3) those of the bare DJL loop; VAE_BENCH_MEMORY_ROWS (default 60000) and
#   VAE_BENCH_MEMORY_EPOCHS (default 20) the resident-memory run.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/model-vae-djl/target/bench}
peers=${PEERS_DIR:-$root/../shared/peers}
steps=${VAE_BENCH_STEPS:-"fit-bern bare peer-bern fit-logistic peer-logistic memory"}
epochs=${VAE_BENCH_EPOCHS:-10}
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
    fit-bern) bench fit bernoulli 32 "$epochs" "$out" ;;
    fit-logistic) bench fit logistic 32 "$epochs" "$out" ;;
    bare) bench bare 32 "${VAE_BENCH_BARE_EPOCHS:-3}" ;;
    memory) bench fit bernoulli 32 "${VAE_BENCH_MEMORY_EPOCHS:-20}" "$out" --no-eval \
      --rows "${VAE_BENCH_MEMORY_ROWS:-60000}" | grep -E "rss|median" ;;
    peer-bern) (cd "$peers" && PEERS_OUT="$out" /usr/bin/python3 vae_torch.py bern 32 "$epochs") ;;
    peer-logistic) (cd "$peers" && PEERS_OUT="$out" /usr/bin/python3 vae_torch.py logistic 32 "$epochs") ;;
    *) echo "unknown step $s" >&2; exit 2 ;;
  esac
done
echo "load_at_end: $(cut -d' ' -f1-3 /proc/loadavg)"
