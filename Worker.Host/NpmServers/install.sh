#!/usr/bin/env bash
# Installs the npm MCP servers of Worker.Host's default catalog (package.json and package-lock.json beside this
# script) once into a cache folder, default <repo>/.tools/npm-servers: `npm ci` there when the lock file is newer
# than the last install, nothing otherwise (so builds stay offline after the first). Worker.Host runs
# `node <cache>/node_modules/<package>/dist/index.js`, never npx. Without npm it says so and succeeds: the catalog
# then leaves those servers out with a log line. Called by Worker.Host's build and by eng/lib/prerequisites.sh.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${1:-$here/../../.tools/npm-servers}"
stamp="$cache/node_modules/.mcpplatform-installed"

if [ -f "$stamp" ] && [ ! "$here/package-lock.json" -nt "$stamp" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "npm-servers: Node.js/npm not found; the everything and memory servers stay out of the catalog (install nodejs and npm, then build Worker.Host again)"
  exit 0
fi

# Installed beside the cache and moved into place, so a concurrent build never sees half a node_modules.
work="$cache.tmp.$$"
rm -rf "$work" && mkdir -p "$work" && cp "$here/package.json" "$here/package-lock.json" "$work/"
if (cd "$work" && npm ci --silent --no-audit --no-fund >/dev/null 2>&1); then
  touch "$work/node_modules/.mcpplatform-installed"
  rm -rf "$cache.old.$$"
  [ -d "$cache" ] && mv "$cache" "$cache.old.$$"
  mv "$work" "$cache" && rm -rf "$cache.old.$$"
  echo "npm-servers: installed into $cache"
else
  rm -rf "$work"
  echo "npm-servers: npm ci failed (offline on a first install?); the npm servers stay out of the catalog until it succeeds"
fi
exit 0
