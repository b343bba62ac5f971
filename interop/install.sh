#!/usr/bin/env bash
# jipc interop: install the pinned node-ipc peers OUTSIDE the repository.
#
#   interop/install.sh [DIR]
#
# DIR defaults to
#   ${JIPC_NODE_PEERS:-${XDG_CACHE_HOME:-$HOME/.cache}/jipc/node-peers}/<first 16 hex of sha256(package-lock.json)>
# Installs with `npm ci --ignore-scripts` from the committed package-lock.json (exact versions and
# integrity hashes), runs check-tree.js over the result, and prints DIR as the last (and only)
# line on stdout; all progress goes to stderr. DIR then holds node_modules/{node-ipc-9,achrinza-10,node-ipc-14}.
#
# * Never installs into a git work tree (refuses such a DIR).
# * Skips the install when DIR already carries the completion marker for this lockfile.
# * Safe to run concurrently: installs into a temporary sibling dir and renames it into place
#   atomically (plus a flock on a lock file where flock(1) exists, to avoid duplicate downloads).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOCK="$HERE/package-lock.json"
PKG="$HERE/package.json"
MARKER=".jipc-install-complete"

log() { printf 'install.sh: %s\n' "$*" >&2; }
die() { printf 'install.sh: ERROR: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || die "node not found on PATH (Node.js 20+ needed)"
command -v npm >/dev/null 2>&1 || die "npm not found on PATH"
[ -f "$LOCK" ] || die "missing $LOCK"
[ -f "$PKG" ] || die "missing $PKG"

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  else node -e 'process.stdout.write(require("crypto").createHash("sha256").update(require("fs").readFileSync(process.argv[1])).digest("hex"))' "$1"
  fi
}
HASH="$(sha256_of "$LOCK")"
HASH16="${HASH:0:16}"

if [ $# -ge 1 ] && [ -n "$1" ]; then
  DIR="$1"
else
  BASE="${JIPC_NODE_PEERS:-${XDG_CACHE_HOME:-${HOME:?HOME not set}/.cache}/jipc/node-peers}"
  DIR="$BASE/$HASH16"
fi
case "$DIR" in /*) ;; *) DIR="$PWD/$DIR" ;; esac
DIR="${DIR%/}"
PARENT="$(dirname "$DIR")"
mkdir -p "$PARENT"
PARENT="$(cd "$PARENT" && pwd -P)"
DIR="$PARENT/$(basename "$DIR")"

# Refuse any target inside a git work tree (walk up looking for .git; ask git as well if present).
d="$PARENT"
while :; do
  [ -e "$d/.git" ] && die "refusing to install inside a git work tree ($d): $DIR"
  [ "$d" = "/" ] && break
  d="$(dirname "$d")"
done
if command -v git >/dev/null 2>&1; then
  if env -u GIT_DIR -u GIT_WORK_TREE git -C "$PARENT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    die "refusing to install inside a git work tree: $DIR"
  fi
fi

done_check() {
  # A completed install: marker naming this lockfile's hash, plus the tree passes check-tree.js.
  [ -f "$DIR/$MARKER" ] && [ "$(cat "$DIR/$MARKER")" = "$HASH" ] || return 1
  node "$HERE/check-tree.js" "$DIR" >/dev/null 2>"$DIR.check.err.$$" || {
    cat "$DIR.check.err.$$" >&2; rm -f "$DIR.check.err.$$"; die "existing install at $DIR failed check-tree.js; delete it and re-run"; }
  rm -f "$DIR.check.err.$$"
  return 0
}

if done_check; then
  log "already installed: $DIR"
  echo "$DIR"
  exit 0
fi

# Serialise concurrent installers of the same DIR (best effort; the atomic rename below is what
# guarantees correctness, flock only avoids downloading twice).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$DIR.lock"
  flock -w 600 9 || die "timed out waiting for the install lock $DIR.lock"
  if done_check; then
    log "installed by a concurrent run: $DIR"
    echo "$DIR"
    exit 0
  fi
fi

if [ -e "$DIR" ]; then
  if [ -d "$DIR" ] && [ -z "$(ls -A "$DIR")" ]; then
    rmdir "$DIR"
  elif [ -f "$DIR/$MARKER" ] || [ -d "$DIR/node_modules" ]; then
    # An install of ours for another lockfile, or a damaged one: replace it.
    log "replacing stale install at $DIR"
    STALE="$(mktemp -d "$PARENT/.stale.XXXXXX")"
    mv "$DIR" "$STALE/old" && rm -rf "$STALE" || die "cannot remove stale $DIR"
  else
    die "$DIR exists and is not a jipc peer install; choose another DIR"
  fi
fi

TMP="$(mktemp -d "$PARENT/.tmp-$(basename "$DIR").XXXXXX")"
cleanup() { if [ -n "${TMP:-}" ]; then rm -rf "$TMP"; fi; }
trap cleanup EXIT

cp "$PKG" "$TMP/package.json"
cp "$LOCK" "$TMP/package-lock.json"
log "npm ci --ignore-scripts into $TMP (node $(node --version), npm $(npm --version 2>/dev/null))"
start=$(date +%s)
# --ignore-scripts: never run any package's install/prepare scripts.
# Exact tree from the lockfile; npm verifies every tarball against its integrity hash.
# npm output goes to stderr so that stdout carries only the install dir.
( cd "$TMP" && npm ci --ignore-scripts --no-audit --no-fund --engine-strict=false \
      --loglevel=warn --include=prod ) 1>&2 || die "npm ci failed"
log "npm ci took $(( $(date +%s) - start ))s"

node "$HERE/check-tree.js" "$TMP" --lock="$TMP/package-lock.json" 1>&2 || die "check-tree.js rejected the installed tree"

printf '%s' "$HASH" > "$TMP/$MARKER"
# Atomic publish: rename(2) fails if DIR appeared meanwhile (then the other installer won).
if node -e 'require("fs").renameSync(process.argv[1], process.argv[2])' "$TMP" "$DIR" 2>/dev/null; then
  TMP=""
else
  done_check || die "could not move $TMP to $DIR"
  log "another installer finished first; using its tree"
fi
log "installed: $DIR"
echo "$DIR"
