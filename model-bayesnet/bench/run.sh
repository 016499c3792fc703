#!/usr/bin/env bash
# The Chow-Liu network on Fashion-MNIST quantised to a few levels: fit time on 1 and 2 threads,
# peak heap, test bits/dim beside naive Bayes on the same pixels (BayesNetBench).
# Needs: apt-get install -y dataset-fashion-mnist; pmodel-api installed in ~/.m2.
# Usage: model-bayesnet/bench/run.sh [LEVELS...]   (default: 2 4 8; about a minute per level)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
./mvnw -q -B -o -pl model-bayesnet -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="$root/model-bayesnet/target/classes:$root/model-bayesnet/target/test-classes"
cp="$cp:$(cat model-bayesnet/target/bench-classpath.txt)"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for levels in ${@:-2 4 8}; do
  java -Xmx3g -cp "$cp" pmodel.bayesnet.BayesNetBench "$levels" 1 2
done
