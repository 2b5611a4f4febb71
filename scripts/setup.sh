#!/usr/bin/env bash
# One entry for the README's two commands (README §Quick start; docs/development.md):
#   scripts/setup.sh sim [smartpole sim flags]   install what is missing, build, start the simulated pole
#   scripts/setup.sh test                        install what is missing, build, run every check and test
# Safe to re-run: apt, npm and the build are skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-}"; shift || true
case "$mode" in sim|test) ;; *) echo "usage: scripts/setup.sh sim [flags] | test" >&2; exit 2 ;; esac

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# 1. Debian/Ubuntu packages: the one list is scripts/debian-packages.txt (sim rows always, test
#    rows in test mode), installed without Recommends so the list names everything a tool needs.
pkgs=()
while read -r pkg pmode _; do
  case "$pkg" in ''|'#'*) continue ;; esac
  if [ "$pmode" = sim ] || [ "$mode" = test ]; then pkgs+=("$pkg"); fi
done < scripts/debian-packages.txt
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # Debian's mosquitto package starts a system broker on 1883; the sim and the tests cope with that.
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The web viewer's browser tests drive Debian's chromium at this path (test/e2e/viewer.test.ts).
if [ "$mode" = test ] && [ ! -x /usr/bin/chromium ]; then
  echo "warning: /usr/bin/chromium is missing (on Ubuntu the chromium package is a snap stub): the web viewer's browser tests will fail" >&2
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "smartpole needs Node.js 20 or newer (found $(node -v)). On Debian 12 / Ubuntu 24.04 install nodejs 20 from your distribution's backports or a Node.js package you trust." >&2
  exit 1
fi

# 2. npm packages from the lockfile (native addons build from source: canvas, better-sqlite3, serialport).
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.smartpole-lock ] || [ "$(cat node_modules/.smartpole-lock)" != "$lock_hash" ]; then
  say "installing npm packages (first time: a few minutes, native modules compile)"
  npm ci --no-audit --no-fund --foreground-scripts=false
  echo "$lock_hash" > node_modules/.smartpole-lock
fi

# 3. Build (tsc, incremental) when any source is newer than the last build.
if [ ! -f dist/.build-stamp ] || [ -n "$(find bin runtime device protocols display simulator ops bench scripts tsconfig*.json package.json -newer dist/.build-stamp -type f -print -quit 2>/dev/null)" ]; then
  say "building"
  npm run --silent build
  chmod +x dist/smartpole.js
  touch dist/.build-stamp
fi

if [ "$mode" = sim ]; then
  # Run through the shebang so the V8 sizing applies (bin/smartpole.ts; docs/screen.md §Memory).
  exec ./dist/smartpole.js sim "$@"
fi

say "type check"; npm run --silent typecheck
say "lint"; npm run --silent lint
# Every bench at its smallest sample (docs/performance.md): a bench that no longer runs fails here.
# Its figures are not compared to targets. The tests run after it either way.
say "benches (smoke)"; bench_rc=0
npm run --silent bench -- --smoke || bench_rc=$?
say "tests"; test_rc=0
npx vitest run "$@" || test_rc=$?
if [ "$bench_rc" -ne 0 ]; then echo "the bench smoke run failed (see 'benches: … failed' above)" >&2; fi
exit $(( test_rc != 0 ? test_rc : bench_rc ))
