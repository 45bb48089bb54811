#!/usr/bin/env bash
# One command for the four container images without a Docker daemon (README "Kubernetes" -> "Images"):
#   1. a registry: REGISTRY (default 127.0.0.1:5000); if nothing answers there, starts Debian's
#      docker-registry (CNCF distribution, apt-get install -y docker-registry) on it, storage in work/images/registry
#   2. the base image: work/images/base-jre17.tar, made by scripts/base-image.sh if missing (BASE_IMAGE=... to use another:
#      a docker-archive path, or any image reference Jib can pull, e.g. registry.access.redhat.com/ubi9/openjdk-17-runtime:1.21)
#   3. mvn -Pimages package with Jib pushing backstream/<service>:<tag> to the registry
#   4. lists what the registry holds (tags and manifest digests); with ARCHIVES=1 also copies each image with skopeo
#      (apt-get install -y skopeo) into work/images/archives/<service>-<tag>.tar, a docker-archive named backstream/<service>:<tag>
#      for `kind load image-archive` or `k3s ctr images import`
#   5. stops the registry if it started it (KEEP_REGISTRY=1 leaves it running)
# usage: scripts/build-images.sh [extra maven args]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$ROOT/work/images
REGISTRY=${REGISTRY:-127.0.0.1:5000}
BASE_IMAGE=${BASE_IMAGE:-$WORK/base-jre17.tar}
SERVICES="data-loader trainer evaluator metrics"
mkdir -p "$WORK"
cd "$ROOT"

TAG=$(sed -n 's/.*<quarkus.container-image.tag>\(.*\)<\/quarkus.container-image.tag>.*/\1/p' pom.xml | head -1)
GROUP=$(sed -n 's/.*<quarkus.container-image.group>\(.*\)<\/quarkus.container-image.group>.*/\1/p' pom.xml | head -1)

# 1. registry
STARTED_PID=
stop_registry() {
  if [ "${KEEP_REGISTRY:-}" = 1 ] && [ -n "$STARTED_PID" ]; then
    echo "the registry keeps running (pid $STARTED_PID): kill $STARTED_PID"; return
  fi
  if [ -n "$STARTED_PID" ] && kill -0 "$STARTED_PID" 2>/dev/null; then
    kill "$STARTED_PID"; wait "$STARTED_PID" 2>/dev/null || true
    echo "stopped the registry (pid $STARTED_PID)"
  fi
}
trap stop_registry EXIT
if curl -fsS -o /dev/null "http://$REGISTRY/v2/" 2>/dev/null; then
  echo "using the registry at $REGISTRY"
else
  command -v docker-registry >/dev/null || { echo "no registry at $REGISTRY and no docker-registry (apt-get install -y docker-registry)" >&2; exit 1; }
  mkdir -p "$WORK/registry/data"
  cat >"$WORK/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $WORK/registry/data
  delete:
    enabled: true
http:
  addr: $REGISTRY
EOF
  docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry/registry.log" 2>&1 &
  STARTED_PID=$!
  for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://$REGISTRY/v2/" 2>/dev/null && break; sleep 0.2; done
  curl -fsS -o /dev/null "http://$REGISTRY/v2/" || { cat "$WORK/registry/registry.log" >&2; exit 1; }
  echo "started docker-registry on $REGISTRY (pid $STARTED_PID, storage $WORK/registry/data)"
fi

# 2. base image
case "$BASE_IMAGE" in
  /*) [ -f "$BASE_IMAGE" ] || "$ROOT/scripts/base-image.sh" "$BASE_IMAGE"; BASE_REF=tar://$BASE_IMAGE ;;
  *) BASE_REF=$BASE_IMAGE ;;
esac

# 3. build and push (the reactor builds what the services depend on; nothing is installed into ~/.m2)
start=$(date +%s)
mvn -B -Pimages package -DskipTests -pl "$(echo $SERVICES | tr ' ' ,)" -am \
  -Dquarkus.container-image.build=true -Dquarkus.container-image.push=true \
  -Dquarkus.container-image.registry="$REGISTRY" -Dquarkus.container-image.insecure=true \
  -Dquarkus.jib.base-jvm-image="$BASE_REF" "$@"
echo "maven: $(( $(date +%s) - start )) s"

# 4. what the registry holds
echo "registry $REGISTRY:"
for s in $SERVICES; do
  tags=$(curl -fsS "http://$REGISTRY/v2/$GROUP/$s/tags/list")
  digest=$(curl -fsSI -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
      -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$REGISTRY/v2/$GROUP/$s/manifests/$TAG" \
    | tr -d '\r' | awk -F': ' 'tolower($1)=="docker-content-digest"{print $2}')
  echo "  $REGISTRY/$GROUP/$s:$TAG  $digest  $tags"
done

if [ "${ARCHIVES:-}" = 1 ]; then
  mkdir -p "$WORK/archives"
  for s in $SERVICES; do
    out=$WORK/archives/$s-$TAG.tar
    rm -f "$out"
    skopeo copy -q --src-tls-verify=false "docker://$REGISTRY/$GROUP/$s:$TAG" "docker-archive:$out:$GROUP/$s:$TAG"
    echo "  $out ($(du -h "$out" | cut -f1))"
  done
fi
