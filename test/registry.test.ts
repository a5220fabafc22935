// The registries list every family file, and every rule is well formed.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { layerFamilies, layerRules } from "../src/layers/index.js";
import { opFamilies, opRules } from "../src/layers/ops/index.js";
import { parseSignature } from "../src/layers/signature.js";

const layersDir = join(import.meta.dirname, "..", "src", "layers");
/** files in src/layers that are infrastructure, not a family of rules */
const infrastructure = new Set(["index.ts", "rule.ts", "signature.ts", "signatureText.ts", "common.ts", "describe.ts", "expectSize.ts", "flops.ts"]);
const opInfrastructure = new Set(["index.ts", "support.ts", "constantValues.ts"]);

function families(dir: string, skip: Set<string>): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !skip.has(f))
    .map((f) => f.replace(/\.ts$/, ""))
    .sort();
}

describe("layer registry", () => {
  it("lists exactly the family files of src/layers", () => {
    expect(Object.keys(layerFamilies).sort()).toEqual(families(layersDir, infrastructure));
  });
  it("has one rule per torch.nn class name", () => {
    const count = Object.values(layerFamilies).reduce((n, rules) => n + rules.length, 0);
    expect(layerRules.size).toBe(count);
  });
  it("parses every constructor and forward signature", () => {
    for (const rule of layerRules.values()) {
      expect(() => parseSignature(rule.signature), rule.type).not.toThrow();
      expect(() => parseSignature(rule.forwardSignature ?? "input"), rule.type).not.toThrow();
    }
  });
  it("names an existing class in every Lazy rule's `becomes`", () => {
    for (const rule of layerRules.values()) if (rule.becomes) expect(layerRules.has(rule.becomes), rule.type).toBe(true);
  });
});

describe("op registry", () => {
  it("lists exactly the family files of src/layers/ops", () => {
    expect(Object.keys(opFamilies).sort()).toEqual(families(join(layersDir, "ops"), opInfrastructure));
  });
  it("gives every name to one rule only", () => {
    const names = Object.values(opFamilies).flatMap((rules) => rules.flatMap((r) => r.names));
    expect(new Set(names).size).toBe(names.length);
    expect(opRules.size).toBe(names.length);
  });
  it("parses every signature and qualifies every name", () => {
    for (const [name, rule] of opRules) {
      expect(name).toMatch(/^(torch\.|Tensor\.)/);
      expect(() => parseSignature(rule.signature), name).not.toThrow();
    }
  });
});
