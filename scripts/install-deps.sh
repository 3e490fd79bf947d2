#!/usr/bin/env bash
# Installs every build, test and run dependency of opentapi from Debian packages,
# and the browser tests' one npm package (tests/web).
# Idempotent: packages already present are skipped, and it stays quiet when there
# is nothing to do. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  # toolchain and build
  build-essential cmake ninja-build pkg-config ccache
  clang-14 libclang-rt-14-dev clang-format
  # scripts/tidy-changed.sh (CI): the .clang-tidy rules on changed lines
  clang-tidy-14
  # libraries
  libboost-dev libboost-system-dev
  # TLS for the tls: listeners, HTTPS and libopentapi (the tests make their
  # certificates with the openssl command)
  libssl-dev openssl
  libprotobuf-dev protobuf-compiler
  libsqlite3-dev sqlite3
  # the PostgreSQL store (libpq) and the server its tests and bench/run.sh start
  # (initdb and pg_ctl in /usr/lib/postgresql/15/bin; util-linux's runuser
  # starts it as `postgres` when the tests run as root)
  libpq-dev postgresql
  libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libtomlplusplus-dev
  # Argon2id hashes of PINs and tokens (src/secrets)
  libsodium-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  # the HTTP API test reads docs/openapi.yaml (tools/opentapid/http_api_test.cpp)
  libyaml-dev
  # Debian packages (scripts/package.sh): manual pages from --help, the
  # packages' checks (scripts/check-packages.sh; dpkg-shlibdeps comes with
  # build-essential's dpkg-dev, CPack finds ELF files with file)
  help2man lintian file
  # bench/run.sh compares with Redis
  redis-server redis-tools
  # the wallboard's browser tests (tests/web) drive it through playwright-core
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# playwright-core for the wallboard's browser tests, exactly as pinned in
# tests/web/package-lock.json (it needs Node.js 20 or later, newer than
# Debian 12's; without it those tests report themselves skipped). Runs again
# only when the lock file changed; as the invoking user under sudo, so the
# checkout does not end up owned by root.
web_tests="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/web"
stamp="$web_tests/node_modules/.installed-package-lock.json"
if ! cmp -s "$web_tests/package-lock.json" "$stamp" 2>/dev/null; then
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if ! command -v npm >/dev/null 2>&1 || [ "$node_major" -lt 20 ]; then
    echo "install-deps: Node.js 20+ with npm not found: the web.* browser tests will be skipped" >&2
  else
    echo "install-deps: npm ci in tests/web"
    as_user=()
    if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ] && command -v sudo >/dev/null 2>&1; then
      as_user=(sudo -u "$SUDO_USER" -H)
    fi
    (cd "$web_tests" && "${as_user[@]}" npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
    "${as_user[@]}" cp "$web_tests/package-lock.json" "$stamp"
  fi
fi
