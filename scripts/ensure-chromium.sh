#!/usr/bin/env bash
# Makes a Chromium for the browser tests (Playwright's playwright-core drives
# it) available and prints its path as the last line on stdout; everything
# else goes to stderr.
#
# 1. GWENMAP_CHROMIUM_PATH is set and executable: print it, done.
# 2. Debian's chromium is installed: print its path, done.
# 3. Otherwise install Debian's `chromium` package (as root, or through sudo).
#    Playwright's own browser downloads do not work on machines without the
#    open internet, so the tests use the distribution's build.
set -euo pipefail

say() { echo "ensure-chromium: $*" >&2; }

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo -n "$@"; fi
}

found() {
  if [[ -n "${GWENMAP_CHROMIUM_PATH:-}" && -x "$GWENMAP_CHROMIUM_PATH" ]]; then
    echo "$GWENMAP_CHROMIUM_PATH"
    return 0
  fi
  local candidate
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
    if [[ -x "$candidate" ]]; then echo "$candidate"; return 0; fi
  done
  return 1
}

if path="$(found)"; then
  echo "$path"
  exit 0
fi

say "no Chromium found: installing Debian's chromium package"
install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium)
as_root "${install[@]}" >&2 || {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 && as_root "${install[@]}" >&2
}
found
