#!/usr/bin/env bash
# The web console, measured and photographed with Debian's headless Chromium (see .ci/run):
#   bench/console.sh first-paint [loads]  first contentful paint from a cold cache on loopback
#                                         (median, p90 of 20 loads) and the gzipped asset size
#   bench/console.sh screenshots [dir]    the README's screenshots (default docs/console/)
# Each starts its own node (embedded Redis, free ports) from the test classes and stops it.
# Run from anywhere; it compiles the reactor (offline) first.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
what=${1:-first-paint}
cp_file=$(mktemp /tmp/portico-console-cp.XXXXXX)
trap 'rm -f "$cp_file"' EXIT
# test-compile and build-classpath in one reactor run: the sibling modules resolve to their
# target/classes; the launcher, built last, writes the file last
mvn -q -o -pl launcher -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file"
cp="launcher/target/test-classes:launcher/target/classes:$(cat "$cp_file")"
case "$what" in
  first-paint) java -Xmx512m -Djdk.httpclient.allowRestrictedHeaders=host -cp "$cp" dev.portico.launcher.ConsoleFirstPaint "${2:-20}" ;;
  screenshots) java -Xmx512m -Djdk.httpclient.allowRestrictedHeaders=host -cp "$cp" dev.portico.launcher.ConsoleScreenshots "${2:-docs/console}" ;;
  *) echo "usage: $0 first-paint [loads] | screenshots [dir]" >&2; exit 2 ;;
esac
