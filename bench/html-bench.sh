#!/usr/bin/env bash
# The HTML report at scale: size and time of `analyze --format html` on the generated 1 M-packet capture,
# then the page in headless Chromium (load time, frame times while the timeline scrolls, a filter, a
# ladder) through dev.finwait.cli.HtmlPageBench (test scope of analyzer-cli).
#
#   bench/html-bench.sh [PACKETS]     PACKETS defaults to 1M (as bench/run-bench.sh)
#
# Needs chromium and chromium-driver (./run-tests installs them).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
spec="${1:-1M}"
label="$(echo "$spec" | tr -d _ | tr 'KM' 'km')"
file="bench-data/${label}.pcap"
page="bench-data/${label}.html"
mkdir -p bench-data
if [ ! -f "$file" ]; then
  (timeout 600 mvn -q -B -o test-compile -pl analyzer-core) >&2
  timeout 1800 java -cp analyzer-core/target/test-classes dev.finwait.bench.CaptureGenerator \
    --packets "$spec" --out "$file" --seed 1
fi
./analyze --help >/dev/null 2>&1 || true
/usr/bin/time -f '%e s, %M KB max resident' -o bench-data/html-time.txt \
  timeout 600 ./analyze --format html -q -o "$page" "$file"
echo "analyze --format html $file: $(cat bench-data/html-time.txt); page $(stat -c %s "$page") bytes"
(timeout 600 mvn -q -B -o test-compile -am -pl analyzer-cli \
  dependency:build-classpath -Dmdep.outputFile="$here/bench-data/cli-test-classpath.txt" -Dmdep.includeScope=test) >&2
cp="analyzer-cli/target/test-classes:analyzer-cli/target/classes:analyzer-core/target/classes:$(cat bench-data/cli-test-classpath.txt)"
timeout 900 java -cp "$cp" dev.finwait.cli.HtmlPageBench "$page"
