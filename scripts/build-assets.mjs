#!/usr/bin/env node
// Copies the built front-end files that Open Veiligheid serves from npm packages into the
// Django static tree (committed, so running the product needs no Node), and axe-core into
// tests/browser/vendor for the browser tests. Plain node, fs only: run `make assets`
// (npm ci + this script) after changing package.json.
//
// Layout written (the vendor folder is wiped first, so it only ever holds what is listed here):
//   src/openveiligheid/core/static/vendor/
//     htmx.min.js, htmx.LICENSE.txt
//     utrecht/component-library.css, utrecht/component-library.LICENSE.md
//     voorbeeld/design-tokens.css (theme class: .voorbeeld-theme), voorbeeld/design-tokens.LICENSE.md
//     noto-sans/noto-sans.css, noto-sans/noto-sans-latin-wght-normal.woff2, noto-sans/LICENSE.txt
//     noto-serif/noto-serif.css, noto-serif/noto-serif-latin-wght-normal.woff2, noto-serif/LICENSE.txt
//     VERSIONS.txt (package, version and licence of every vendored file)
//   tests/browser/vendor/axe.min.js, axe.LICENSE.txt

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const modules = path.join(root, "node_modules");
const staticVendor = path.join(root, "src", "openveiligheid", "core", "static", "vendor");
const testVendor = path.join(root, "tests", "browser", "vendor");

// Lower bounds catch an empty or truncated copy; upper bounds catch copying the wrong
// (e.g. unminified or source-map-laden) file.
const KB = 1024;
const copies = [
  {
    pkg: "htmx.org",
    files: [
      ["dist/htmx.min.js", "htmx.min.js", [30 * KB, 120 * KB]],
      ["LICENSE", "htmx.LICENSE.txt"],
    ],
    dest: staticVendor,
  },
  {
    pkg: "@utrecht/component-library-css",
    files: [
      ["dist/index.css", "utrecht/component-library.css", [100 * KB, 1024 * KB]],
      ["LICENSE.md", "utrecht/component-library.LICENSE.md"],
    ],
    dest: staticVendor,
  },
  {
    // The open NL Design System example theme (EUPL-1.2). Not @utrecht/design-tokens: those are
    // Gemeente Utrecht's proprietary house style and may not be shipped by other municipalities.
    // theme.css scopes every token to the `.voorbeeld-theme` class (set on <body>).
    pkg: "@nl-design-system-unstable/voorbeeld-design-tokens",
    files: [
      ["dist/theme.css", "voorbeeld/design-tokens.css", [30 * KB, 512 * KB]],
      ["LICENSE.md", "voorbeeld/design-tokens.LICENSE.md"],
    ],
    dest: staticVendor,
  },
  {
    // The typeface the example tokens name ('Noto Sans'); the variable-weight Latin subset covers
    // Dutch and English with one file. Served locally: no font CDN.
    pkg: "@fontsource-variable/noto-sans",
    files: [
      [
        "files/noto-sans-latin-wght-normal.woff2",
        "noto-sans/noto-sans-latin-wght-normal.woff2",
        [10 * KB, 200 * KB],
      ],
      ["LICENSE", "noto-sans/LICENSE.txt"],
    ],
    dest: staticVendor,
  },
  {
    // The heading typeface the example tokens name ('Noto Serif', --basis-heading-font-family).
    pkg: "@fontsource-variable/noto-serif",
    files: [
      [
        "files/noto-serif-latin-wght-normal.woff2",
        "noto-serif/noto-serif-latin-wght-normal.woff2",
        [10 * KB, 200 * KB],
      ],
      ["LICENSE", "noto-serif/LICENSE.txt"],
    ],
    dest: staticVendor,
  },
  {
    pkg: "axe-core",
    files: [
      ["axe.min.js", "axe.min.js", [200 * KB, 2048 * KB]],
      ["LICENSE", "axe.LICENSE.txt"],
    ],
    dest: testVendor,
  },
];

