// No false errors on real code: `check` over torchvision's whole models/ folder
// (every nn.Module class that builds with its defaults) reports no error.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkPaths } from "../../src/check/check.js";

const root = join(import.meta.dirname, "..", "..");

/** torchvision's sources, found as test/torchvision.test.ts finds them. */
function torchvisionFolder(): string | undefined {
  const candidates = [process.env.TORCHSHAPE_TORCHVISION, "/usr/lib/python3/dist-packages/torchvision", join(root, ".cache", "torchvision", "usr", "lib", "python3", "dist-packages", "torchvision")];
  return candidates.find((c): c is string => !!c && existsSync(join(c, "models", "resnet.py")));
}

describe("check on torchvision's models folder", () => {
  it("finds no shape error in any file", () => {
    const torchvision = torchvisionFolder();
    expect(torchvision, "torchvision's Python sources were not found: install python3-torchvision or run .ci/run (see test/torchvision.test.ts)").toBeDefined();
    const result = checkPaths([join(torchvision!, "models")]);
    expect(result.files.length).toBeGreaterThan(50);
    expect(result.modelsChecked).toBeGreaterThan(10);
    expect(result.skipped).toEqual([]);
    const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.location.file}:${d.location.span.line + 1}: ${d.code} ${d.message}`);
    expect(errors).toEqual([]);
  }, 120_000);
});
