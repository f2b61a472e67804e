# shellcheck shell=bash
# Expected build times of the toolchain (sourced by hack/tools/install, which sets CACHE): what a
# tool's last full build took and how many packages it compiled, and the remaining-time estimate
# its progress lines print. Each full build records its figures in $CACHE/tools/build-times
# (`NAME SECONDS PACKAGES`); until a tool has one, its default below applies.

# Cold builds on a 2-core machine with the other core busy (2026-12-03; packages as `go build -v`
# listed them, in install's order, each reusing the build cache of those before it). The
# language host and govmomi were not timed on their own: theirs are scaled from pulumi's rate.
ETA_DEFAULTS="pulumi 205 1731
language-nodejs 30 238
kubernetes 419 1444
govmomi 30 237
supervise 1 1
kube 381 2441
kwok 107 681
prow 124 969
boskos 88 525"

# compiled_packages LOG: the packages a `go build -v` log lists (module downloads aside).
compiled_packages() {
  local n
  n=$(grep -c -v '^go: downloading' "$1" 2>/dev/null || true)
  echo "${n:-0}"
}

# build_expectation NAME prints `SECONDS PACKAGES` of NAME's last full build (or its default),
# nothing for a tool never built here and without a default.
build_expectation() {
  local line
  line=$(grep "^$1 " "$CACHE/tools/build-times" 2>/dev/null | tail -n 1 || true)
  [ -n "$line" ] || line=$(grep "^$1 " <<<"$ETA_DEFAULTS" || true)
  [ -z "$line" ] || echo "${line#* }"
}

# record_build_time NAME SECONDS LOG keeps a build's figures as NAME's expectation, when it
# compiled at least half the packages expected: a rebuild on a warm build cache (a few packages)
# says nothing of a cold one.
record_build_time() {
  local name=$1 seconds=$2 packages expected file=$CACHE/tools/build-times
  packages=$(compiled_packages "$3")
  [ "$packages" -gt 0 ] || return 0
  read -r _ expected <<<"$(build_expectation "$name")"
  [ $((packages * 2)) -ge "${expected:-0}" ] || return 0
  {
    grep -v "^$name " "$file" 2>/dev/null || true
    echo "$name $seconds $packages"
  } >"$file.$$"
  mv -f "$file.$$" "$file" # whole, even when another clone records at the same time
}

# eta_minutes SECONDS: whole minutes, rounded up, at least 1.
eta_minutes() {
  local m=$((($1 + 59) / 60))
  echo $((m > 0 ? m : 1))
}

# build_eta ELAPSED COMPILED SECONDS PACKAGES LATER prints the remaining time of a build that has
# compiled COMPILED packages in ELAPSED seconds, expected to take SECONDS and compile PACKAGES
# (0 0: no expectation), with LATER seconds of expected builds after it. The tool's own remaining
# time comes from its progress at the observed rate; the later builds' are scaled by how much
# slower or faster than expected this one runs, within 1/4 to 5 times (a busy 2-core machine
# builds about 4.5 times slower than an idle one; an expectation far off, such as a warm-cache
# figure for a cold build, must not make the rest absurd). Below 2% of the packages, the rate
# means little: the expectation alone counts.
build_eta() {
  local elapsed=$1 compiled=$2 seconds=$3 packages=$4 later=$5 left scaled
  if [ "$seconds" -le 0 ] || [ "$packages" -le 0 ]; then
    echo "no estimate for this tool yet (its first build records one), about $(eta_minutes "$later") min for the rest of the toolchain"
    return
  fi
  if [ $((compiled * 50)) -lt "$packages" ]; then
    left=$((seconds > elapsed ? seconds - elapsed : 0))
    scaled=$later
  elif [ "$compiled" -ge "$packages" ]; then
    left=0 # every expected package compiled: linking
    scaled=$((later * elapsed / seconds))
  else
    left=$((elapsed * (packages - compiled) / compiled))
    scaled=$((later * elapsed * packages / (compiled * seconds)))
  fi
  scaled=$((scaled > later * 5 ? later * 5 : scaled < later / 4 ? later / 4 : scaled))
  echo "about $(eta_minutes "$left") min left for this tool, $(eta_minutes $((left + scaled))) min for the whole toolchain"
}
