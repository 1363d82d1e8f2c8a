#!/usr/bin/env bash
# The benchmark of issue 6 (not part of test.sh): for each N, a real kube-apiserver and moto, N copies of
# the seed's stack, and the operator jar in its own JVM with the chart's settings. Writes
# docs/benchmarks/results-<N>.md (+ .json) and the combined docs/benchmarks/results.md.
#
#   src/test/sh/bench.sh [N...]          default: 10 100 1000
#
# Environment: BENCH_RESYNC_PERIOD (seconds, default max(30, 0.3 x N)), BENCH_MAX_MINUTES (per N, default 40),
# BENCH_FLEET (seed, the default: the seed's full stack; target-tracking: its three target-tracking policies
# only, written to results-<N>-target-tracking.md).
# For trying levers: BENCH_EXTRA_JVM_FLAGS (appended to the chart's flags; with -XX:NativeMemoryTracking=summary
# the JVM's own breakdown lands in target/bench/nmt-*.txt), BENCH_QUICK=1 (converging and two resyncs
# only), BENCH_RESULTS_DIR (instead of docs/benchmarks), BENCH_SKIP_BUILD=1 (the jar as built last).
# Each N runs in a fresh JVM with a fresh API server and moto, inside a private network namespace:
# the operator's metrics server binds every interface, and there loopback is the only one. kube-apiserver
# insists on a default route to pick its advertised address, so the namespace gets one over loopback,
# with a documentation address (192.0.2.1, TEST-NET-1) that leads nowhere.
set -euo pipefail
cd "$(dirname "$0")/../../.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 100 1000)

bash src/test/sh/setup-test-env.sh
eval "$(bash src/test/sh/setup-test-env.sh --print-env)"
# kube-api-test 7.5.2 throws on any value of these (it casts the string); it is configured in code.
unset KUBE_API_TEST_OFFLINE_MODE KUBE_API_TEST_STARTUP_TIMEOUT KUBE_API_TEST_WAIT_FOR_ETCD_HEALTH_CHECK

# -DskipTests still compiles the tests, which hold the benchmark driver. BENCH_SKIP_BUILD=1 runs the jar
# as it was built last: a class-data-sharing archive given in BENCH_EXTRA_JVM_FLAGS is valid only for
# the very jar it was dumped with.
[ "${BENCH_SKIP_BUILD:-0}" = 1 ] || mvn -B -q -DskipTests package
mkdir -p target/bench
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
classpath="target/test-classes:target/classes:$(cat target/bench/classpath.txt)"

BENCH_COMMIT="$(git rev-parse --short HEAD)"
git diff --quiet HEAD -- src/main pom.xml helm || BENCH_COMMIT="$BENCH_COMMIT+uncommitted"
export BENCH_COMMIT

if [ "$(id -u)" -eq 0 ]; then isolate=(unshare --net); else isolate=(unshare --map-root-user --net); fi
if ! "${isolate[@]}" true 2>/dev/null; then
  echo "bench.sh needs a private network namespace (${isolate[*]}), so the operator's metrics port stays unreachable" >&2
  exit 1
fi

status=0
for n in "${sizes[@]}"; do
  echo "=== N=$n ==="
  "${isolate[@]}" bash -c 'ip link set lo up && ip addr add 192.0.2.1/32 dev lo && ip route add default dev lo &&
    exec java -Xmx1g -cp "$1" dev.sagemaker.autoscaling.bench.Benchmark "$2"' \
    _ "$classpath" "$n" || status=$?
  results="${BENCH_RESULTS_DIR:-docs/benchmarks}/results-$n.md"
  [ "${BENCH_FLEET:-seed}" = seed ] || results="${BENCH_RESULTS_DIR:-docs/benchmarks}/results-$n-$BENCH_FLEET.md"
  [ -f "$results" ] && cat "$results"
done
java -cp "$classpath" dev.sagemaker.autoscaling.bench.Benchmark combine
exit $status
