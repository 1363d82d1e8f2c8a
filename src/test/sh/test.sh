#!/usr/bin/env bash
# Runs every test: unit and property tests, then the integration tests against a real kube-apiserver
# (kube-api-test) and moto_server. Installs what they need first (idempotent, cached outside the repo).
set -euo pipefail
cd "$(dirname "$0")/../../.."
bash src/test/sh/setup-test-env.sh
eval "$(bash src/test/sh/setup-test-env.sh --print-env)"
# kube-api-test 7.5.2 throws on any value of these (it casts the string); it is configured in code.
unset KUBE_API_TEST_OFFLINE_MODE KUBE_API_TEST_STARTUP_TIMEOUT KUBE_API_TEST_WAIT_FOR_ETCD_HEALTH_CHECK
exec mvn -B verify "$@"
