#!/usr/bin/env bash
# The local sandbox: no AWS account, no cluster. Installs what it needs (cached outside the repository),
# starts a real kube-apiserver and moto on 127.0.0.1, creates a pretend SageMaker endpoint for every
# example, runs the operator, applies examples/, prints `kubectl get smsp` and the AWS objects, and keeps
# running until Ctrl-C. `--exit-when-ready` stops once everything is Ready (exit 1 if it is not).
set -euo pipefail
cd "$(dirname "$0")/../../.."
bash src/test/sh/setup-test-env.sh
eval "$(bash src/test/sh/setup-test-env.sh --print-env)"
unset KUBE_API_TEST_OFFLINE_MODE KUBE_API_TEST_STARTUP_TIMEOUT KUBE_API_TEST_WAIT_FOR_ETCD_HEALTH_CHECK
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/sandbox.classpath
exec java -cp "target/classes:target/test-classes:$(cat target/sandbox.classpath)" \
  dev.sagemaker.autoscaling.testing.Sandbox "$@"
