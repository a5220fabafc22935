// No false errors on real code: `check` over torchvision's whole models/ folder
// (its builders, and every nn.Module class that builds with its defaults) reports
// no error, and analyses every classification builder torchvision registers.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkPaths } from "../../src/check/check.js";
import { torchvisionFolder } from "../torchvisionSources.js";

describe("check on torchvision's models folder", () => {
  it("finds no shape error in any file", () => {
    const torchvision = torchvisionFolder();
    expect(torchvision, "torchvision's Python sources were not found: install python3-torchvision or run .ci/run (see test/torchvision.test.ts)").toBeDefined();
    const result = checkPaths([join(torchvision!, "models")]);
    expect(result.files.length).toBeGreaterThan(50);
    expect(result.modelsChecked).toBeGreaterThanOrEqual(80);
    expect(result.skipped).toEqual([]);
    const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.location.file}:${d.location.span.line + 1}: ${d.code} ${d.message}`);
    expect(errors).toEqual([]);

    // the classification builders: the functions models/*.py registers with @register_model()
    const models = join(torchvision!, "models");
    const registered = readdirSync(models)
      .filter((f) => f.endsWith(".py"))
      .flatMap((f) => [...readFileSync(join(models, f), "utf8").matchAll(/^@register_model\(\)\n(?:@.*\n)*def (\w+)\(/gm)].map((m) => `${f}:${m[1]}()`));
    expect(registered.length).toBe(80);
    const analysed = new Set(result.models.filter((m) => m.via === "factory").map((m) => `${m.file.slice(models.length + 1)}:${m.name}`));
    expect(registered.filter((b) => !analysed.has(b))).toEqual([]);
  }, 300_000);
});
