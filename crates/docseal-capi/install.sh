#!/usr/bin/env bash
# install.sh PREFIX -- builds the C library (release) and installs it under PREFIX:
#   PREFIX/include/docseal.h
#   PREFIX/lib/libdocseal.a, libdocseal.so.VERSION (+ libdocseal.so.MAJOR, libdocseal.so links)
#   PREFIX/lib/pkgconfig/docseal.pc   (so: cc app.c $(pkg-config --cflags --libs docseal))
# The cargo library is named docseal_capi (the facade crate owns the name `docseal` in the
# target directory); it is installed as libdocseal. CARGO_TARGET_DIR is honoured.
# DOCSEAL_CAPI_NO_BUILD=1 installs what is already built.
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 PREFIX" >&2
  exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
mkdir -p "$1"
PREFIX="$(cd "$1" && pwd)"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"

if [ "${DOCSEAL_CAPI_NO_BUILD:-}" != 1 ]; then
  (cd "$REPO" && cargo build --release -q -p docseal-capi)
fi

# The workspace version ([workspace.package] version = "x.y.z" in the root Cargo.toml).
VERSION="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$REPO/Cargo.toml")"
[ -n "$VERSION" ] || { echo "install.sh: no workspace version in $REPO/Cargo.toml" >&2; exit 1; }
MAJOR="${VERSION%%.*}"

LIB="$PREFIX/lib"
install -d "$PREFIX/include" "$LIB/pkgconfig"
install -m 644 "$HERE/include/docseal.h" "$PREFIX/include/docseal.h"
install -m 644 "$TARGET/release/libdocseal_capi.a" "$LIB/libdocseal.a"
install -m 755 "$TARGET/release/libdocseal_capi.so" "$LIB/libdocseal.so.$VERSION"
ln -sf "libdocseal.so.$VERSION" "$LIB/libdocseal.so.$MAJOR"
ln -sf "libdocseal.so.$MAJOR" "$LIB/libdocseal.so"

# Libs.private: what the Rust standard library needs when linking libdocseal.a statically
# (`pkg-config --static`), from rustc's --print native-static-libs on Linux.
cat > "$LIB/pkgconfig/docseal.pc" <<PC
prefix=$PREFIX
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include

Name: docseal
Description: Password-protect and open Office files (MS-OFFCRYPTO Agile and Standard encryption)
Version: $VERSION
Libs: -L\${libdir} -ldocseal
Libs.private: -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
Cflags: -I\${includedir}
PC
echo "installed docseal $VERSION in $PREFIX"
