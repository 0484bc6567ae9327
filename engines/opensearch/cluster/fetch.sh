#!/usr/bin/env bash
# OpenSearch 2.x from Maven Central, laid out as a distribution (path.home):
#   $OPENSEARCH_DIR/dist-$OS_VERSION/{lib,modules/<name>,bin,plugins}
# Only the server and the modules Presscut's mapping needs (HTTP transport, common
# analysis with the painless it extends, reindex). Maven's jars ship neither the module
# descriptors nor their security policies: they are written here, from OpenSearch's sources.
# Usage: fetch.sh [-f]   (-f: fetch again even if the layout exists)
set -euo pipefail
OS_VERSION="${OS_VERSION:-2.19.6}"  # newest 2.x complete on Maven Central (2.19.7 lacks analysis-common)
DIR="$(realpath -m "${OPENSEARCH_DIR:-instance/opensearch}")"
M2="${OPENSEARCH_M2:-$DIR/m2}"      # a private local repository: ~/.m2 is neither needed nor touched
DIST="$DIR/dist-$OS_VERSION"
POMS="$DIR/poms-$OS_VERSION"
COPY=org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies

# module folder | artifact (group org.opensearch.plugin) | plugin class | plugin it extends
MODULES="
transport-netty4 transport-netty4-client org.opensearch.transport.Netty4Plugin
lang-painless    lang-painless           org.opensearch.painless.PainlessPlugin
analysis-common  analysis-common         org.opensearch.analysis.common.CommonAnalysisPlugin lang-painless
reindex          reindex-client          org.opensearch.index.reindex.ReindexPlugin
"

if [ -d "$DIST/lib" ] && [ "${1:-}" != -f ]; then echo "already fetched: $DIST"; exit 0; fi
command -v mvn >/dev/null || { echo "fetch.sh needs Maven (apt-get install maven) and Java 17" >&2; exit 1; }

pom() {  # pom NAME OUTDIR GROUP:ARTIFACT:VERSION...: a pom whose dependencies are copied to OUTDIR
  local name=$1 out=$2 deps="" g a v; shift 2
  for c in "$@"; do IFS=: read -r g a v <<<"$c"
    deps+="<dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency>"; done
  mkdir -p "$POMS/$name"
  cat >"$POMS/$name/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>presscut</groupId><artifactId>$name</artifactId><version>0</version><packaging>pom</packaging>
  <properties><outputDirectory>$out</outputDirectory><includeScope>runtime</includeScope></properties>
  <dependencies>$deps</dependencies>
</project>
POM
}
copy() { mvn -q -B -Dstyle.color=never -Dmaven.repo.local="$M2" -f "$1" "$COPY" | sed "s/\x1b\[0m//g"; }  # -q still prints colour resets

t0=$SECONDS
rm -rf "$DIST.tmp" "$POMS"; OUT="$DIST.tmp"
# lib/: the server, plus the plugin class loader its pom does not list
pom lib "$OUT/lib" "org.opensearch:opensearch:$OS_VERSION" "org.opensearch:opensearch-plugin-classloader:$OS_VERSION"
mods=""
while read -r name artifact _; do [ -n "$name" ] || continue
  pom "$name" "$OUT/modules/$name" "org.opensearch.plugin:$artifact:$OS_VERSION"; mods+="<module>$name</module>"
done <<<"$MODULES"
cat >"$POMS/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>presscut</groupId><artifactId>all</artifactId><version>0</version><packaging>pom</packaging>
  <modules><module>lib</module>$mods</modules>
</project>
POM
copy "$POMS/pom.xml"

# The server pom marks log4j-core, spatial4j and jts-core optional, so Maven skips them.
optional=$(python3 - "$M2/org/opensearch/opensearch/$OS_VERSION/opensearch-$OS_VERSION.pom" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
for d in ET.parse(sys.argv[1]).getroot().find("m:dependencies", ns):
    if d.findtext("m:optional", "", ns) == "true":
        print(":".join(d.findtext("m:" + t, "", ns) for t in ("groupId", "artifactId", "version")))
PY
)
# shellcheck disable=SC2086
pom optional "$OUT/lib" $optional
copy "$POMS/optional/pom.xml"

# A module may not carry a jar the server (or the plugin it extends) has: "jar hell".
while read -r name artifact cls ext; do [ -n "$name" ] || continue
  d="$OUT/modules/$name"
  for j in "$d"/*.jar; do b=$(basename "$j")
    if [ -e "$OUT/lib/$b" ] || { [ -n "${ext:-}" ] && [ -e "$OUT/modules/$ext/$b" ]; }; then rm "$j"; fi; done
  cat >"$d/plugin-descriptor.properties" <<PROPS
name=$name
description=$name (Maven Central org.opensearch.plugin:$artifact:$OS_VERSION)
version=$OS_VERSION
opensearch.version=$OS_VERSION
java.version=17
classname=$cls
extended.plugins=${ext:-}
has.native.controller=false
PROPS
done <<<"$MODULES"

# 2.x runs under the Java SecurityManager: each module's plugin-security.policy, as in
# OpenSearch's modules/<name>/src/main/plugin-metadata/.
cat >"$OUT/modules/transport-netty4/plugin-security.policy" <<'POLICY'
grant {
  permission java.io.FilePermission "/proc/sys/net/core/somaxconn", "read";
  permission java.net.SocketPermission "*", "accept,connect";
  permission java.lang.RuntimePermission "*", "setContextClassLoader";
  permission java.lang.RuntimePermission "getClassLoader";
  permission java.util.PropertyPermission "sun.nio.ch.bugLevel", "write";
};
POLICY
cat >"$OUT/modules/lang-painless/plugin-security.policy" <<'POLICY'
grant {
  permission java.lang.RuntimePermission "createClassLoader";
  permission java.lang.RuntimePermission "getClassLoader";
};
POLICY
cat >"$OUT/modules/reindex/plugin-security.policy" <<'POLICY'
grant {
  permission java.net.SocketPermission "*", "connect";
};
grant codeBase "${codebase.opensearch-rest-client}" {
  permission java.net.NetPermission "getProxySelector";
};
grant codeBase "${codebase.httpasyncclient}" {
  permission java.net.NetPermission "getProxySelector";
};
POLICY
# path.home must hold bin/ and plugins/ (created at start otherwise, which fails unprivileged)
mkdir -p "$OUT/bin" "$OUT/plugins"
rm -rf "$DIST"; mv "$OUT" "$DIST"
echo "fetched OpenSearch $OS_VERSION into $DIST in $((SECONDS - t0)) s"
