#!/usr/bin/env node
// The false-error sweep: `torchshape check` over whole library model folders
// (torchvision, timm, torchaudio, transformers). Library code is correct by
// definition, so every error listed is a bug of ours, and every warning that says
// the analysis could not follow the library's code is a gap of ours. Run locally,
// never in CI: the libraries are not part of the repository.
//
//   node scripts/sweep_false_errors.mjs [--json out.json] [--only timm,torchvision] [--quiet]
//
// Where the libraries are (each skipped, and said so, when missing):
//   torchvision  $SWEEP_TORCHVISION, else /usr/lib/python3/dist-packages/torchvision (Debian python3-torchvision)
//   torchaudio   $SWEEP_TORCHAUDIO, else /usr/lib/python3/dist-packages/torchaudio (Debian python3-torchaudio)
//   timm         $SWEEP_TIMM, else /work/ext/timm-*/timm (an extracted release)
//   transformers $SWEEP_TRANSFORMERS, else /work/ext/*transformers*/**/transformers (an extracted release);
//                the folders of its dependencies extracted beside it (/work/ext/huggingface_hub-*, /work/ext/hf-stubs)
//                go on the search path too
// $SWEEP_SEARCH_PATHS (':'-separated) adds search paths for every library.
// Exit code: 1 when any library has an error, else 0.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "bin", "torchshape.cjs");
const ext = "/work/ext";
const distPackages = "/usr/lib/python3/dist-packages";

/** The first folder under `base` (breadth first, a few levels) named `name` that has a models/ folder. */
function findPackage(base, name, depth = 4) {
  if (!existsSync(base) || depth < 0) return undefined;
  let entries;
  try {
    entries = readdirSync(base, { withFileTypes: true }).filter((e) => e.isDirectory());
  } catch {
    return undefined;
  }
  const direct = entries.find((e) => e.name === name && existsSync(join(base, e.name, "models")));
  if (direct) return join(base, direct.name);
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const found = findPackage(join(base, e.name), name, depth - 1);
    if (found) return found;
  }
  return undefined;
}

function extracted(prefix, name) {
  if (!existsSync(ext)) return undefined;
  for (const dir of readdirSync(ext).filter((d) => d.includes(prefix)).sort()) {
    const found = findPackage(join(ext, dir), name);
    if (found) return found;
  }
  return undefined;
}

/** Folders of /work/ext whose names start with one of `prefixes`. */
function besideInExt(prefixes) {
  if (!existsSync(ext)) return [];
  return readdirSync(ext)
    .filter((d) => prefixes.some((p) => d.startsWith(p)))
    .map((d) => join(ext, d));
}

/** name → the package folder (its models/ is checked, its parent goes on the search path). */
function libraries() {
  const pick = (env, fallback) => (process.env[env] ? resolve(process.env[env]) : fallback());
  return [
    { name: "torchvision", pkg: pick("SWEEP_TORCHVISION", () => join(distPackages, "torchvision")) },
    { name: "timm", pkg: pick("SWEEP_TIMM", () => extracted("timm", "timm")) },
    { name: "torchaudio", pkg: pick("SWEEP_TORCHAUDIO", () => join(distPackages, "torchaudio")) },
    { name: "transformers", pkg: pick("SWEEP_TRANSFORMERS", () => extracted("transformers", "transformers")), dependencies: besideInExt(["huggingface_hub", "hf-stubs"]) },
  ];
}

/**
 * A warning that is our gap, not the user's: the analysis could not follow the
 * library's own code (an evaluator gap surfacing as a Python exception).
 */
function isOurGap(d) {
  if (d.code === "analysis-gap") return true;
  return d.code === "build-error" && d.severity === "warning";
}

function sweep(lib) {
  const models = join(lib.pkg, "models");
  const started = Date.now();
  const searchPaths = [dirname(lib.pkg), ...(lib.dependencies ?? []), ...(process.env.SWEEP_SEARCH_PATHS?.split(":").filter(Boolean) ?? [])];
  const run = spawnSync(process.execPath, [cli, "check", models, ...searchPaths.flatMap((p) => ["--search-path", p]), "--format", "json"], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (Date.now() - started) / 1000;
  if (run.status === 2 || !run.stdout) return { ...lib, failed: (run.stderr || `exit ${run.status}`).trim().split("\n")[0], seconds };
  const result = JSON.parse(run.stdout);
  const at = (file) => relative(dirname(lib.pkg), file);
  const diagnostics = result.diagnostics.map((d) => ({
    severity: d.severity,
    code: d.code,
    where: `${at(d.file)}:${d.line}`,
    model: d.model,
    message: d.message,
    related: (d.related ?? []).map((r) => `${at(r.file)}:${r.line}`),
    ourGap: isOurGap(d),
  }));
  return {
    ...lib,
    seconds,
    files: result.files.length,
    modelsChecked: result.models_checked,
    errors: diagnostics.filter((d) => d.severity === "error").length,
    warnings: diagnostics.filter((d) => d.severity === "warning").length,
    ourGaps: diagnostics.filter((d) => d.ourGap).length,
    notChecked: result.not_checked.map((n) => ({ where: `${at(resolve(n.file))}${n.line ? `:${n.line}` : ""}`, reason: n.reason })),
    diagnostics,
  };
}

function main(argv) {
  const option = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = option("--only")?.split(",");
  const quiet = argv.includes("--quiet");
  const results = [];
  for (const lib of libraries()) {
    if (only && !only.includes(lib.name)) continue;
    if (!lib.pkg || !existsSync(join(lib.pkg, "models")) || !statSync(join(lib.pkg, "models")).isDirectory()) {
      console.log(`== ${lib.name}: skipped, not found${lib.pkg ? ` (${lib.pkg}/models)` : ""}`);
      results.push({ name: lib.name, skipped: true });
      continue;
    }
    const r = sweep(lib);
    results.push(r);
    if (r.failed) {
      console.log(`== ${lib.name}: check failed: ${r.failed}`);
      continue;
    }
    console.log(`== ${lib.name} (${join(lib.pkg, "models")}), ${r.seconds.toFixed(1)} s`);
    if (!quiet) {
      for (const d of r.diagnostics) {
        const tag = d.ourGap ? " [our gap]" : "";
        const related = d.related.length ? ` (via ${d.related.join(", ")})` : "";
        console.log(`  ${d.severity} ${d.code}${tag} ${d.where}${related}: ${d.message}`);
      }
      for (const n of r.notChecked) console.log(`  not checked ${n.where}: ${n.reason}`);
    }
  }
  console.log("");
  console.log("library        files  models  errors  warnings  our-gap  not-checked");
  for (const r of results) {
    if (r.skipped || r.failed) {
      console.log(`${r.name.padEnd(13)}  ${r.skipped ? "skipped (not found)" : "check failed"}`);
      continue;
    }
    const cells = [r.files, r.modelsChecked, r.errors, r.warnings, r.ourGaps, r.notChecked.length];
    console.log(`${r.name.padEnd(13)}${cells.map((c, i) => String(c).padStart([7, 8, 8, 10, 9, 13][i])).join("")}`);
  }
  const out = option("--json");
  if (out) writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  return results.some((r) => r.errors > 0 || r.failed) ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
