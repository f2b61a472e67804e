# shellcheck shell=bash
# The environment every entry point of this project runs in (sourced by hack/run and
# hack/tools/install): the pinned toolchain first on PATH, and offline-safe Pulumi defaults.
# Each PULUMI_* default yields to a value already set in the environment.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=$ROOT/hack/tools
BIN=$TOOLS/bin
CACHE=${K8S_CI_ENVS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-ci-envs}
# shellcheck source=tools/pins.env
. "$TOOLS/pins.env"
NODE_DIR=$CACHE/node/$NODE_VERSION
export PATH=$BIN:$NODE_DIR/bin:$PATH

# State lives in the clone (gitignored): a file backend and a PULUMI_HOME of its own, so
# nothing is written to ~/.pulumi. PULUMI_BACKEND_URL selects a shared backend instead.
export PULUMI_BACKEND_URL=${PULUMI_BACKEND_URL:-file://$ROOT/.pulumi/state}
export PULUMI_HOME=${PULUMI_HOME:-$ROOT/.pulumi/home}
case $PULUMI_BACKEND_URL in file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;; esac
# These machines reach no get.pulumi.com: plugins come from Pulumi.yaml's `plugins` section.
# A CI runner that does reach it sets PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=false, so that
# the gcp and command plugins (which the module proxy cannot build) install at package.json's pins.
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=${PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION:-true}
export PULUMI_IGNORE_AMBIENT_PLUGINS=true
# `npm test` type-checks with tsc; programs themselves run transpile-only, which is much faster.
export PULUMI_NODEJS_TRANSPILE_ONLY=${PULUMI_NODEJS_TRANSPILE_ONLY:-true}
# Secrets of stacks named `local` or `local-*` (simulator credentials only) are encrypted with
# this documented passphrase unless PULUMI_CONFIG_PASSPHRASE(_FILE) is set. Other stacks have
# no default: they must bring their own passphrase or secrets provider.
export K8S_CI_ENVS_LOCAL_PASSPHRASE=local-stack-not-a-secret
