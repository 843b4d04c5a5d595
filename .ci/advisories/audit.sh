#!/usr/bin/env bash
# Offline dependency audit for CI: cargo-audit against the advisory snapshot in
# .ci/advisories (a plain copy of rustsec/advisory-db's crates/<name>/RUSTSEC-*.md
# files; CI cannot reach GitHub, so `cargo audit` must not fetch).
#
#   bash .ci/advisories/audit.sh          # from anywhere inside the repo
#
# Steps: (a) coverage: every crate named in Cargo.lock must be listed in
# .ci/advisories/checked-crates.txt (i.e. it was looked up when the snapshot was
# made); (b) cargo-audit 0.22.2 is installed if missing; (c) the audit runs with
# --no-fetch, with any `--ignore ID` taken from .ci/advisories/ignore.txt.
# Exit status: non-zero on a missing crate, a vulnerability, or a tool failure.
# Informational warnings (unmaintained, unsound, yanked) are printed but do not
# fail the run (cargo-audit's default); set AUDIT_DENY=warnings to make them fail.
#
# Overrides (for testing): AUDIT_DB (snapshot dir), AUDIT_LOCK (lockfile).
set -euo pipefail

AUDIT_VERSION=0.22.2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || (cd "$here/../.." && pwd))
db=${AUDIT_DB:-$root/.ci/advisories}
lock=${AUDIT_LOCK:-$root/Cargo.lock}

[ -f "$lock" ] || { echo "audit: no lockfile at $lock" >&2; exit 2; }
[ -d "$db/crates" ] && [ -f "$db/checked-crates.txt" ] ||
  { echo "audit: no advisory snapshot at $db (expected crates/ and checked-crates.txt)" >&2; exit 2; }

# (a) coverage ---------------------------------------------------------------
export LC_ALL=C
missing=$(comm -23 \
  <(sed -n 's/^name = "\(.*\)"/\1/p' "$lock" | sort -u) \
  <(sed 's/[[:space:]]*$//' "$db/checked-crates.txt" | grep -v '^$' | sort -u))
if [ -n "$missing" ]; then
  n=$(printf '%s\n' "$missing" | wc -l)
  {
    echo "audit: the advisory snapshot was not checked for $n crate(s) now in Cargo.lock:"
    printf '  %s\n' $missing
    echo "Refresh the snapshot (see .ci/advisories/README.md, 'Refreshing'): for each crate"
    echo "above, copy any rustsec/advisory-db crates/<name>/RUSTSEC-*.md into"
    echo ".ci/advisories/crates/<name>/ and add the name to .ci/advisories/checked-crates.txt."
  } >&2
  exit 1
fi
echo "audit: all $(sed -n 's/^name = "\(.*\)"/\1/p' "$lock" | sort -u | wc -l) crate names in Cargo.lock are covered by the snapshot"

# (b) cargo-audit ------------------------------------------------------------
if ! command -v cargo-audit >/dev/null 2>&1; then
  echo "audit: installing cargo-audit $AUDIT_VERSION (takes a few minutes)"
  cargo install cargo-audit --locked --version "$AUDIT_VERSION"
fi
have=$(cargo-audit audit --version 2>/dev/null || cargo audit --version 2>/dev/null || true)
case "$have" in *"$AUDIT_VERSION"*) ;; *) echo "audit: note: using '$have' (pinned: $AUDIT_VERSION)" >&2 ;; esac

# (c) the audit --------------------------------------------------------------
args=()
if [ -f "$db/ignore.txt" ]; then
  # format: one `RUSTSEC-YYYY-NNNN  # reason` a line; blank lines and `#` lines skipped
  while IFS= read -r line || [ -n "$line" ]; do
    id=${line%%#*}; id=$(printf '%s' "$id" | tr -d '[:space:]')
    [ -z "$id" ] && continue
    [[ $id =~ ^RUSTSEC-[0-9]{4}-[0-9]{4}$ ]] ||
      { echo "audit: bad line in $db/ignore.txt: '$line'" >&2; exit 2; }
    case "$line" in *'#'*) ;; *) echo "audit: $id in ignore.txt has no '# reason'" >&2; exit 2 ;; esac
    args+=(--ignore "$id")
  done < "$db/ignore.txt"
fi
[ -n "${AUDIT_DENY:-}" ] && args+=(--deny "$AUDIT_DENY")

cd "$root"
set -x
cargo-audit audit --db "$db" --no-fetch --file "$lock" ${args[@]+"${args[@]}"}