// Declared under the family names the tokens use ('Noto Sans' in --basis-text-font-family-default,
// 'Noto Serif' in --basis-heading-font-family), so the tokens pick up the local files as they are.
function fontCss(family, slug, pkg) {
  return `/* ${family} (variable weight), Latin subset, from ${pkg}. SIL OFL 1.1, see LICENSE.txt. */
@font-face {
  font-family: "${family}";
  font-style: normal;
  font-display: swap;
  font-weight: 100 900;
  src: url("${slug}-latin-wght-normal.woff2") format("woff2-variations"),
    url("${slug}-latin-wght-normal.woff2") format("woff2");
  unicode-range: U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304,
    U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD;
}
`;
}
const FONTS = [
  ["Noto Sans", "noto-sans", "@fontsource-variable/noto-sans", /--basis-text-font-family-default:\s*['"]Noto Sans['"]/],
  ["Noto Serif", "noto-serif", "@fontsource-variable/noto-serif", /--basis-heading-font-family:\s*['"]Noto Serif['"]/],
];

function fail(message) {
  console.error(`build-assets: ${message}`);
  process.exit(1);
}

function readPackageJson(pkg) {
  const file = path.join(modules, pkg, "package.json");
  if (!fs.existsSync(file)) fail(`${pkg} is not installed: run \`npm ci\` first`);
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

function human(bytes) {
  return bytes >= KB * KB ? `${(bytes / KB / KB).toFixed(2)} MiB` : `${(bytes / KB).toFixed(1)} KiB`;
}

fs.rmSync(staticVendor, { recursive: true, force: true });
fs.rmSync(testVendor, { recursive: true, force: true });

const versions = [];
for (const { pkg, files, dest } of copies) {
  const meta = readPackageJson(pkg);
  for (const [from, to, bounds] of files) {
    const source = path.join(modules, pkg, from);
    if (!fs.existsSync(source)) fail(`${pkg}@${meta.version} has no ${from}`);
    const target = path.join(dest, to);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(source, target);
    const size = fs.statSync(target).size;
    if (bounds && (size < bounds[0] || size > bounds[1])) {
      fail(`${path.relative(root, target)} is ${human(size)}, outside ${human(bounds[0])}..${human(bounds[1])}`);
    }
    console.log(`${path.relative(root, target).padEnd(72)} ${human(size).padStart(11)}  ${pkg}@${meta.version}`);
    if (dest === staticVendor) versions.push(`${to}\t${pkg}@${meta.version}\t${meta.license}`);
  }
}

// Sanity checks on content, not just size.
const tokens = fs.readFileSync(path.join(staticVendor, "voorbeeld/design-tokens.css"), "utf8");
if (!tokens.includes(".voorbeeld-theme {")) fail("design tokens no longer use the .voorbeeld-theme class: update base.html");
for (const [family, , , declared] of FONTS) {
  if (!declared.test(tokens)) fail(`design tokens no longer name '${family}' where expected: update FONTS and the vendored fonts`);
}
const components = fs.readFileSync(path.join(staticVendor, "utrecht/component-library.css"), "utf8");
for (const cls of [".utrecht-page-header", ".utrecht-form-field", ".utrecht-textbox", ".utrecht-status-badge", ".utrecht-table"]) {
  if (!components.includes(cls)) fail(`component library CSS lacks ${cls}`);
}
// ManifestStaticFilesStorage rewrites url()/sourceMappingURL references and fails on missing
// files: the vendored CSS may only reference data: URIs.
const urls = [...(components + tokens).matchAll(/url\(\s*["']?([^"')]+)/g)].map((m) => m[1]).filter((u) => !u.startsWith("data:"));
if (urls.length) fail(`vendored CSS references files that are not vendored: ${urls.join(", ")}`);

for (const [family, slug, pkg] of FONTS) {
  fs.writeFileSync(path.join(staticVendor, `${slug}/${slug}.css`), fontCss(family, slug, pkg));
  versions.push(`${slug}/${slug}.css\tgenerated by scripts/build-assets.mjs\tOFL-1.1`);
}
fs.writeFileSync(
  path.join(staticVendor, "VERSIONS.txt"),
  "# Generated by scripts/build-assets.mjs (`make assets`); do not edit the files in this folder.\n" +
    "# file\tpackage@version\tlicence\n" +
    versions.join("\n") +
    "\n",
);
console.log("build-assets: done");
