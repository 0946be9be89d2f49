#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Install the Debian packages that building, booting and testing Pecan need.
#
# Idempotent and silent when everything is present; otherwise one apt-get
# update and one non-interactive apt-get install of exactly the missing
# packages, as root or through sudo.  On a system without apt-get it only
# checks for the commands and says which are missing.
#
#   tools/install-deps.sh          install what is missing
#   tools/install-deps.sh --check  report what is missing, change nothing (exit 1 if any)

set -euo pipefail

# package -> a file it installs (how we notice it without dpkg, and a sanity check)
declare -A PROBE=(
    [make]=/usr/bin/make
    [gcc]=/usr/bin/gcc
    [clang]=/usr/bin/clang
    [binutils]=/usr/bin/ld
    [qemu-system-x86]=/usr/bin/qemu-system-x86_64
    [grub-common]=/usr/bin/grub-mkrescue
    [grub-pc-bin]=/usr/lib/grub/i386-pc/multiboot.mod
    [xorriso]=/usr/bin/xorriso
    [mtools]=/usr/bin/mformat
    [gdb]=/usr/bin/gdb
)
PACKAGES=(make gcc clang binutils qemu-system-x86 grub-common grub-pc-bin xorriso mtools gdb)

check_only=0
case "${1:-}" in
    --check) check_only=1 ;;
    "") ;;
    -h|--help) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-deps: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac

installed() {
    local pkg=$1
    if command -v dpkg-query >/dev/null 2>&1; then
        dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii' || return 1
    fi
    [ -e "${PROBE[$pkg]}" ]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    installed "$pkg" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$check_only" = 1 ]; then
    echo "install-deps: missing: ${missing[*]}"
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: missing ${missing[*]}, and this is not a Debian-like system (no apt-get):" >&2
    echo "install-deps: install the equivalents with your package manager." >&2
    exit 1
fi

if [ "$(id -u)" = 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
elif command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
    as_root=(sudo)              # sudo may ask for a password on the terminal
else
    echo "install-deps: missing packages: ${missing[*]}" >&2
    echo "install-deps: need root or sudo to install them; run as root:" >&2
    echo "    apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -q -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
log=$(mktemp "${TMPDIR:-/tmp}/pecan-install-deps.XXXXXX")
trap 'rm -f "$log"' EXIT
apt() {
    if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@" >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        echo "install-deps: 'apt-get $1' failed (output above)" >&2
        exit 1
    fi
}
apt update -q
apt install "${apt_opts[@]}" --no-install-recommends "${missing[@]}"

still=()
for pkg in "${missing[@]}"; do
    installed "$pkg" || still+=("$pkg")
done
if [ ${#still[@]} -ne 0 ]; then
    echo "install-deps: apt-get finished but these are still missing: ${still[*]}" >&2
    exit 1
fi
echo "install-deps: done"
