#!/usr/bin/env bash
# Tries the README's two commands as a new user would: a fresh clone of this repository's HEAD inside
# a clean systemd sandbox (a new overlay of /, its own systemd as PID 1), then `npm ci && npm start`
# until `npx voxops status` shows this machine connected, and prints the time from clone to running.
# It also checks that the install left the tree clean (package-lock.json not rewritten).
#
#   bash test/fresh-clone.sh               clone -> running
#   bash test/fresh-clone.sh --with-tests  also `npm run test:setup && npm run check` (long: the whole suite)
#
# Needs root (the sandbox) and the registry or npm's cache for `npm ci`. Writes go to the sandbox's
# tmpfs overlay and to a scratch directory under /var/tmp, removed at the end.
set -euo pipefail
with_tests=0
case "${1:-}" in
--with-tests) with_tests=1 ;;
"") ;;
-h | --help) sed -n 2,10p "$0"; exit 0 ;;
*) echo "fresh-clone: unknown option $1 (try --help)" >&2; exit 2 ;;
esac
repo=$(cd "$(dirname "$0")/.." && pwd)
tool=$repo/../shared/tools/systemd-sandbox
work=$(mktemp -d /var/tmp/voxops-fresh.XXXXXX)
sbx=$work/sbx
port=$((20000 + RANDOM % 20000))
stop() {
  bash "$tool" stop "$sbx" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT
inside() { bash "$tool" run "$sbx" /usr/bin/env -C "$work" HOME=/root PATH=/usr/local/bin:/usr/bin:/bin "$@"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

bash "$tool" start "$sbx" >/dev/null
t0=$(now)
inside git clone -q "file://$repo" "$work/voxops"
# The tests read ../shared (the specification, evaluation set and voice samples) beside the clone.
inside ln -s "$(cd "$repo/../shared" && pwd)" "$work/shared"
echo "cloned in $(since "$t0") s"
inside bash -c "cd voxops && npm ci --no-audit --no-fund" >"$work/npm-ci.log" 2>&1 || {
  tail -20 "$work/npm-ci.log"
  echo "fresh-clone: npm ci failed" >&2
  exit 1
}
echo "npm ci done at $(since "$t0") s"
dirty=$(inside git -C voxops status --porcelain)
if [ -n "$dirty" ]; then
  echo "fresh-clone: the install changed the tree:" >&2
  echo "$dirty" >&2
  exit 1
fi
echo "tree clean after npm ci"
inside bash -c "cd voxops && PORT=$port VOXOPS_QUIET=1 exec npm start" >"$work/start.log" 2>&1 &
running=""
for _ in $(seq 1 240); do
  if inside bash -c "cd voxops && PORT=$port npx voxops status" 2>/dev/null | grep -q '^local  *connected'; then
    running=$(since "$t0")
    break
  fi
  sleep 0.5
done
if [ -z "$running" ]; then
  tail -20 "$work/start.log"
  echo "fresh-clone: npm start did not bring the local VM up within 120 s" >&2
  exit 1
fi
echo "clone -> running (npm ci && npm start, local VM connected): $running s"
if [ "$with_tests" = 1 ]; then
  t1=$(now)
  if inside bash -c "cd voxops && npm run test:setup && npm run check" >"$work/check.log" 2>&1; then
    echo "green test run (npm run test:setup && npm run check): $(since "$t1") s; clone -> green: $(since "$t0") s"
  else
    tail -40 "$work/check.log"
    echo "fresh-clone: the test run failed after $(since "$t1") s" >&2
    exit 1
  fi
fi
