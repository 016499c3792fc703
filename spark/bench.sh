#!/usr/bin/env bash
# Fit throughput of pmodel's counting models on Spark (local mode, spark/pmodel-spark) against the
# single-machine CLI (./pmodel fit) on the same generated rows. Not a unit test: a documented
# script whose figures go to docs/benchmarks.md ("Spark").
#
#   spark/bench.sh [--rows N] [--dir DIR]
#
# Data: a 4032-cell histogram is fitted on builtin:outfits (50,000 rows, seed 1); Spark samples N
# rows from it (default 50,000,000; seed 7) into CSV part files, which are joined into one CSV
# file (what the CLI reads), and the same N rows (same seed: the same rows on any number of
# partitions) into a Parquet table. Kept in DIR (default spark/target/bench) and reused when
# present. Fits, each a separate JVM: naive Bayes by ./pmodel fit on the CSV file (2 threads),
# by spark/pmodel-spark in local[2] on the same CSV file and on the Parquet table, and in local[1]
# on the Parquet table (one executor core); the histogram by the CLI on the CSV file and Spark on
# Parquet; naive Bayes on the first N/5 rows of the CSV file (CLI and Spark), for how the cost
# grows with rows. Every Spark model is checked against the CLI's: ./pmodel score of a held-out
# sample must print the same figures.
# Printed times: "fit s" is what each command reports (reading and counting, after start-up);
# "wall s" is the whole command, JVM and Spark start-up included. Needs about 5 GB of disk.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rows=50000000
dir="$root/spark/target/bench"
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    *) echo "usage: spark/bench.sh [--rows N] [--dir DIR]" >&2; exit 2 ;;
  esac
done
mkdir -p "$dir"
cd "$dir"
(cd "$root" && ./mvnw -q -B -DskipTests -pl cli,spark -am package)
export PMODEL_NO_BUILD=1
pmodel="$root/pmodel"
spark="$root/spark/pmodel-spark"
csv="outfits-$rows.csv"
parquet="outfits-$rows.parquet"
small=$((rows / 5))
csvsmall="outfits-$small.csv"

if [ ! -f source.pm ]; then
  "$pmodel" fit histogram --data 'builtin:outfits?rows=50000&seed=1' --out source.pm
fi
if [ ! -f "$csv" ]; then
  rm -rf parts.csv
  PMODEL_SPARK_MASTER='local[2]' "$spark" sample --model source.pm -n "$rows" --seed 7 \
      --out parts.csv
  first=$(ls parts.csv/part-*.csv | head -1)
  head -n 1 "$first" > "$csv.tmp"
  for p in parts.csv/part-*.csv; do tail -n +2 "$p"; done >> "$csv.tmp"
  mv "$csv.tmp" "$csv"
  rm -rf parts.csv
fi
if [ ! -d "$parquet" ]; then
  PMODEL_SPARK_MASTER='local[2]' "$spark" sample --model source.pm -n "$rows" --seed 7 \
      --out "$parquet"
fi
if [ ! -f "$csvsmall" ]; then
  head -n $((small + 1)) "$csv" > "$csvsmall"
fi
lines=$(wc -l < "$csv")
[ "$lines" -eq $((rows + 1)) ] || { echo "bench: $csv has $lines lines" >&2; exit 1; }
[ -f heldout.csv ] || "$pmodel" sample --model source.pm -n 10000 --seed 99 --out heldout.csv

results="$dir/results.md"
{
  echo "| model | tool | data | rows | fit s | rows/s (fit) | wall s |"
  echo "|---|---|---|---|---|---|---|"
} > "$results"

# run MODEL TOOL DATA ROWS OUT COMMAND...: times one fit, adds a row to the table, scores the
# model on held-out rows (compared by "same")
run() {
  local model="$1" tool="$2" data="$3" n="$4" out="$5"
  shift 5
  local start end line fit wall
  start=$(date +%s.%N)
  line=$("$@" 2> "$out.err" | grep '^fitted ') || { cat "$out.err" >&2; exit 1; }
  end=$(date +%s.%N)
  fit=$(echo "$line" | sed -n 's/.* in \([0-9.]*\) s.*/\1/p')
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  awk -v m="$model" -v t="$tool" -v d="$data" -v n="$n" -v f="$fit" -v w="$wall" \
      'BEGIN { printf "| %s | %s | %s | %d | %.1f | %.0f | %s |\n", m, t, d, n, f, n / f, w }' \
      >> "$results"
  echo "$line (wall $wall s)"
  "$pmodel" score --model "$out" --data heldout.csv --json > "$out.score"
}

same() {
  cmp -s "$1.score" "$2.score" || { echo "bench: $1 and $2 score differently" >&2; exit 1; }
}

echo "start: $(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
spark2() { env PMODEL_SPARK_MASTER='local[2]' "$spark" "$@"; }
# naive Bayes: the CLI and Spark on the same CSV file, Spark on Parquet with 2 and 1 cores
run naive-bayes "pmodel fit, 2 threads" CSV "$rows" cli-naive-bayes.pm \
    "$pmodel" fit naive-bayes --data "$csv" --threads 2 --out cli-naive-bayes.pm
run naive-bayes "Spark local[2]" CSV "$rows" spark-csv-naive-bayes.pm \
    spark2 fit naive-bayes --data "$csv" --out spark-csv-naive-bayes.pm
run naive-bayes "Spark local[2]" Parquet "$rows" spark-parquet-naive-bayes.pm \
    spark2 fit naive-bayes --data "$parquet" --out spark-parquet-naive-bayes.pm
run naive-bayes "Spark local[1]" Parquet "$rows" spark-parquet1-naive-bayes.pm \
    env PMODEL_SPARK_MASTER='local[1]' "$spark" fit naive-bayes --data "$parquet" \
    --out spark-parquet1-naive-bayes.pm
# the histogram (4032 cells): the CLI on CSV, Spark on Parquet
run histogram "pmodel fit, 2 threads" CSV "$rows" cli-histogram.pm \
    "$pmodel" fit histogram --data "$csv" --threads 2 --out cli-histogram.pm
run histogram "Spark local[2]" Parquet "$rows" spark-parquet-histogram.pm \
    spark2 fit histogram --data "$parquet" --out spark-parquet-histogram.pm
# a fifth of the rows, for how the cost grows with rows
run naive-bayes "pmodel fit, 2 threads" CSV "$small" cli-small.pm \
    "$pmodel" fit naive-bayes --data "$csvsmall" --threads 2 --out cli-small.pm
run naive-bayes "Spark local[2]" CSV "$small" spark-small.pm \
    spark2 fit naive-bayes --data "$csvsmall" --out spark-small.pm
# Every Spark model scores the held-out rows as the CLI's model of the same rows does (the
# Parquet table holds the CSV file's rows, and the schema is inferred alike from both)
for m in spark-csv-naive-bayes spark-parquet-naive-bayes spark-parquet1-naive-bayes; do
  same cli-naive-bayes.pm "$m.pm"
done
same cli-histogram.pm spark-parquet-histogram.pm
same cli-small.pm spark-small.pm

echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
cat "$results"
