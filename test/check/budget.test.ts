// A declared cost budget (`# torchshape: budget=...` or [tool.torchshape.budget]) is a
// `budget` warning in `check` once the model grows past it, and `--fail-on
// error,budget` makes that stop a commit. The limits are set just below and just
// above the figures the analysis itself reports, so each case can fail both ways.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/analysis/analyze.js";
import { checkPaths } from "../../src/check/check.js";
import { BudgetError, parseBudget } from "../../src/compute/budget.js";
import { modelFlops } from "../../src/compute/flops.js";

const root = join(import.meta.dirname, "..", "..");
const cli = join(root, "bin", "torchshape.cjs");
const article = readFileSync(join(root, "fixtures", "models", "article_net.py"), "utf8");

/** The article's own figures, as the summary reports them. */
function articleFigures(): { params: number; flops: number } {
  const dir = mkdtempSync(join(tmpdir(), "ts-budget-"));
  writeFileSync(join(dir, "net.py"), article);
  const model = analyzeFile(join(dir, "net.py")).models[0];
  return { params: model.totalParams as number, flops: modelFlops(model) as number };
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "ts-budget-"));
  // a .git marks the project root, so no pyproject.toml above the temp folder is read
  mkdirSync(join(dir, ".git"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The article with more in the `# torchshape:` comment above its class (its input=1,3,32,32). */
function withClassComment(more: string): string {
  expect(article).toContain("# torchshape: input=1,3,32,32\nclass Net");
  return article.replace("# torchshape: input=1,3,32,32\n", `# torchshape: input=1,3,32,32 ${more}\n`);
}

describe("budget", () => {
  const { params, flops } = articleFigures();

  it("the article's figures are known numbers (the cases below rely on it)", () => {
    expect(params).toBeGreaterThan(1000);
    expect(flops).toBeGreaterThan(params);
  });

  it("a class comment's budget: a warning per figure over it, nothing for a figure under it", () => {
    const dir = project({ "net.py": withClassComment(`budget=params<=${params + 1},flops<=${flops - 1}`) });
    const result = checkPaths([join(dir, "net.py")]);
    const budget = result.diagnostics.filter((d) => d.code === "budget");
    expect(budget).toHaveLength(1);
    expect(budget[0].severity).toBe("warning");
    expect(budget[0].message).toMatch(/^Net: flops \S+ is over its budget flops<=\S+ \(its `# torchshape: budget=` comment\)/);
    expect(budget[0].location.span.line + 1).toBe(result.models[0].line);
  });

  it("exactly at the limit is within it", () => {
    const dir = project({ "net.py": withClassComment(`budget=params<=${params},flops<=${flops}`) });
    expect(checkPaths([join(dir, "net.py")]).diagnostics.filter((d) => d.code === "budget")).toEqual([]);
  });

  it("a comment at the top of the file is the budget of every model without its own", () => {
    const dir = project({ "net.py": `# torchshape: budget=params<=${params - 1}\n${article}` });
    const budget = checkPaths([join(dir, "net.py")]).diagnostics.filter((d) => d.code === "budget");
    expect(budget.map((d) => d.message)).toEqual([expect.stringMatching(/^Net: params \S+ is over its budget params<=\S+ \(the file's `# torchshape: budget=` comment\), by \d/)]);
  });

  it("[tool.torchshape.budget] by class name, and --fail-on error,budget turns it into exit 1", () => {
    const dir = project({ "net.py": article, "pyproject.toml": `[tool.torchshape.budget]\nNet = "flops<=${flops - 1}"\n` });
    const plain = spawnSync(process.execPath, [cli, "check", join(dir, "net.py")], { encoding: "utf8" });
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/warning\[budget\] Net: flops .* \(\[tool\.torchshape\.budget\] of .*pyproject\.toml\)/);
    const strict = spawnSync(process.execPath, [cli, "check", "--fail-on", "error,budget", join(dir, "net.py")], { encoding: "utf8" });
    expect(strict.status).toBe(1);
    const within = project({ "net.py": article, "pyproject.toml": `[tool.torchshape.budget]\nNet = "flops<=${flops}"\n` });
    expect(spawnSync(process.execPath, [cli, "check", "--fail-on", "error,budget", join(within, "net.py")], { encoding: "utf8" }).status).toBe(0);
  });

  it("a figure that depends on a symbolic batch is an info that says so, not a pass", () => {
    const symbolic = article.replace("# torchshape: input=1,3,32,32\n", "# torchshape: input=N,3,32,32 budget=flops<=1G\n");
    const dir = project({ "net.py": symbolic });
    const budget = checkPaths([join(dir, "net.py")]).diagnostics.filter((d) => d.code === "budget");
    expect(budget).toHaveLength(1);
    expect(budget[0].severity).toBe("info");
    expect(budget[0].message).toMatch(/flops is .*N.*depends on the input's sizes/);
  });

  it("bad budgets: a comment is an input-comment warning and the model is still checked; a config entry is a one-line error, exit 2", () => {
    const dir = project({ "net.py": withClassComment("budget=params<=lots") });
    const result = checkPaths([join(dir, "net.py")]);
    const unreadable = result.diagnostics.filter((d) => d.code === "input-comment");
    expect(unreadable.map((d) => d.message)).toEqual([expect.stringMatching(/malformed budget limit 'lots' for params/)]);
    expect(result.modelsChecked).toBe(1);
    const config = project({ "net.py": article, "pyproject.toml": `[tool.torchshape.budget]\nNet = "speed<=3"\n` });
    const run = spawnSync(process.execPath, [cli, "check", join(config, "net.py")], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/unknown budget figure 'speed'/);
    const flag = spawnSync(process.execPath, [cli, "check", "--fail-on", "errors", join(config, "net.py")], { encoding: "utf8" });
    expect(flag.status).toBe(2);
  });

  it("the budget grammar", () => {
    const b = parseBudget("params<=12M, flops<=4.2G,mult-adds<=3e9,memory<=200MB", "here");
    expect([...b.limits]).toEqual([["params", 12e6], ["flops", 4.2e9], ["mult-adds", 3e9], ["memory", 200e6]]);
    for (const bad of ["params=3", "params<=-1", "params<=3,params<=4", "params<=3X", ""]) expect(() => parseBudget(bad, "here"), bad).toThrow(BudgetError);
  });
});
