// One analysis per open document, kept until its text or the settings change.
// The analysis is `check`'s (same rules, same suppressions) on the editor's text.
import type Parser from "tree-sitter";
import { analyzeFile, AnalysisInputError } from "../analysis/analyze.js";
import type { AnalysisResult } from "../analysis/summary.js";
import { isSuppressed, lineReader } from "../check/suppressions.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { parseTree } from "../parse/parser.js";
import { EditedDocument } from "../parse/editedDocument.js";
import { readAhead } from "../analysis/editedText.js";
import { maxFileBytes } from "../analysis/sourceFile.js";
import { EnvironmentError, findEnvironment, type Environment } from "../environment/discover.js";
import { ProjectConfigError } from "../environment/projectConfig.js";
import { settingsKey, type TorchshapeSettings } from "./settings.js";

/** check's per-file budget, so the editor shows what `torchshape check` reports */
export const analysisTimeLimitMs = 10_000;

/**
 * how long reading a new text ahead of its analysis may take (DocumentAnalysisCache.readAhead): it is done at
 * each edit, so a text that takes longer is left to the analysis after typing pauses (a 1,000-line file takes 5-30 ms)
 */
export const readAheadTimeLimitMs = 250;

export type DocumentAnalysis =
  | { readonly kind: "analysed"; readonly file: string; readonly result: AnalysisResult; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: "failed"; readonly file: string; readonly reason: string; readonly syntaxError: boolean };

/** The editor's per-model inputs over those of the project's [tool.torchshape.inputs]. */
function withModelInputs(environment: Environment, modelInputs: ReadonlyMap<string, readonly string[]>): Environment {
  if (modelInputs.size === 0) return environment;
  const config = environment.config ?? { file: "the editor's torchshape.inputs", searchPaths: [], exclude: [], inputs: new Map(), budgets: new Map() };
  return { ...environment, config: { ...config, inputs: new Map([...config.inputs, ...modelInputs]) } };
}

/** Analyse an editor's text as `check` would analyse the file: unsuppressed diagnostics, failures as values. */
export function analyseText(file: string, text: string, settings: TorchshapeSettings, timeLimitMs = analysisTimeLimitMs, editedDocument?: EditedDocument): DocumentAnalysis {
  try {
    const result = analyzeFile(file, {
      source: text,
      editedDocument,
      allowNoModels: true,
      defaultInputs: settings.defaultInputs,
      searchPaths: settings.searchPaths,
      environment: withModelInputs(findEnvironment(file, { python: settings.python }), settings.modelInputs),
      torchVersion: settings.torchVersion,
      interpreter: { timeLimitMs },
    });
    const bufferLines = text.split("\n");
    const diskLines = lineReader();
    const linesOf = (f: string) => (f === file ? bufferLines : diskLines(f));
    return { kind: "analysed", file, result, diagnostics: result.diagnostics.filter((d) => !isSuppressed(d, linesOf)) };
  } catch (e) {
    if (e instanceof EnvironmentError || e instanceof ProjectConfigError) return { kind: "failed", file, reason: e.message, syntaxError: false };
    if (e instanceof AnalysisInputError) return { kind: "failed", file, reason: e.message, syntaxError: /: syntax error: /.test(e.message) };
    if (e instanceof RangeError) return { kind: "failed", file, reason: `${file}: too deeply nested to analyse`, syntaxError: false };
    return { kind: "failed", file, reason: `${file}: internal error: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`, syntaxError: false };
  }
}

/** How a document is analysed: its file, its text, the settings, and what its previous analysis left. */
export type DocumentAnalyser = (file: string, text: string, settings: TorchshapeSettings, edited: EditedDocument) => DocumentAnalysis;

interface CacheEntry {
  readonly text: string;
  readonly settingsKey: string;
  readonly analysis: DocumentAnalysis;
  tree?: Parser.Tree;
}

/** The latest analysis of each open document, redone only when its text or the settings differ. */
export class DocumentAnalysisCache {
  private readonly entries = new Map<string, CacheEntry>();
  /** what each document's analysis leaves for the next (editedDocument.ts) */
  private readonly edited = new Map<string, EditedDocument>();

  constructor(private readonly analyse: DocumentAnalyser = (file, text, settings, edited) => analyseText(file, text, settings, analysisTimeLimitMs, edited)) {}

  private editedDocument(uri: string): EditedDocument {
    let edited = this.edited.get(uri);
    if (!edited) this.edited.set(uri, (edited = new EditedDocument()));
    return edited;
  }

  private entryFor(uri: string, file: string, text: string, settings: TorchshapeSettings): CacheEntry {
    const key = settingsKey(settings);
    const cached = this.entries.get(uri);
    if (cached && cached.text === text && cached.settingsKey === key && cached.analysis.file === file) return cached;
    const edited = this.editedDocument(uri);
    const entry: CacheEntry = { text, settingsKey: key, analysis: this.analyse(file, text, settings, edited) };
    this.entries.set(uri, entry);
    return entry;
  }

  analysisOf(uri: string, file: string, text: string, settings: TorchshapeSettings): DocumentAnalysis {
    return this.entryFor(uri, file, text, settings).analysis;
  }

  /** The syntax tree of the analysed text (parsed on first use), for what is under the cursor. */
  treeOf(uri: string, file: string, text: string, settings: TorchshapeSettings): Parser.Tree {
    const entry = this.entryFor(uri, file, text, settings);
    entry.tree ??= parseTree(text);
    return entry.tree;
  }

  /**
   * Parses and converts a document's new text now, while the server waits for typing to
   * pause: its analysis then starts from that syntax (src/analysis/editedText.ts), and each
   * edit of a burst is reparsed from the one before, as the analysis itself would be.
   */
  readAhead(uri: string, text: string): void {
    if (text.length > maxFileBytes) return;
    readAhead(text, this.editedDocument(uri), readAheadTimeLimitMs);
  }

  forget(uri: string): void {
    this.entries.delete(uri);
    this.edited.delete(uri);
  }

  clear(): void {
    this.entries.clear();
    this.edited.clear();
  }
}
