#!/usr/bin/env bash
# The local stack by hand, as a CAPV or Prow engineer writes it: one command after another.
# Same simulator inventory, templates, library and VMs (govc), the same five kwok clusters with
# the same node counts (kwokctl, the pinned binaries of hack/tools/bin, the stack's settings),
# the same Kubernetes objects (manifests/, kept equal to the stack's by
# test/unit/bench-baseline.test.ts), waiting where the stack waits (Deployments available, the
# CI Job complete).
#   bench/baseline/up.sh DIR      then bench/baseline/down.sh DIR
set -euo pipefail
exec 3>&1 >>"${1:?usage: up.sh DIR}.log" 2>&1 # govc and kubectl chatter go to DIR.log
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=$ROOT/hack/tools/bin
export PATH=$BIN:$PATH
DIR=${1:?usage: up.sh DIR}
mkdir -p "$DIR" && DIR=$(cd "$DIR" && pwd)
export KWOK_WORKDIR=$DIR/kwok

# --- the simulated vCenter (vcsim), shaped like VMC
# (vcsim -username refuses logins for a name with "@" in it; the stack's vcsim-host does not.)
VC_USER=administrator
PASS=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
vcsim -l 127.0.0.1:0 -dc 1 -cluster 1 -host 3 -ds 1 -pool 0 -vm 0 \
  -standalone-host 0 -username "$VC_USER" -password "$PASS" >"$DIR/vcsim.env" 2>"$DIR/vcsim.log" 3>&- &
echo $! >"$DIR/vcsim.pid"
until grep -q GOVC_URL "$DIR/vcsim.env"; do
  kill -0 "$(cat "$DIR/vcsim.pid")" || { cat "$DIR/vcsim.log" >&2; exit 1; }
  sleep 0.1
done
# shellcheck disable=SC1091
. "$DIR/vcsim.env"
export GOVC_URL GOVC_INSECURE=1
DC=/SDDC-Datacenter
DS=$DC/datastore/WorkloadDatastore
POOL=$DC/host/Cluster-1/Resources/Compute-ResourcePool
FOLDER=$DC/vm/Workloads
NET=$DC/network/sddc-cgw-network-1
mkdir -p "$DIR/datastores/SDDC-Datacenter-WorkloadDatastore"
govc object.rename -- /DC0 SDDC-Datacenter
govc object.rename -- $DC/host/DC0_C0 Cluster-1
govc datastore.create -dc SDDC-Datacenter -type local -name WorkloadDatastore \
  -path "$DIR/datastores/SDDC-Datacenter-WorkloadDatastore" -- $DC/host/Cluster-1/DC0_C0_H{0,1,2}
govc dvs.portgroup.add -dc SDDC-Datacenter -dvs $DC/network/DVS0 -- sddc-cgw-network-1
govc pool.create -dc SDDC-Datacenter -- $POOL
govc folder.create -dc SDDC-Datacenter -- $FOLDER
TEMPLATES="ubuntu-2204-kube-v1.28.0 ubuntu-2204-kube-v1.29.0 ubuntu-2204-kube-v1.30.0"
for t in $TEMPLATES; do
  govc vm.create -dc SDDC-Datacenter -ds $DS -pool $POOL -folder $FOLDER -net $NET -disk 20G \
    -g ubuntu64Guest -on=false -- "$t"
  govc vm.markastemplate -dc SDDC-Datacenter -- "$FOLDER/$t"
done
govc library.create -ds $DS -- vcsim
for t in $TEMPLATES; do
  mkdir -p "$DIR/library/$t"
  sed "s/@NAME@/$t/g" "$HERE/template.ovf" >"$DIR/library/$t/$t.ovf"
  (cd "$DIR/library/$t" && echo "SHA256($t.ovf)= $(sha256sum "$t.ovf" | cut -d' ' -f1)" >"$t.mf")
  govc library.import -n "$t" -- vcsim "$DIR/library/$t/$t.ovf"
done
# CAPV's jump host and bootstrap VM, from the first template.
for vm in "clusterapi-jumphost-debug 1 2048" "clusterapi-bootstrap-debug 2 8192"; do
  set -- $vm
  govc vm.clone -vm "$FOLDER/ubuntu-2204-kube-v1.28.0" -folder $FOLDER -pool $POOL -ds $DS \
    -net $NET -on=false -c "$2" -m "$3" -- "$1"
  govc vm.power -on -- "$FOLDER/$1"
done

# --- the local clusters: kwok's fake nodes, real control planes
VERSION=$(kube-apiserver --version | sed 's/^Kubernetes //')
cluster() { # NAME CONTROL_PLANE_NODES
  sed -e "s|@VERSION@|$VERSION|" -e "s|@BIN@|$BIN|g" "$HERE/kwokctl.yaml" >"$DIR/$1.kwokctl.yaml"
  for s in "$BIN"/kwok-stages/*.yaml; do echo "---" && cat "$s"; done >>"$DIR/$1.kwokctl.yaml"
  kwokctl create cluster --name "$1" --config "$DIR/$1.kwokctl.yaml" \
    --kubeconfig "$DIR/$1.kubeconfig" --wait 5m >>"$DIR/kwokctl.log" 2>&1 3>&-
  for i in $(seq 1 "$2"); do
    n=$1-control-plane
    if [ "$2" -gt 1 ]; then n=$n-$i; fi
    sed -e "s|@NODE@|$n|g" "$HERE/node.yaml"
  done | k "$1" apply -f - >/dev/null
  # The stack proves the controllers work before using a cluster; a script waits for the
  # default service account, without which no pod starts.
  until k "$1" get serviceaccount default >/dev/null 2>&1; do sleep 1; done
}
k() { kubectl --kubeconfig "$DIR/$1.kubeconfig" "${@:2}"; }
cluster bootstrap 1
cluster prow-service 1
cluster build-cluster-prow-workloads 3
cluster build-cluster-prow-arm64-workloads 3
cluster build-cluster-prow-s390x-workloads 3

# --- the objects, then wait where the stack waits
for c in bootstrap prow-service build-cluster-prow-{workloads,arm64-workloads,s390x-workloads}; do
  k "$c" apply -f "$HERE/manifests/$c.base.yaml" >/dev/null
  if grep -q '^kind: CustomResourceDefinition' "$HERE/manifests/$c.base.yaml"; then
    k "$c" wait --for condition=established crd --all --timeout 2m >/dev/null
  fi
  k "$c" apply --server-side -f "$HERE/manifests/$c.yaml" >/dev/null
done
k bootstrap wait --for condition=available deployment --all -A --timeout 5m >/dev/null
k bootstrap wait --for condition=complete job/cluster-api-provider-vsphere-ci --timeout 5m >/dev/null
echo "up: $DIR" >&3
