#!/usr/bin/env bash
# Builds Debian's own libsrtp2 source package again, with OpenSSL instead of NSS for its crypto,
# and caches the shared library next to the mediasoup worker, outside the clone.
#
# Why: the worker links Debian's libsrtp2.so.1 dynamically, and Debian builds libsrtp2 on NSS,
# whose libsrtp backend costs about twice the worker CPU per SRTP packet of the OpenSSL backend that
# mediasoup's own builds use (README, "npm run bench:sfu-capacity -- --compare-srtp"). The same
# source version as the installed libsrtp2-1 package, Debian's configure options, compiler flags
# and patches, only --enable-nss replaced by --enable-openssl; same soname (libsrtp2.so.1), so the
# worker picks it up through LD_LIBRARY_PATH, which server/sfu/worker-bin.ts sets when the library
# is there (scripts/build/libsrtp2-openssl.ts). Without it the worker runs on Debian's libsrtp2.
#
# Output: ${MEDIASOUP_WORKER_CACHE:-$HOME/.cache/mesh-vs-sfu}/libsrtp2-openssl/libsrtp2.so.1
# plus SOURCE (the Debian source version it was built from). Re-running is a no-op while the cached
# library matches the installed libsrtp2-1 version, links libcrypto (not NSS) and loads into the
# worker. The source comes from the machine's own Debian archive through a private, temporary
# sources list (the machine's apt configuration, lists and caches are not touched); the downloads
# and the build tree live in a temporary directory that is deleted afterwards. Takes seconds.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

CACHE_DIR="${MEDIASOUP_WORKER_CACHE:-$HOME/.cache/mesh-vs-sfu}"
OUT_DIR="$CACHE_DIR/libsrtp2-openssl"
SONAME=libsrtp2.so.1
OUT_LIB="$OUT_DIR/$SONAME"
BIN_PACKAGE=libsrtp2-1
# dpkg-dev: dpkg-source (unpacks and patches the source package), dpkg-buildflags, make, patch.
APT_PACKAGES=(dpkg-dev gcc libssl-dev pkg-config)

log() { echo "[libsrtp2-openssl] $*"; }
die() { echo "[libsrtp2-openssl] ERROR: $*" >&2; exit 1; }

# The installed libsrtp2-1's source version (e.g. 2.5.0-3): the one to rebuild.
installed_version() {
  dpkg-query -W -f='${source:Version}' "$BIN_PACKAGE" 2>/dev/null ||
    die "Debian package $BIN_PACKAGE is not installed (scripts/setup.sh installs libsrtp2-dev)"
}

# The worker binary the library must load into, when it has been built already.
worker_bin() {
  local version
  version="$(node -p "require('$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/node_modules/mediasoup/package.json').version" 2>/dev/null)" ||
    return 0
  echo "${MEDIASOUP_WORKER_BIN:-$CACHE_DIR/mediasoup-worker-$version}"
}

# True when $1 is an OpenSSL libsrtp2 with our soname that resolves all its dependencies and, if
# the worker exists, lets the worker start with every symbol bound (LD_BIND_NOW): the worker exits
# with its own code 41 without MEDIASOUP_VERSION, 127 when a library or symbol is missing.
library_ok() {
  local lib="$1" libs bin rc=0
  [[ -f "$lib" ]] || return 1
  libs="$(ldd "$lib" 2>&1)" || return 1
  [[ "$libs" != *"not found"* && "$libs" == *libcrypto.so* && "$libs" != *libnss3.so* ]] || return 1
  objdump -p "$lib" 2>/dev/null | grep -q "SONAME *$SONAME" || return 1
  bin="$(worker_bin)"
  [[ -n "$bin" && -x "$bin" ]] || return 0
  env -u MEDIASOUP_VERSION LD_BIND_NOW=1 LD_LIBRARY_PATH="$(dirname "$lib")" timeout 10 "$bin" </dev/null >/dev/null 2>&1 || rc=$?
  [[ "$rc" -eq 41 ]]
}

install_build_deps() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ "$(id -u)" -eq 0 ]] || die "missing Debian packages (run as root to install): ${missing[*]}"
  log "installing Debian packages: ${missing[*]}"
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# "URI SUITE COMPONENT" of the archive the installed libsrtp2-1 came from, from apt's own policy
# (works with one-line and deb822 sources alike), e.g. "http://deb.debian.org/debian bookworm main".
archive_of_installed() {
  apt-cache policy "$BIN_PACKAGE" | awk '
    /^ *\*\*\* / { mine = 1; next }
    mine && /^ +[0-9]+ (https?|file):/ { split($3, sc, "/"); print $2, sc[1], (sc[2] == "" ? "main" : sc[2]); exit }
    mine && /^ +[^ ]+ [0-9]+$/ { exit }'
}

