#!/usr/bin/env bash
# Times `simulate` on a week-long trace (10,080 minutes) of the seed's stack: once in-process (parse, replay,
# render; cold and warm) and once as the command a user runs, JVM start included. Prints figures, asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 examples/traces/generate.py --week "$work/week.csv"
mvn -B -o -q test-compile
mvn -B -o -q dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="target/classes:target/test-classes:$(cat "$work/cp.txt")"
echo "trace: $(($(wc -l < "$work/week.csv") - 1)) minutes"
java -cp "$cp" dev.sagemaker.autoscaling.simulate.SimulateBenchmark "$work/week.csv"
# On shared machines wall time mostly measures the neighbours: user + sys CPU is printed as well.
TIMEFORMAT='whole command (JVM start, plan, parse, replay, text and SVG): %R s wall, %U s user + %S s sys CPU'
time java -cp "$cp" dev.sagemaker.autoscaling.cli.Main simulate -f examples/realtime-seed.yaml --trace "$work/week.csv" \
  --svg "$work/week.svg" >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
