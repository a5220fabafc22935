// The pictures as a person sees them, in a real headless Chromium (Debian's
// /usr/bin/chromium, which .ci/run installs; without it these tests fail, never
// skip): the HTML page shows the graph, a click on a cluster folds it, hovering
// shows a node's row; the Mermaid text parses and renders with the real mermaid.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { XMLValidator } from "fast-xml-parser";
import { analyzeFile } from "../../src/analysis/analyze.js";
import { graphView, type GraphView } from "../../src/graph/graphView.js";
import { renderMermaid } from "../../src/graph/mermaid.js";
import { renderSvg } from "../../src/graph/svg.js";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "torchshape.cjs");
const models = join(root, "fixtures", "models");
const chromiumPath = process.env.TORCHSHAPE_CHROMIUM ?? "/usr/bin/chromium";

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let browser: Browser;

beforeAll(async () => {
  expect(existsSync(chromiumPath), `Chromium at ${chromiumPath} (apt-get install chromium, as .ci/run does)`).toBe(true);
  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-gpu"] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** The share of a screenshot's pixels that are not (nearly) white, counted in the page itself from the PNG. */
async function inkedShare(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (data) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext("2d")!;
    ctx.drawImage(img, 0, 0);
    const pixels = ctx.getImageData(0, 0, img.width, img.height).data;
    let inked = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 235 || pixels[i + 1] < 235 || pixels[i + 2] < 235) inked++;
    return inked / (pixels.length / 4);
  }, png.toString("base64"));
}

describe("the HTML page in Chromium", () => {
  let page: Page;
  let view: GraphView;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "torchshape-graph-"));
    const html = join(dir, "resnet.html");
    const file = join(models, "resnet_basic.py");
    expect(run("graph", file, "--model", "ResNetCifar", "--depth", "3", "--format", "html", "-o", html).code).toBe(0);
    view = (JSON.parse(run("graph", file, "--model", "ResNetCifar", "--depth", "3", "--format", "json").stdout) as { graphs: GraphView[] }).graphs[0];
    page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pathToFileURL(html).href);
    await page.waitForSelector("#canvas svg g.node");
    expect(errors).toEqual([]);
  }, 60_000);

  afterAll(async () => {
    await page?.close();
  });

  it("shows the graph, not a blank page", async () => {
    const png = await page.screenshot();
    const share = await inkedShare(page, png);
    // the page is mostly white background; the drawing inks a few percent of it
    expect(share).toBeGreaterThan(0.01);
    expect(await page.locator("#canvas svg g.node").count()).toBe(view.nodes.length);
    expect(await page.locator("#canvas svg g.edge").count()).toBe(view.edges.length);
  });

  it("a click on a cluster folds it, a second click unfolds it", async () => {
    // the page opens at the top of this tall graph, where layer1 is
    const cluster = view.clusters.find((c) => c.name === "layer1")!;
    const inside = view.nodes.filter((n) => n.cluster !== null && [n.cluster, view.clusters.find((c) => c.id === n.cluster)?.parent].includes(cluster.id));
    expect(inside.length).toBeGreaterThan(5);
    const visible = (id: string) => page.locator(`[id="${id}"]`).isVisible();
    expect(await visible(inside[0].id)).toBe(true);
    await page.click(`[id="${cluster.id}"] > text`);
    for (const n of inside) expect(await visible(n.id)).toBe(false);
    expect(await page.locator(`[id="${cluster.id}"]`).getAttribute("class")).toContain("folded");
    // nodes outside stay
    const outside = view.nodes.find((n) => n.name === "conv1")!;
    expect(await visible(outside.id)).toBe(true);
    const png = await page.screenshot();
    expect(await inkedShare(page, png)).toBeGreaterThan(0.005);
    await page.click(`[id="${cluster.id}"] > text`);
    for (const n of inside) expect(await visible(n.id)).toBe(true);
  });

  it("hovering a node shows its row: params, shapes, file:line", async () => {
    const conv = view.nodes.find((n) => n.name === "layer1.0.conv1")!;
    await page.hover(`[id="${conv.id}"]`);
    const info = await page.locator("#info").innerText();
    expect(info).toContain("layer1.0.conv1: Conv2d(16→16, k3)");
    expect(info).toContain(`params: ${conv.params!.toLocaleString("en-US")}`);
    expect(conv.params).toBe(2304);
    expect(info).toContain("input: [2, 16, 32, 32]");
    expect(info).toContain("output: [2, 16, 32, 32]");
    expect(info).toMatch(/defined: fixtures\/models\/resnet_basic\.py:\d+/);
  });

  it("a check error is a red edge whose hover gives the message", async () => {
    const dir = mkdtempSync(join(tmpdir(), "torchshape-graph-"));
    const html = join(dir, "buggy.html");
    expect(run("graph", join(root, "fixtures", "buggy", "article_view_28.py"), "--format", "html", "-o", html).code).toBe(1);
    const buggy = await browser.newPage();
    await buggy.goto(pathToFileURL(html).href);
    const red = buggy.locator("g.edge.error");
    expect(await red.count()).toBe(1);
    expect(await red.locator("path").getAttribute("stroke")).toBe("#d00000");
    await red.locator("text").hover();
    expect(await buggy.locator("#info").innerText()).toMatch(/error: .*view/);
    await buggy.close();
  });
});

