#!/usr/bin/env bash
# Builds finwait_<version>_all.deb from the distribution archive (run by `mvn package`; skipped with a
# note where dpkg-deb is missing). Files: /usr/lib/finwait (the archive's tree), /usr/bin/analyze (a
# symlink to its launcher, which finds its real place itself), the man page, bash completion, and
# /usr/share/doc/finwait (README, copyright). Depends only on a Java 17 runtime.
# Usage: make-deb.sh TARBALL OUTDIR VERSION
set -euo pipefail
tarball="$1" out="$2" version="$3"
if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "make-deb: dpkg-deb not found, no .deb made (the tar.gz is the distribution)" >&2
  exit 0
fi
# Debian orders 0.1.0~SNAPSHOT before 0.1.0; "-1" is the package revision.
debversion="${version//-/\~}-1"
work="$(mktemp -d "${TMPDIR:-/tmp}/finwait-deb.XXXXXX")"
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$root/usr/lib" "$root/usr/bin" "$root/usr/share/man/man1" "$root/usr/share/bash-completion/completions" \
  "$root/usr/share/doc/finwait" "$root/DEBIAN"
tar xzf "$tarball" -C "$work"
mv "$work/finwait-$version" "$root/usr/lib/finwait"
ln -s ../lib/finwait/bin/analyze "$root/usr/bin/analyze"
gzip -9n <"$root/usr/lib/finwait/man/man1/analyze.1" >"$root/usr/share/man/man1/analyze.1.gz"
cp "$root/usr/lib/finwait/completion/analyze.bash" "$root/usr/share/bash-completion/completions/analyze"
cp "$root/usr/lib/finwait/README.md" "$root/usr/share/doc/finwait/README.md"
{
  echo "finwait is licensed under the Apache License 2.0 (/usr/share/common-licenses/Apache-2.0)."
  echo
  cat "$root/usr/lib/finwait/THIRD-PARTY.txt"
} >"$root/usr/share/doc/finwait/copyright"
size="$(du -sk "$root/usr" | cut -f1)"
cat >"$root/DEBIAN/control" <<CONTROL
Package: finwait
Version: $debversion
Architecture: all
Maintainer: The finwait maintainers <finwait@users.noreply.github.com>
Installed-Size: $size
Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless
Recommends: libpcap0.8
Section: net
Priority: optional
Homepage: https://github.com/finwait/finwait
Description: explains how each TCP connection in a capture opened and closed
 finwait reads pcap and pcapng files (or a live interface) and rebuilds, for
 each side of every TCP connection, the RFC 9293 state machine: who closed
 first, half-closes, resets (who, in which state, why), TIME_WAIT windows and
 4-tuple reuse. Output as text, a ladder diagram, JSON lines, CSV or a Zeek
 conn.log.
CONTROL
find "$root" -type d -exec chmod 0755 {} +
mkdir -p "$out"
dpkg-deb --root-owner-group --build "$root" "$out/finwait_${debversion}_all.deb" >/dev/null
echo "make-deb: $out/finwait_${debversion}_all.deb"
