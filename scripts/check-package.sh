#!/usr/bin/env bash
# What the container image runs, checked without a container engine: pack the project (prepack
# builds dist/), install the tarball with production dependencies only into an empty folder,
# start the installed bin on the embedded simulated cluster and wait for /readyz. Then the same
# bin on a Node.js too old for it must exit 2 with one line naming the version it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
node24_bin="$repo/node_modules/node/bin"
[[ -x "$node24_bin/node" ]] || { echo "package check: run npm ci first (the project's Node 24 is missing)" >&2; exit 1; }
export PATH="$node24_bin:$PATH"

work="$(mktemp -d)"
gateway_pid=''
cleanup() {
  [[ -n "$gateway_pid" ]] && kill "$gateway_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
size="$(stat -c %s "$work/$tarball")"
listing="$(tar -tzf "$work/$tarball")"
echo "package: $tarball, $size bytes, $(wc -l <<<"$listing") files"
for required in package/dist/cli.js package/dist/console/index.html package/schema.graphql package/README.md package/LICENSE; do
  grep -qx "$required" <<<"$listing" || { echo "package check: $required is missing from the tarball" >&2; exit 1; }
done
if grep -E '^package/(src|test|bench)/' <<<"$listing" >/dev/null; then
  echo "package check: sources or tests leaked into the tarball" >&2
  exit 1
fi

mkdir -p "$work/app"
(cd "$work/app" && npm init -y >/dev/null && npm install --omit=dev --no-audit --no-fund --loglevel=error "$work/$tarball" >/dev/null)
installed="$(du -sk "$work/app/node_modules" | cut -f1)"
echo "package: installed with production dependencies only: ${installed} KiB"
bin="$work/app/node_modules/.bin/kube-node-gateway"

"$bin" serve --simulate --host 127.0.0.1 --port 0 >"$work/serve.log" 2>&1 &
gateway_pid=$!
url=''
for _ in $(seq 1 150); do
  url="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$work/serve.log" | head -n 1 || true)"
  [[ -n "$url" ]] && curl -fsS "$url/readyz" >/dev/null 2>&1 && break
  kill -0 "$gateway_pid" 2>/dev/null || { cat "$work/serve.log" >&2; echo "package check: the installed bin exited" >&2; exit 1; }
  sleep 0.2
done
curl -fsS "$url/readyz" >/dev/null || { cat "$work/serve.log" >&2; echo "package check: /readyz never answered 200" >&2; exit 1; }
answer="$(curl -fsS -H 'content-type: application/json' -d '{"query":"{ clusters { name status nodeCount } }"}' "$url/graphql")"
echo "package: the installed bin serves $url: $answer"
curl -fsS "$url/console/" | grep -q '<div id="app">' || { echo "package check: /console/ does not serve the console" >&2; exit 1; }
kill "$gateway_pid"
wait "$gateway_pid" 2>/dev/null || true
gateway_pid=''

old_node="$(PATH="${PATH#"$node24_bin:"}" command -v node || true)"
if [[ -n "$old_node" ]] && ! "$old_node" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=19)?0:1)'; then
  set +e
  message="$("$old_node" "$work/app/node_modules/kube-node-gateway/dist/cli.js" serve 2>&1)"
  status=$?
  set -e
  echo "package: on Node $("$old_node" --version) the bin exits $status: $message"
  [[ $status -eq 2 && $(wc -l <<<"$message") -eq 1 ]] || { echo "package check: expected exit 2 with one line" >&2; exit 1; }
fi
echo "package check: ok"
