# tests/interop/common.sh -- what the interop scripts share; sourced, not run.
# Sets HERE, REPO, SHARED, ORACLES, DOCSEAL_BIN (built when not given), a temporary folder $T
# removed on exit, and the counters with ok/bad/skp/note.
HERE="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SHARED="${DOCSEAL_SHARED:-$REPO/../shared}"
ORACLES="$SHARED/oracles"
if [ -z "${DOCSEAL_BIN:-}" ]; then
  (cd "$REPO" && cargo build --release -q -p docseal-cli)
  DOCSEAL_BIN="$REPO/target/release/docseal"
fi
T="$(mktemp -d)"; trap 'rm -rf "$T"' EXIT
pass=0; fail=0; skip=0
ok()   { echo "PASS  $*"; pass=$((pass + 1)); }
bad()  { echo "FAIL  $*"; fail=$((fail + 1)); }
skp()  { echo "SKIP  $*"; skip=$((skip + 1)); }
note() { echo "NOTE  $*"; }