describe("the HTML page of a graph too large for Graphviz", () => {
  it("is drawn by the layered layout, and a click on a cluster folds it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "torchshape-graph-"));
    const html = join(dir, "deep.html");
    const args = ["graph", join(models, "deep_resnet.py"), "--model", "DeepResNet(n=32)", "--input", "1,3,32,32", "--depth", "9"];
    expect(run(...args, "--format", "html", "-o", html).code).toBe(0);
    const view = (JSON.parse(run(...args, "--format", "json").stdout) as { graphs: GraphView[] }).graphs[0];
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(pathToFileURL(html).href);
    await page.waitForSelector("#canvas svg g.node");
    expect(await page.locator("#canvas svg g.node").count()).toBe(view.nodes.length);
    expect(await inkedShare(page, await page.screenshot())).toBeGreaterThan(0.005);
    const block = view.clusters.find((c) => c.name === "layer1.0")!;
    const inside = view.nodes.filter((n) => n.cluster === block.id);
    expect(inside.map((n) => n.name)).toContain("layer1.0.conv1");
    await page.locator(`[id="${block.id}"] > text`).dispatchEvent("click");
    for (const n of inside) expect(await page.locator(`[id="${n.id}"]`).isVisible()).toBe(false);
    await page.locator(`[id="${block.id}"] > text`).dispatchEvent("click");
    for (const n of inside) expect(await page.locator(`[id="${n.id}"]`).isVisible()).toBe(true);
    await page.close();
  }, 60_000);
});

describe("Mermaid text in the real mermaid", () => {
  it("parses and renders the article, a UNet with clusters and a red error edge", async () => {
    const page = await browser.newPage();
    await page.setContent("<!DOCTYPE html><html><body></body></html>");
    await page.addScriptTag({ content: readFileSync(join(root, "node_modules", "mermaid", "dist", "mermaid.min.js"), "utf8") });
    const cases = [
      { args: [join(models, "article_net.py")], nodes: 12, shown: "conv1: Conv2d(3→16, k3)" },
      { args: [join(models, "unet.py"), "--model", "UNet", "--depth", "2"], shown: "[1, 64, 8, 8]" },
      { args: [join(root, "fixtures", "buggy", "article_view_28.py")], nodes: 12, shown: "[4, 8, 7, 7]" },
    ];
    for (const c of cases) {
      const text = run("graph", ...c.args).stdout;
      const rendered = await page.evaluate(async (source) => {
        const mermaid = (window as unknown as { mermaid: { initialize(o: object): void; parse(t: string): Promise<unknown>; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
        mermaid.initialize({ startOnLoad: false });
        await mermaid.parse(source);
        const { svg } = await mermaid.render(`g${Math.random().toString(36).slice(2)}`, source);
        const holder = document.createElement("div");
        holder.innerHTML = svg;
        document.body.replaceChildren(holder);
        return { nodes: holder.querySelectorAll("g.node").length, clusters: holder.querySelectorAll("g.cluster").length, text: holder.textContent ?? "" };
      }, text);
      const ids = new Set([...text.matchAll(/^ {2,}([nm]\d+)[[(]/gm)].map((m) => m[1]));
      expect(rendered.nodes).toBe(ids.size);
      if (c.nodes !== undefined) expect(rendered.nodes).toBe(c.nodes);
      expect(rendered.clusters).toBe([...text.matchAll(/subgraph /g)].length);
      expect(rendered.text).toContain(c.shown);
    }
    await page.close();
  }, 60_000);
});

describe("every fixture's graph", () => {
  it("draws as well-formed SVG and as Mermaid that mermaid parses, for every model of fixtures/models and fixtures/buggy", async () => {
    const page = await browser.newPage();
    await page.setContent("<!DOCTYPE html><html><body></body></html>");
    await page.addScriptTag({ content: readFileSync(join(root, "node_modules", "mermaid", "dist", "mermaid.min.js"), "utf8") });
    await page.evaluate(() => (window as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({ startOnLoad: false }));
    const failures: string[] = [];
    let drawn = 0;
    for (const dir of ["models", "buggy"]) {
      for (const name of readdirSync(join(root, "fixtures", dir)).filter((f) => f.endsWith(".py"))) {
        const file = join(root, "fixtures", dir, name);
        const result = analyzeFile(file, { graph: true, allowNoModels: true });
        for (const model of result.models) {
          const view = graphView(model, result.diagnostics, 3);
          drawn++;
          if (XMLValidator.validate(await renderSvg(view)) !== true) failures.push(`${dir}/${name} ${model.name}: SVG not well-formed`);
          const parsed = await page.evaluate(async (text) => {
            try {
              await (window as unknown as { mermaid: { parse(t: string): Promise<unknown> } }).mermaid.parse(text);
              return "ok";
            } catch (e) {
              return String(e).slice(0, 300);
            }
          }, renderMermaid(view));
          if (parsed !== "ok") failures.push(`${dir}/${name} ${model.name}: ${parsed}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(drawn).toBeGreaterThan(150);
    await page.close();
  }, 120_000);
});
