#!/usr/bin/env bash
# Fits counting models on a CSV file far larger than the Java heap, and reports the peak resident
# memory: counting models stream CSV files in chunks, so memory is bounded by the model's size,
# not the file's.  Usage: tools/stream-fit.sh [ROWS] [HEAP]   (default 20000000 rows, -Xmx64m)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-20000000}
heap=${2:-64m}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

"$root/pmodel" fit histogram --data 'builtin:outfits?rows=50000&seed=1' --out source.pm >/dev/null
echo "writing $rows rows of outfits as CSV ..."
"$root/pmodel" sample --model source.pm -n "$rows" --seed 2 --out big.csv >/dev/null
echo "file: $(du -h big.csv | cut -f1) ($(stat -c %s big.csv) bytes); in memory the rows alone" \
  "would take $((rows * 5 / 1000000)) MB (5 bytes a row)"
for model in histogram naive-bayes; do
  /usr/bin/time -f "%e s, peak resident memory %M KB" -o time.txt \
    env PMODEL_JAVA_OPTS="-Xmx$heap" "$root/pmodel" fit "$model" --data big.csv --out "$model.pm"
  echo "$model with -Xmx$heap: $(cat time.txt)"
done
