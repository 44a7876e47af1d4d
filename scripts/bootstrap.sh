#!/usr/bin/env bash
# Makes this checkout self-sufficient: Node 22/24, Yarn and the dependencies.
# Source it (`. scripts/bootstrap.sh`) to get them on PATH; running it again
# is fast when nothing needs doing.
#
# - Uses the system Node when it is 22 or 24; otherwise installs Node 24 from
#   the npm registry (the node-linux-* package ships the binary and the
#   headers that native addons such as better-sqlite3 build against) into
#   .tools/node, which git ignores.
# - Yarn is the release committed under .yarn/releases, run by that Node.
# - `yarn install` runs only when yarn.lock or a package.json changed since
#   the last successful install.
set -euo pipefail

VIGIL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$VIGIL_ROOT/.tools"

log() { printf '[bootstrap] %s\n' "$*" >&2; }

node_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

ensure_node() {
  local provisioned="$TOOLS/node/node_modules/node-linux-${NODE_ARCH}"
  if [ -x "$provisioned/bin/node" ]; then
    export PATH="$provisioned/bin:$PATH"
    export npm_config_nodedir="$provisioned"
  fi
  case "$(node_major)" in
    22|24) return ;;
  esac
  command -v npm >/dev/null 2>&1 || { log "npm is needed to provision Node 24"; return 1; }
  log "system Node is $(node --version 2>/dev/null || echo missing); installing Node 24 from the npm registry into .tools/node"
  npm install --silent --no-audit --no-fund --no-save --prefix "$TOOLS/node" "node-linux-${NODE_ARCH}@24" >&2
  export PATH="$provisioned/bin:$PATH"
  export npm_config_nodedir="$provisioned"
  [ "$(node_major)" = 24 ] || { log "Node 24 provisioning failed"; return 1; }
}

ensure_yarn() {
  local release
  release="$(ls "$VIGIL_ROOT"/.yarn/releases/yarn-*.cjs | tail -n 1)"
  mkdir -p "$TOOLS/bin"
  cat > "$TOOLS/bin/yarn" <<SHIM
#!/usr/bin/env bash
exec node "$release" "\$@"
SHIM
  chmod +x "$TOOLS/bin/yarn"
  export PATH="$TOOLS/bin:$PATH"
}

deps_fingerprint() {
  (cd "$VIGIL_ROOT" && cat yarn.lock package.json packages/*/package.json plugins/*/package.json \
    && node --version) | sha256sum | cut -d' ' -f1
}

ensure_deps() {
  local stamp="$VIGIL_ROOT/node_modules/.vigil-install-stamp" want
  want="$(deps_fingerprint)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  log "installing dependencies (yarn install --immutable); a cold install takes a few minutes"
  (cd "$VIGIL_ROOT" && yarn install --immutable >&2)
  echo "$want" > "$stamp"
}

case "$(uname -m)" in
  x86_64) NODE_ARCH=x64 ;;
  aarch64|arm64) NODE_ARCH=arm64 ;;
  *) NODE_ARCH="$(uname -m)" ;;
esac

ensure_node
ensure_yarn
ensure_deps
export VIGIL_ROOT
