// The language server reads each edit's text as it arrives (DocumentAnalysisCache.readAhead),
// and the analysis after typing pauses starts from that syntax. Read ahead or not, a
// document's analysis is the same at every step of a sequence of edits, bursts of edits
// read ahead one after another, edits that bring a syntax error in and out, and a text
// analysed that is not the one read last; the syntax read ahead is the one analysed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DocumentAnalysisCache, type DocumentAnalysis } from "../../src/lsp/documentAnalysis.js";
import { noSettings } from "../../src/lsp/settings.js";
import { EditedDocument } from "../../src/parse/editedDocument.js";
import { readAhead, readEditedText, readText } from "../../src/analysis/editedText.js";

const fixtures = join(import.meta.dirname, "..", "..", "fixtures");

/** What an editor shows of an analysis: its diagnostics, or why there are none. */
function shown(a: DocumentAnalysis): unknown {
  return a.kind === "analysed" ? { layers: a.result.models.map((m) => m.layers), diagnostics: a.diagnostics } : { failed: a.reason, syntaxError: a.syntaxError };
}

describe("reading an edited document ahead of its analysis", () => {
  it("analyses every text of a sequence of edits as a fresh analysis does", () => {
    let failures = 0;
    let errors = 0;
    for (const f of ["models/article_net.py", "models/resnet_basic.py", "buggy/conv_in_channels.py"]) {
      const file = join(fixtures, f);
      const model = readFileSync(file, "utf8");
      const edits = [
        [model.replace("nn.Linear(", "nn.Linear(2 * ")],
        // a burst: each read ahead, the last analysed
        [model.replace("def forward", "def forward("), model.replace("def forward", "def forward(("), model],
        [`${model}\nx = (\n`],
        [`${model}\nif True:\n    y = 1\n`, `${model}\nif True:\n    y = 2\n`],
        [model],
      ];
      const readingAhead = new DocumentAnalysisCache();
      const fresh = new DocumentAnalysisCache();
      for (const burst of edits) {
        for (const text of burst) readingAhead.readAhead("doc", text);
        const text = burst[burst.length - 1];
        const analysed = readingAhead.analysisOf("doc", file, text, noSettings);
        fresh.forget("doc");
        const expected = fresh.analysisOf("doc", file, text, noSettings);
        if (expected.kind === "failed") failures++;
        else errors += expected.diagnostics.filter((d) => d.severity === "error").length;
        expect(shown(analysed), `${f} after ${JSON.stringify(text.slice(-40))}`).toEqual(shown(expected));
      }
      // a text other than the one read last is read afresh
      readingAhead.readAhead("doc", `${model}\n# read ahead, never analysed\n`);
      fresh.forget("doc");
      expect(shown(readingAhead.analysisOf("doc", file, `${model}\nz = 3\n`, noSettings))).toEqual(shown(fresh.analysisOf("doc", file, `${model}\nz = 3\n`, noSettings)));
    }
    expect(failures).toBeGreaterThanOrEqual(3);
    expect(errors).toBeGreaterThanOrEqual(5);
  });

  it("gives the analysis the syntax it read, and its syntax error, once", () => {
    const edited = new EditedDocument();
    const text = "import torch.nn as nn\n\nlayer = nn.Linear(4, 2)\n";
    readAhead(text, edited, 1000);
    const ahead = edited.readAhead;
    expect(ahead && "syntax" in ahead).toBe(true);
    const syntax = readEditedText(text, Date.now() + 1000, edited);
    expect(ahead && "syntax" in ahead && syntax === ahead.syntax).toBe(true);
    expect(edited.readAhead).toBeUndefined();
    expect(readEditedText(text, Date.now() + 1000, edited)).not.toBe(syntax);
    expect(readEditedText(text, Date.now() + 1000, edited)).toEqual(readText(text, Date.now() + 1000, undefined));

    readAhead("def f(:\n", edited, 1000);
    expect(() => readEditedText("def f(:\n", Date.now() + 1000, edited)).toThrow(/invalid syntax|expected|unexpected/);
  });
});
