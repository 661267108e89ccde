// Builds the page into app/static: a minified ES module bundle and a stylesheet, each named
// by a hash of its content, and index.html pointing at them. No timestamps or absolute
// paths reach the output, so the same sources and lockfile give the same bytes.
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, "..", "app", "static");

async function cleanOutput() {
  await mkdir(outdir, { recursive: true });
  for (const name of await readdir(outdir)) {
    await rm(join(outdir, name), { recursive: true, force: true });
  }
}

function builtName(metafile, entry) {
  for (const [output, info] of Object.entries(metafile.outputs)) {
    if (info.entryPoint === entry) return relative(outdir, join(here, output));
  }
  throw new Error(`esbuild produced nothing for ${entry}`);
}

await cleanOutput();
const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: ["src/app.js", "src/app.css"],
  bundle: true,
  minify: true,
  format: "esm",
  target: ["chrome120", "firefox120", "safari17"],
  entryNames: "[name]-[hash]",
  outdir,
  metafile: true,
  legalComments: "eof",
  charset: "utf8",
  logLevel: "warning",
});
const template = await readFile(join(here, "src", "index.html"), "utf8");
const page = template
  .replace("{{script}}", builtName(result.metafile, "src/app.js"))
  .replace("{{stylesheet}}", builtName(result.metafile, "src/app.css"));
await writeFile(join(outdir, "index.html"), page);
await copyFile(join(here, "src", "favicon.svg"), join(outdir, "favicon.svg"));
console.log(`built ${Object.keys(result.metafile.outputs).length} files into app/static`);
