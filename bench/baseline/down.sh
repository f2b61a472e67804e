#!/usr/bin/env bash
# Tears down what bench/baseline/up.sh DIR made: the kwok clusters, then the simulator.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PATH=$HERE/../../hack/tools/bin:$PATH
DIR=$(cd "${1:?usage: down.sh DIR}" && pwd)
export KWOK_WORKDIR=$DIR/kwok
for c in bootstrap prow-service build-cluster-prow-{workloads,arm64-workloads,s390x-workloads}; do
  kwokctl delete cluster --name "$c" --kubeconfig "$DIR/$c.kubeconfig" >>"$DIR/kwokctl.log" 2>&1 || true
done
if [ -s "$DIR/vcsim.pid" ]; then
  kill "$(cat "$DIR/vcsim.pid")" 2>/dev/null || true
  while kill -0 "$(cat "$DIR/vcsim.pid")" 2>/dev/null; do sleep 0.1; done
fi
rm -rf "$DIR"
