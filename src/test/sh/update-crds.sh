#!/usr/bin/env bash
# Regenerates the CRD from the API classes and copies it to crds/ and the Helm chart. Commit the result;
# CrdUpToDateTest fails while the committed files differ from what the build generates.
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -B -q process-classes
crd=target/classes/META-INF/fabric8/sagemakerscalingpolicies.autoscaling.sagemaker.dev-v1.yml
cp "$crd" crds/
cp "$crd" helm/sagemaker-autoscaling-operator/crds/
eval "$(bash src/test/sh/setup-test-env.sh --print-env)"
HELM="$SMSP_TOOLS_BIN/helm" deploy/render.sh >/dev/null
echo "updated crds/, helm/sagemaker-autoscaling-operator/crds/ and deploy/operator.yaml from $crd"
