#!/usr/bin/env bash
# Makes the Java base of Berth's image from Debian packages, where no registry base can be pulled
# (no Docker Hub): mmdebstrap writes a minimal root file system with a JRE, and this wraps it as a
# docker-archive (`docker save` format) that Jib takes as `tar://…` and `docker load` reads.
# The result is cached under $BERTH_CACHE (default ~/.cache/berth), keyed by suite, packages and this
# script, so a machine makes it once; delete the cache directory to pick up newer Debian packages.
#
# Usage: debian-base.sh SUITE MIRROR PACKAGES OUTPUT
#   e.g. debian-base.sh trixie http://deb.debian.org/debian openjdk-21-jre-headless,ca-certificates target/debian-base.tar
set -euo pipefail

suite=$1 mirror=$2 packages=$3 output=$4
cache=${BERTH_CACHE:-$HOME/.cache/berth}
key=$({ cat "$0"; echo "$suite $packages"; } | sha256sum | cut -c1-16)
cached="$cache/debian-base-$suite-$key.tar"

if [ ! -s "$cached" ]; then
  for tool in mmdebstrap jq sha256sum; do
    command -v "$tool" >/dev/null || { echo "debian-base.sh needs '$tool': apt-get install -y ${tool/sha256sum/coreutils}" >&2; exit 1; }
  done
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/build.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "Making the Debian $suite base with $packages from $mirror (once per machine; cached as $cached)"
  # Documentation, manual pages and translations are not needed in a server image: dpkg skips them
  # (copyright files stay). man1 must exist because update-alternatives links the JRE's manual pages there.
  # A user `berth` with uid 1000, the image's user, so its processes have a name and a home. (Debian's
  # JRE package already ships the JDK's class-data-sharing archive, lib/server/classes.jsa.)
  mmdebstrap --variant=minbase --include="$packages" --format=tar \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook='chroot "$1" useradd --uid 1000 --user-group --home-dir /var/lib/berth --no-create-home --shell /usr/sbin/nologin berth' \
    --customize-hook='rm -rf "$1"/var/cache/* "$1"/var/log/* "$1"/var/lib/apt/lists/*' \
    "$suite" "$work/layer.tar" "$mirror"

  java_home=$(tar -tf "$work/layer.tar" | sed -n 's#^\./\(usr/lib/jvm/java-[0-9]*-openjdk-[a-z0-9]*\)/bin/java$#/\1#p' | head -1)
  [ -n "$java_home" ] || { echo "debian-base.sh: no JRE in the root file system; is a Java package in '$packages'?" >&2; exit 1; }
  diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
  jq -n --arg arch "$(dpkg --print-architecture)" --arg diff "$diff_id" --arg java "$java_home" \
        --arg how "mmdebstrap --variant=minbase --include=$packages $suite" '{
      architecture: $arch, os: "linux",
      config: {Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "JAVA_HOME=" + $java, "LANG=C.UTF-8"]},
      rootfs: {type: "layers", diff_ids: [$diff]},
      history: [{created_by: $how}]
    }' > "$work/config.json"
  jq -n --arg tag "berth-debian-base:$suite-$key" \
    '[{Config: "config.json", RepoTags: [$tag], Layers: ["layer.tar"]}]' > "$work/manifest.json"
  tar -C "$work" -cf "$work/base.tar" manifest.json config.json layer.tar
  mv "$work/base.tar" "$cached"
fi

mkdir -p "$(dirname "$output")"
# A hard link where the cache and the output share a file system, else a copy.
ln -f "$cached" "$output" 2>/dev/null || cp "$cached" "$output"
echo "Debian base image: $output ($(du -h "$cached" | cut -f1), from $cached)"
