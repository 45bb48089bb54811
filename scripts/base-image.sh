#!/usr/bin/env bash
# Builds the JVM base image of Backstream's container images without Docker or a registry: a Debian 12
# (bookworm) minbase root filesystem with openjdk-17-jre-headless, written as a docker-archive tarball
# (manifest.json + config JSON + one layer tar, the format `docker save` writes), which Jib takes as
#   -Dquarkus.jib.base-jvm-image=tar:///abs/path/to/base-jre17.tar
# User 185 (the user the k8s pods run as, and the UBI OpenJDK images' user), WORKDIR /home/jboss (where
# Quarkus's Jib layout puts quarkus-app), JAVA_HOME and PATH so that the entrypoint `java -jar quarkus-run.jar`
# finds java.
#
# usage: scripts/base-image.sh [out.tar]          (default work/images/base-jre17.tar)
# env:   MIRROR (default: the first deb.debian.org-style URI apt uses here), SUITE (bookworm)
# Needs root (debootstrap, chroot) and the Debian package debootstrap. Takes ~5-10 minutes (downloads ~60 MB).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/work/images/base-jre17.tar}
SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-$(grep -h -o -E '^URIs: *[^ ]+|^deb +[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
  | grep -v security | awk 'NR==1{print $2}' || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
WORK=$(dirname "$OUT")/base-build
ROOTFS=$WORK/rootfs
JAVA_HOME_IN=/usr/lib/jvm/java-17-openjdk-amd64

command -v debootstrap >/dev/null || { echo "needs debootstrap (apt-get install -y debootstrap)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (debootstrap)" >&2; exit 1; }
mkdir -p "$WORK"

if [ ! -x "$ROOTFS$JAVA_HOME_IN/bin/java" ]; then
  rm -rf "$ROOTFS"
  echo "debootstrap $SUITE from $MIRROR into $ROOTFS"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless "$SUITE" "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }
fi

# the image's user: 185 (group 0, like the UBI images, so that files owned by group 0 stay usable), home /home/jboss
grep -q '^jboss:' "$ROOTFS/etc/passwd" || echo 'jboss:x:185:0:jboss:/home/jboss:/usr/sbin/nologin' >>"$ROOTFS/etc/passwd"
mkdir -p "$ROOTFS/home/jboss"
chown 185:0 "$ROOTFS/home/jboss"
chmod 0775 "$ROOTFS/home/jboss"
# slimmer: no package caches, docs, man pages
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/doc/* \
       "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* "$ROOTFS"/var/log/*.log "$ROOTFS"/var/cache/debconf/*-old
# the check (no /proc in the chroot, so ld.so cannot resolve java's $ORIGIN rpath: LD_LIBRARY_PATH stands in)
chroot "$ROOTFS" env LD_LIBRARY_PATH=$JAVA_HOME_IN/lib java -version 2>&1 | head -1

# docker-archive: one uncompressed layer (Jib compresses it when it pushes), sorted and with fixed times
STAGE=$WORK/archive
rm -rf "$STAGE"; mkdir -p "$STAGE"
tar --numeric-owner --sort=name --mtime='2025-01-01 00:00:00Z' --xattrs --exclude=./proc/* --exclude=./sys/* \
    --exclude=./dev/* -C "$ROOTFS" -cf "$STAGE/layer.tar" .
DIFF=$(sha256sum "$STAGE/layer.tar" | cut -d' ' -f1)
cat >"$STAGE/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"2025-01-01T00:00:00Z",
 "config":{"User":"185","WorkingDir":"/home/jboss",
  "Env":["PATH=$JAVA_HOME_IN/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
         "JAVA_HOME=$JAVA_HOME_IN","LANG=C.UTF-8","HOME=/home/jboss"],
  "Labels":{"org.opencontainers.image.description":"Debian $SUITE minbase + openjdk-17-jre-headless (Backstream scripts/base-image.sh)"}},
 "rootfs":{"type":"layers","diff_ids":["sha256:$DIFF"]},
 "history":[{"created":"2025-01-01T00:00:00Z","created_by":"scripts/base-image.sh: debootstrap --variant=minbase --include=openjdk-17-jre-headless $SUITE"}]}
EOF
CFG=$(sha256sum "$STAGE/config.json" | cut -d' ' -f1)
mv "$STAGE/config.json" "$STAGE/$CFG.json"
echo "[{\"Config\":\"$CFG.json\",\"RepoTags\":[\"backstream/base-jre17:$SUITE\"],\"Layers\":[\"layer.tar\"]}]" >"$STAGE/manifest.json"
tar --sort=name --mtime='2025-01-01 00:00:00Z' --owner=0 --group=0 -C "$STAGE" -cf "$OUT.tmp" manifest.json "$CFG.json" layer.tar
mv "$OUT.tmp" "$OUT"
rm -rf "$STAGE"
echo "base image: $OUT ($(du -h "$OUT" | cut -f1), layer sha256:$DIFF)"
