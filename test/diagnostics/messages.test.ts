// The message registry: every diagnostic code has a template and every template
// a registered code; templates are well formed and every one is used by a rule.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diagnosticCodes } from "../../src/diagnostics/codes.js";
import { clauseMessages, diagnosticMessages, fixMessages, Message, relatedMessages } from "../../src/diagnostics/messages.js";
import { fillTemplate, placeholdersOf } from "../../src/diagnostics/template.js";

const srcDir = join(import.meta.dirname, "..", "..", "src");

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourcesUnder(full) : name.endsWith(".ts") ? [readFileSync(full, "utf8")] : [];
  });
}

const allSource = sourcesUnder(srcDir).join("\n");

describe("diagnostic message registry", () => {
  it("has a template for every code", () => {
    const covered = new Set(Object.values(diagnosticMessages).map((m) => m.code));
    const missing = Object.keys(diagnosticCodes).filter((code) => !covered.has(code as keyof typeof diagnosticCodes));
    expect(missing).toEqual([]);
  });

  it("names a registered code in every template", () => {
    const unknown = Object.entries(diagnosticMessages).filter(([, m]) => !Object.hasOwn(diagnosticCodes, m.code));
    expect(unknown.map(([id]) => id)).toEqual([]);
  });

  it("writes every placeholder as {name}, with no stray braces", () => {
    const templates = [...Object.values(diagnosticMessages).map((m) => m.template), ...Object.values(relatedMessages), ...Object.values(clauseMessages), ...Object.values(fixMessages)];
    for (const template of templates) {
      const withoutPlaceholders = template.replace(/\{\w+\}/g, "");
      expect(withoutPlaceholders, template).not.toMatch(/[{}]/);
    }
  });

  it("fills a template from its named parameters, and refuses a missing one", () => {
    const filled = Message.linearInFeatures({ layer: "fc1 = nn.Linear(512, 32)", expected: 512, tensor: "x", actual: "392" });
    expect(filled).toEqual({ id: "linearInFeatures", code: "linear-in-features", text: "fc1 = nn.Linear(512, 32) expects 512 input features, but x has 392" });
    expect(placeholdersOf(diagnosticMessages.linearInFeatures.template)).toEqual(["layer", "expected", "tensor", "actual"]);
    expect(() => fillTemplate("{a} and {b}", { a: 1 })).toThrow(/'b'/);
  });

  it("uses every template somewhere in the rules", () => {
    const unused = [
      ...Object.keys(diagnosticMessages).filter((id) => !allSource.includes(`Message.${id}(`)),
      ...Object.keys(relatedMessages).filter((id) => !allSource.includes(`Related.${id}(`)),
      ...Object.keys(clauseMessages).filter((id) => !allSource.includes(`Clause.${id}(`)),
      ...Object.keys(fixMessages).filter((id) => !allSource.includes(`Fix.${id}(`)),
    ];
    expect(unused).toEqual([]);
  });

  it("leaves no rule reporting free text", () => {
    expect(allSource).not.toMatch(/\.report\(\s*["'`]/);
  });
});