# Downloads the source package into $1 through a private sources list and private lists/cache dirs.
download_source() {
  local work="$1" version="$2" archive uri suite component
  archive="$(archive_of_installed)"
  [[ -n "$archive" ]] || die "cannot tell which archive $BIN_PACKAGE $version came from (apt-cache policy $BIN_PACKAGE)"
  read -r uri suite component <<<"$archive"
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg signed=""
  [[ -f "$keyring" ]] && signed="[signed-by=$keyring] "
  echo "deb-src ${signed}$uri $suite $component" >"$work/sources.list"
  local apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -q)
  # apt downloads as the unprivileged _apt user when it can write the target directory.
  [[ "$(id -u)" -eq 0 ]] && id _apt >/dev/null 2>&1 && chown _apt "$work/src" "$work/lists/partial"
  log "fetching source libsrtp2 $version from $uri $suite"
  apt-get "${apt_opts[@]}" update >"$work/apt-update.log" 2>&1 ||
    die "apt-get update with a private deb-src list failed: $(tail -3 "$work/apt-update.log")"
  (cd "$work/src" && apt-get "${apt_opts[@]}" source --download-only "libsrtp2=$version") >"$work/apt-source.log" 2>&1 ||
    die "apt-get source libsrtp2=$version failed: $(tail -3 "$work/apt-source.log")"
}

# Debian's debian/rules, minus --enable-nss: same configure options and compiler flags.
compile() {
  local work="$1" tree="$1/src/libsrtp2"
  # apt checked the downloads against the archive's signed Sources index; dpkg-source's own check
  # of the uploader's signature says "No public key" without the debian-keyring package.
  dpkg-source -x "$work"/src/libsrtp2_*.dsc "$tree" >"$work/dpkg-source.log" 2>&1 ||
    die "dpkg-source -x failed: $(tail -5 "$work/dpkg-source.log")"
  grep -q -- '--enable-nss' "$tree/debian/rules" ||
    log "note: Debian's debian/rules no longer says --enable-nss; building with OpenSSL anyway"
  local cflags ldflags cppflags
  cflags="$(cd "$tree" && DEB_CFLAGS_MAINT_STRIP=-O2 DEB_CFLAGS_MAINT_APPEND='-D_REENTRANT -O4 -fexpensive-optimizations -funroll-loops' dpkg-buildflags --get CFLAGS)"
  ldflags="$(cd "$tree" && dpkg-buildflags --get LDFLAGS)"
  cppflags="$(cd "$tree" && dpkg-buildflags --get CPPFLAGS)"
  log "configuring with --enable-openssl (OpenSSL $(pkg-config --modversion libcrypto))"
  (cd "$tree" && CFLAGS="$cflags" LDFLAGS="$ldflags" CPPFLAGS="$cppflags" \
    ./configure --disable-stdout --enable-syslog --disable-debug --enable-openssl) >"$work/configure.log" 2>&1 ||
    die "configure failed: $(tail -5 "$work/configure.log")"
  grep -q '^#define OPENSSL 1' "$tree/crypto/include/config.h" ||
    die "configure did not enable OpenSSL (see $work/configure.log)"
  log "compiling"
  make -C "$tree" -j"$(nproc)" shared_library test >"$work/make.log" 2>&1 ||
    die "make failed: $(tail -5 "$work/make.log")"
  # libsrtp's own known-answer and self tests (the crypto kernel checks every cipher and
  # HMAC against its test vectors): well under a second, unlike the full `make runtest`.
  local t
  for t in crypto/test/cipher_driver crypto/test/kernel_driver test/srtp_driver; do
    (cd "$tree" && "./$t" -v) >>"$work/selftest.log" 2>&1 || die "self test $t failed: $(tail -5 "$work/selftest.log")"
  done
  (cd "$tree" && ./test/test_srtp) >>"$work/selftest.log" 2>&1 || die "self test test_srtp failed"
}

install_library() {
  local work="$1" version="$2" built="$1/src/libsrtp2/$SONAME" tmp
  library_ok "$built" || die "the freshly built $built does not link libcrypto or does not load into the worker"
  mkdir -p "$OUT_DIR"
  tmp="$OUT_DIR/.$SONAME.tmp.$$"
  cp "$built" "$tmp"
  strip --strip-unneeded "$tmp"   # as Debian ships it (dh_strip)
  chmod 644 "$tmp"
  mv -f "$tmp" "$OUT_LIB"
  echo "libsrtp2 $version openssl" >"$OUT_DIR/SOURCE"
}

main() {
  local version
  version="$(installed_version)"
  if [[ "$(cat "$OUT_DIR/SOURCE" 2>/dev/null)" == "libsrtp2 $version openssl" ]] && library_ok "$OUT_LIB"; then
    echo "libsrtp2 $version (OpenSSL): cached at $OUT_LIB"
    exit 0
  fi
  [[ -e "$OUT_LIB" ]] && log "cached $OUT_LIB is stale or does not load; rebuilding"

  local start=$SECONDS
  install_build_deps
  mkdir -p "$CACHE_DIR"
  # Under /tmp rather than the cache: apt's unprivileged _apt user must be able to reach it.
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/libsrtp2-openssl-build.XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
  local work="$WORK"
  chmod 755 "$work"
  download_source "$work" "$version"
  compile "$work"
  install_library "$work" "$version"
  echo "libsrtp2 $version (OpenSSL): built in $((SECONDS - start)) s, at $OUT_LIB"
}

main "$@"
