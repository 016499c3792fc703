#!/usr/bin/env bash
# The VAE's long runs on Fashion-MNIST, side by side with the PyTorch peer (benchmarks/peers) in one
# session. Needs: apt-get install -y dataset-fashion-mnist python3-torch.
# Usage: model-vae-djl/bench/run.sh [OUTDIR]   (about 15-30 minutes on 2 quiet cores)
#   VAE_BENCH_STEPS="fit-bern bare peer-bern fit-logistic peer-logistic memory" selects steps;
#   VAE_BENCH_EPOCHS (default 10) the epochs of the fits and peer runs, VAE_BENCH_BARE_EPOCHS
#   (default 3) those of the bare DJL loop; VAE_BENCH_MEMORY_ROWS (default 60000) and
#   VAE_BENCH_MEMORY_EPOCHS (default 20) the resident-memory run; VAE_BENCH_THREADS (default 2)
#   the PyTorch threads of every step, pmodel, the bare loop and the peer alike; the step
#   'compare' alternates pmodel and bare-loop epochs VAE_BENCH_COMPARE_REPS (5) times on
#   VAE_BENCH_COMPARE_ROWS (60000) images. The steps fit-bern-conv and fit-logistic-conv fit
#   the convolutional network with VAE_BENCH_CONV (default "architecture=conv channels=32
#   hidden=256") instead of the MLP.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/model-vae-djl/target/bench}
peers=${PEERS_DIR:-$root/benchmarks/peers}
steps=${VAE_BENCH_STEPS:-"fit-bern bare peer-bern fit-logistic peer-logistic memory"}
epochs=${VAE_BENCH_EPOCHS:-10}
mkdir -p "$out"
cd "$root"
./mvnw -q -B -pl model-vae-djl -am -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="$root/model-vae-djl/target/classes:$root/model-vae-djl/target/test-classes"
cp="$cp:$(cat model-vae-djl/target/bench-classpath.txt)"
threads=${VAE_BENCH_THREADS:-2}
conv=${VAE_BENCH_CONV:-"architecture=conv channels=32 hidden=256"}
bench() { java -Xmx4g -Dvae.threads="$threads" -cp "$cp" pmodel.vae.VaeBench "$@"; }
peer() { PEER_THREADS="$threads" PEERS_OUT="$out" /usr/bin/python3 \
  "$root/model-vae-djl/bench/peer.py" "$peers" "$@"; }
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "openblas_env: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-unset}"
for s in $steps; do
  case $s in
    fit-bern) bench fit bernoulli 32 "$epochs" "$out" ;;
    fit-logistic) bench fit logistic 32 "$epochs" "$out" ;;
    fit-bern-conv) bench fit bernoulli 32 "$epochs" "$out" $conv ;;
    fit-logistic-conv) bench fit logistic 32 "$epochs" "$out" $conv ;;
    bare) bench bare 32 "${VAE_BENCH_BARE_EPOCHS:-3}" ;;
    compare) bench compare "${VAE_BENCH_COMPARE_REPS:-5}" "${VAE_BENCH_COMPARE_ROWS:-60000}" ;;
    memory) bench fit bernoulli 32 "${VAE_BENCH_MEMORY_EPOCHS:-20}" "$out" --no-eval \
      --rows "${VAE_BENCH_MEMORY_ROWS:-60000}" | grep -E "rss|heap|median" ;;
    peer-bern) peer bern 32 "$epochs" ;;
    peer-logistic) peer logistic 32 "$epochs" ;;
    *) echo "unknown step $s" >&2; exit 2 ;;
  esac
done
echo "load_at_end: $(cut -d' ' -f1-3 /proc/loadavg)"
