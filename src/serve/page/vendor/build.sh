#!/bin/sh
# Rebuild codemirror.js (the editor of kaohe's web workbench) from the
# npm registry: the packages pinned in package.json and package-lock.json,
# bundled by esbuild into one minified script that sets the global `CM`,
# and the licences of every package that ends up in it into LICENSES.txt.
# kaohe's own build never runs this: codemirror.js is committed, and
# src/serve/assets.rs embeds it. Needs node and npm.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npx esbuild entry.js --bundle --minify --format=iife --global-name=CM \
  --target=es2020 --legal-comments=none --charset=utf8 \
  --metafile=node_modules/.meta.json --outfile=codemirror.js
# The licences of the packages bundled (read from esbuild's metafile).
node -e '
const fs = require("fs"), path = require("path");
const meta = JSON.parse(fs.readFileSync("node_modules/.meta.json", "utf8"));
const pkgs = new Set();
for (const f of Object.keys(meta.inputs)) {
  const m = f.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) pkgs.add(m[1]);
}
let out = "Licences of the code bundled in codemirror.js (made by build.sh).\n" +
  "esbuild (MIT) bundles it and adds no code of its own beyond a few lines of module glue; its licence is the last one below.\n";
for (const p of [...pkgs].sort().concat(["esbuild"])) {
  const dir = path.join("node_modules", p);
  const pj = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const lic = fs.readdirSync(dir).find((n) => /^licen[cs]e/i.test(n));
  out += "\n==== " + p + " " + pj.version + " (" + pj.license + ") ====\n\n" +
    (lic ? fs.readFileSync(path.join(dir, lic), "utf8") : "(no licence file in the package)\n");
}
fs.writeFileSync("LICENSES.txt", out);
'
# The page's Content-Security-Policy allows no eval: the bundle must need none.
if grep -q -E '(^|[^.a-zA-Z_$])eval\(|new Function\(' codemirror.js; then
  echo "codemirror.js uses eval or new Function: the workbench's CSP forbids it" >&2
  exit 1
fi
ls -l codemirror.js LICENSES.txt
