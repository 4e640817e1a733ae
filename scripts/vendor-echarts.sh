#!/usr/bin/env bash
# vendor-echarts.sh VERSION: fetch Apache ECharts VERSION from the npm
# registry (npm pack) and copy its common minified build and licence files
# into report/assets. Then update the version and SHA-256 in
# report/assets/README.md and report/assets_test.go.
set -euo pipefail
version="${1:?usage: scripts/vendor-echarts.sh VERSION (e.g. 6.1.0)}"
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "echarts@${version}" >/dev/null && tar xzf "echarts-${version}.tgz")
cp "$tmp/package/dist/echarts.common.min.js" "$root/report/assets/echarts.common.min.js"
cp "$tmp/package/LICENSE" "$root/report/assets/ECHARTS_LICENSE"
cp "$tmp/package/NOTICE" "$root/report/assets/ECHARTS_NOTICE"
cp "$tmp/package/licenses/LICENSE-d3" "$root/report/assets/ECHARTS_LICENSE-d3"
echo "echarts ${version}: sha256 $(sha256sum "$root/report/assets/echarts.common.min.js" | cut -d' ' -f1)"
