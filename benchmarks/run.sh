#!/usr/bin/env bash
# Runs pmodel's JMH benchmarks and the numpy peers in one session, then writes a summary with
# ratios (see docs/benchmarks.md).
#
#   ./mvnw -pl benchmarks -am package            # builds benchmarks/target/benchmarks.jar
#   benchmarks/run.sh --quick                    # a few minutes: 1 fork, short iterations
#   benchmarks/run.sh --full                     # the settings in the benchmark classes
#
# Options:
#   --peers DIR    folder holding nb_numpy.py and hist_numpy.py (default: $PMODEL_PEERS, else
#                  benchmarks/peers in the repository)
#   --no-peers     run JMH only
#   --out DIR      where results go (default: benchmarks/target/results/<time>-<mode>)
#   --python CMD   the Python for the peers (default: python3)
#   --cpu-probe    also time the single-threaded benchmarks by CPU time (pmodel.benchmarks.CpuProbe;
#                  steadier than wall-clock time when other work shares the cores)
#   anything after -- is passed to JMH (e.g. -- 'CountingBench' to run one class)
#
# Results: machine.txt, jmh.txt, jmh.json, nb_numpy.txt, hist_numpy.txt, [cpu-probe.md,] summary.md.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/benchmarks/target/benchmarks.jar"
mode=quick
peers="${PMODEL_PEERS:-}"
run_peers=1
cpu_probe=0
out=""
python=python3
jmh_extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --peers) peers="$2"; shift ;;
    --no-peers) run_peers=0 ;;
    --out) out="$2"; shift ;;
    --python) python="$2"; shift ;;
    --cpu-probe) cpu_probe=1 ;;
    --) shift; jmh_extra=("$@"); break ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [[ ! -f "$jar" ]]; then
  echo "run.sh: $jar not found; build it first: ./mvnw -pl benchmarks -am package" >&2
  exit 2
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
out="${out:-$root/benchmarks/target/results/$(date +%Y%m%d-%H%M%S)-$mode}"
mkdir -p "$out"

if [[ $run_peers -eq 1 && -z "$peers" ]]; then
  for d in "$root/benchmarks/peers"; do
    if [[ -f "$d/nb_numpy.py" ]]; then peers="$d"; break; fi
  done
fi
if [[ $run_peers -eq 1 && ( -z "$peers" || ! -f "$peers/nb_numpy.py" ) ]]; then
  echo "run.sh: numpy peers not found (give --peers DIR, or --no-peers)" >&2
  exit 2
fi

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "mode: $mode"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores: $(nproc)"
  echo "memory: $(free -g | awk '/Mem:/ {print $2 " GiB"}')"
  echo "kernel: $(uname -r)"
  echo "java: $("$java" -version 2>&1 | head -1)"
  if ! command -v perf > /dev/null; then
    echo "perf hardware counters: perf is not installed (perfnorm unavailable)"
  elif perf stat -e instructions true 2>&1 | grep -q 'not supported'; then
    echo "perf hardware counters: not supported (perfnorm unavailable)"
  else
    echo "perf hardware counters: available (try: -- -prof perfnorm)"
  fi
  echo "OPENBLAS_CORETYPE: ${OPENBLAS_CORETYPE:-(unset)} OPENBLAS_L2_SIZE: ${OPENBLAS_L2_SIZE:-(unset)}"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"
cat "$out/machine.txt"

if [[ $mode == quick ]]; then
  # One fork, one short warm-up and two short measurements per benchmark; fewer table sizes.
  jmh_mode=(-f 1 -wi 1 -w 500ms -i 2 -r 500ms -p size=255,256,257)
else
  jmh_mode=()
fi

echo "== JMH ($mode): results in $out"
"$java" -jar "$jar" -rf json -rff "$out/jmh.json" -prof gc "${jmh_mode[@]}" \
  "${jmh_extra[@]}" 2>&1 | tee "$out/jmh.txt"

if [[ $run_peers -eq 1 ]]; then
  echo "== numpy peers from $peers (after JMH, so they do not share the cores with it)"
  for p in nb_numpy hist_numpy; do
    if ! PEERS_OUT="$out/peers" "$python" "$peers/$p.py" 2>&1 | tee "$out/$p.txt"; then
      echo "run.sh: $p.py failed (see $out/$p.txt); the summary has no $p figures" >&2
    fi
  done
fi
if [[ $cpu_probe -eq 1 ]]; then
  echo "== CPU-time probe"
  "$java" -Xms4g -Xmx4g -XX:+UseParallelGC -cp "$jar" pmodel.benchmarks.CpuProbe \
    | tee "$out/cpu-probe.md"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

"$java" -cp "$jar" pmodel.benchmarks.Report "$out/jmh.json" "$out/nb_numpy.txt" \
  "$out/hist_numpy.txt" > "$out/summary.md"
if [[ -f "$out/cpu-probe.md" ]]; then
  { echo "#### CPU-time probe (best of 7 rounds; 1 thread unless said)"; echo; cat "$out/cpu-probe.md"; } \
    >> "$out/summary.md"
fi
echo "== summary: $out/summary.md"
cat "$out/summary.md"
