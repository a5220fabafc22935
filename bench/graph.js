#!/usr/bin/env node
// Timings of `torchshape graph`: the analysis with the graph recorded, the view,
// and each drawing, for graphs from 180 to about 5,000 nodes (fixtures/models/deep_resnet.py
// built deeper: DeepResNet(n) has 6n + 2 layers), then the HTML page of the largest in
// headless Chromium (time to first paint, a click that folds a cluster, a wheel zoom).
// Usage: npm run bench:graph [-- --sizes 8,20,240 --no-chromium]
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { analyzeFile } = await import(join(root, "dist", "analysis", "analyze.js"));
const { graphView } = await import(join(root, "dist", "graph", "graphView.js"));
const { renderDot } = await import(join(root, "dist", "graph", "dot.js"));
const { renderSvg, graphvizMaxNodes } = await import(join(root, "dist", "graph", "svg.js"));
const { pageHtml } = await import(join(root, "dist", "graph", "html.js"));

const option = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const sizes = (option("--sizes") ?? "8,20,24,240").split(",").map(Number);
const file = join(root, "fixtures", "models", "deep_resnet.py");
const ms = (t0) => (performance.now() - t0).toFixed(0);

let largest;
for (const n of sizes) {
  let t = performance.now();
  const result = analyzeFile(file, { model: `DeepResNet(n=${n})`, inputs: [{ shape: [1, 3, 32, 32], dtype: "float32" }], graph: true });
  const analysis = ms(t);
  t = performance.now();
  const view = graphView(result.models[0], result.diagnostics, 9);
  const viewMs = ms(t);
  t = performance.now();
  renderDot(view);
  const dotMs = ms(t);
  t = performance.now();
  const svg = await renderSvg(view);
  const svgMs = ms(t);
  t = performance.now();
  const html = pageHtml(view, svg);
  const htmlMs = ms(t);
  const drawnBy = view.nodes.length > graphvizMaxNodes ? "own layered layout" : "Graphviz (wasm)";
  console.log(`DeepResNet(n=${n}): ${view.nodes.length} nodes, ${view.edges.length} edges, ${view.clusters.length} clusters; analysis ${analysis} ms, view ${viewMs} ms, dot ${dotMs} ms, svg ${svgMs} ms (${drawnBy}, ${(svg.length / 1e6).toFixed(2)} MB), html ${htmlMs} ms`);
  largest = { n, view, html };
}

// the whole command, a fresh process, as a user runs it
const out = join(mkdtempSync(join(tmpdir(), "torchshape-bench-")), "graph.svg");
let t = performance.now();
const cli = spawnSync(process.execPath, [join(root, "bin", "torchshape.cjs"), "graph", file, "--model", `DeepResNet(n=${largest.n})`, "--input", "1,3,32,32", "--depth", "9", "--format", "svg", "-o", out], { encoding: "utf8" });
if (cli.status !== 0) throw new Error(cli.stderr);
console.log(`CLI, cold, --format svg for DeepResNet(n=${largest.n}): ${ms(t)} ms`);

const chromiumPath = process.env.TORCHSHAPE_CHROMIUM ?? "/usr/bin/chromium";
if (!process.argv.includes("--no-chromium") && existsSync(chromiumPath)) {
  const { chromium } = await import("playwright-core");
  const page_ = join(mkdtempSync(join(tmpdir(), "torchshape-bench-")), "graph.html");
  writeFileSync(page_, largest.html);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-gpu"] });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  t = performance.now();
  await page.goto(`file://${page_}`, { waitUntil: "load" });
  const loaded = ms(t);
  const paint = await page.evaluate(() => performance.getEntriesByType("paint").map((p) => `${p.name} ${p.startTime.toFixed(0)} ms`).join(", "));
  const cluster = largest.view.clusters.find((c) => c.depth === 1);
  const afterFrames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const fold = await page.evaluate(async ([id, frames]) => {
    const frame = new Function(`return (${frames})`)();
    const times = [];
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      document.querySelector(`[id="${id}"] > text`).dispatchEvent(new MouseEvent("click", { bubbles: true }));
      await frame();
      times.push(performance.now() - t0);
    }
    return times.map((x) => x.toFixed(0));
  }, [cluster.id, afterFrames.toString()]);
  const zoom = await page.evaluate(async (frames) => {
    const frame = new Function(`return (${frames})`)();
    const svg = document.querySelector("#canvas svg");
    const t0 = performance.now();
    svg.dispatchEvent(new WheelEvent("wheel", { deltaY: -100, clientX: 400, clientY: 300, bubbles: true, cancelable: true }));
    await frame();
    return (performance.now() - t0).toFixed(0);
  }, afterFrames.toString());
  console.log(`Chromium, HTML of ${largest.view.nodes.length} nodes (${(largest.html.length / 1e6).toFixed(2)} MB): load ${loaded} ms (${paint}); click on ${cluster.name} folds in ${fold[0]} ms, unfolds in ${fold[1]} ms (to the second frame after); a wheel zoom ${zoom} ms`);
  await browser.close();
}
