#!/usr/bin/env bash
# Issue 12's figures (docs/benchmarks/tenants.md): refused deletions, resources waiting for missing
# endpoints, one namespace's burst beside another's first write. Real time, production schedules.
#
#   src/test/sh/bench-tenants.sh [denied|waiting|burst [minutes]]    default: all three (7 and 14 minutes)
#
# The operator runs in-process without a metrics server, so no port is opened beyond loopback.
set -euo pipefail
cd "$(dirname "$0")/../../.."

bash src/test/sh/setup-test-env.sh
eval "$(bash src/test/sh/setup-test-env.sh --print-env)"
# kube-api-test 7.5.2 throws on any value of these (it casts the string); it is configured in code.
unset KUBE_API_TEST_OFFLINE_MODE KUBE_API_TEST_STARTUP_TIMEOUT KUBE_API_TEST_WAIT_FOR_ETCD_HEALTH_CHECK

mvn -B -q -DskipTests test-compile
mkdir -p target/bench
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
classpath="target/test-classes:target/classes:$(cat target/bench/classpath.txt)"

run() { java -Xmx768m -cp "$classpath" dev.sagemaker.autoscaling.bench.TenantBudgets "$@"; }
if [ $# -gt 0 ]; then
  run "$@"
else
  run denied 7
  run waiting 14
  run burst
fi
