#!/usr/bin/env bash
# Installs what the tests need and this machine lacks, when it can (root with apt-get):
# redis-server, the PostgreSQL server binaries, docker-compose (to check the compose file; no engine
# is needed for that), and Node 22 in .tools/node22 for the MCP conformance suite.

apt_updated=0
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ]; then
    echo "prerequisites: cannot install $* here (needs root and apt-get); tests that need it will fail with a message"
    return 1
  fi
  if [ "$apt_updated" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

postgres_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/postgres" ] && echo "$dir"
}

ensure_prerequisites() {
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "prerequisites: installing redis-server"
    apt_install redis-server || true
    # The package starts a system-wide server on 6379; tests start their own on random ports.
    if command -v systemctl >/dev/null 2>&1; then systemctl stop redis-server >/dev/null 2>&1 || true; fi
    pkill -f 'redis-server 127.0.0.1:6379' >/dev/null 2>&1 || true
  fi
  if [ -z "$(postgres_bin_dir)" ]; then
    echo "prerequisites: installing postgresql"
    apt_install postgresql || true
  fi
  if ! command -v docker-compose >/dev/null 2>&1; then
    echo "prerequisites: installing docker-compose (the tests check docker/compose.yaml with it)"
    apt_install docker-compose || true
  fi
  # Node 22 for the MCP conformance suite (tests/Gateway.Edge.Tests ConformanceTests), which runs in every test run.
  ensure_node22 || echo "prerequisites: npm install node@22 failed; the conformance test will try once more and fail with npm's message"
  ensure_npm_peers
  # The npm MCP servers of Worker.Host's catalog, once into .tools/npm-servers (the build does it too).
  bash "$root/Worker.Host/NpmServers/install.sh" | sed 's/^/prerequisites: /'
  echo "prerequisites: redis-server $(command -v redis-server || echo missing), postgres $(postgres_bin_dir || echo missing)"
}

# Node 22 (the conformance suite needs it) from the npm registry into .tools/node22.
ensure_node22() {
  local tools="$root/.tools/node22"
  if [ ! -x "$tools/node_modules/node/bin/node" ]; then
    echo "prerequisites: installing node@22 into .tools/node22"
    mkdir -p "$tools"
    npm install --silent --no-save --prefix "$tools" node@22 >/dev/null || return 1
  fi
  export MCPPLATFORM_NODE22="$tools/node_modules/node/bin/node"
}

# Real peers from the npm registry (grpc-js, the MCP SDKs, ...): every tests/*/node/package.json
# is installed in place, from its lock file when there is one.
ensure_npm_peers() {
  local dir
  for dir in "$root"/tests/*/node "$root"/bench/*/node; do
    [ -f "$dir/package.json" ] || continue
    if [ ! -d "$dir/node_modules" ] || [ "$dir/package.json" -nt "$dir/node_modules" ]; then
      echo "prerequisites: npm install in ${dir#"$root"/}"
      if [ -f "$dir/package-lock.json" ]; then
        (cd "$dir" && npm ci --silent --no-audit --no-fund >/dev/null) || echo "prerequisites: npm ci failed in $dir"
      else
        (cd "$dir" && npm install --silent --no-audit --no-fund >/dev/null) || echo "prerequisites: npm install failed in $dir"
      fi
      touch "$dir/node_modules" 2>/dev/null || true
    fi
  done
}
