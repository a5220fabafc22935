// `torchshape lsp`: the language server over stdio. Wiring only: documents in,
// analyses from the cache, and each feature's conversion from its own file.
import { CodeLensRefreshRequest, createConnection, DiagnosticSeverity, ErrorCodes, ResponseError, DidChangeConfigurationNotification, NotebookDocuments, TextDocuments, TextDocumentSyncKind, type Connection, type Diagnostic as LspDiagnostic, type InitializeParams, type InitializeResult, type InlayHint, type Position, type Range } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { annotateShapesAction } from "./annotateAction.js";
import { codeLensesFor } from "./codeLens.js";
import { diagnosticSource, documentDiagnostics, toLspDiagnostic } from "./diagnostics.js";
import { DocumentAnalysisCache, type DocumentAnalysis } from "./documentAnalysis.js";
import { fileOfUri, uriMapper } from "./documentFiles.js";
import { hoverFor } from "./hover.js";
import { inlayHintsFor } from "./inlayHints.js";
import { modelSummaryAnswer, modelSummaryMethod, type ModelSummaryAnswer, type ModelSummaryParams } from "./modelSummary.js";
import { noSettings, overlaySettings, parseSettings, settingsKey, type TorchshapeSettings } from "./settings.js";
import { statementEnd, targetAt } from "./syntaxAtPosition.js";
import { notebookText, positionInNotebook, rangeInCell, type NotebookText } from "./notebookText.js";
import { graphCommandArguments, graphCommandName, graphOfDocument } from "./graphCommand.js";
import { typicalCodeCompiled } from "../cli/codeCacheMoment.js";

/**
 * typing pauses this long before a changed document is analysed again: an analysis that
 * has begun cannot be stopped, so a burst of keystrokes starts one analysis, not one each;
 * re-analysing a 1,000-line file of models takes 15-40 ms once the server is warm (the
 * file is reparsed around the edit only, and the statements it left alone are neither
 * checked nor converted again). Each edit's text is parsed and converted as it arrives,
 * during the pause (DocumentAnalysisCache.readAhead), so the analysis after it evaluates only.
 */
export const changeDebounceMs = 50;

interface ClientSupport {
  configurationPull: boolean;
  configurationRegistration: boolean;
  inlayHintRefresh: boolean;
  codeLensRefresh: boolean;
}

function workspaceRootOf(params: InitializeParams): string {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  if (uri?.startsWith("file:")) return fileOfUri(uri, process.cwd());
  return params.rootPath ?? process.cwd();
}

/** A file that cannot be analysed shows no shape diagnostics; only a non-syntax failure says so (the editor's Python support flags syntax). */
function failureDiagnostics(analysis: DocumentAnalysis): LspDiagnostic[] {
  if (analysis.kind !== "failed" || analysis.syntaxError) return [];
  return [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Information, source: diagnosticSource, code: "not-analysed", message: `torchshape could not analyse this file: ${analysis.reason}` }];
}

export function startLanguageServer(connection: Connection = createConnection(process.stdin, process.stdout)): void {
  const documents = new TextDocuments(TextDocument);
  // notebooks (LSP 3.17 notebook sync): each analysed as its code cells joined, results sent to the cell documents
  const notebooks = new NotebookDocuments(TextDocument);
  /** the cell documents each notebook was last given diagnostics for, to clear those of removed cells */
  const notebookCellsPublished = new Map<string, string[]>();
  const cache = new DocumentAnalysisCache();
  const timers = new Map<string, { version: number; timer: NodeJS.Timeout }>();
  const support: ClientSupport = { configurationPull: false, configurationRegistration: false, inlayHintRefresh: false, codeLensRefresh: false };
  let workspaceRoot = process.cwd();
  let initializationOptions: unknown;
  let pushedSettings: unknown;
  let settings: TorchshapeSettings = noSettings;

  /** A handler's failure is logged; the server goes on. */
  function guarded<T>(what: string, fallback: T, run: () => T): T {
    try {
      return run();
    } catch (e) {
      connection.console.error(`torchshape: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  }

  function analysisOf(doc: TextDocument): DocumentAnalysis {
    return cache.analysisOf(doc.uri, fileOfUri(doc.uri, workspaceRoot), doc.getText(), settings);
  }

  function publish(uri: string): void {
    timers.delete(uri);
    const doc = documents.get(uri);
    if (!doc) return;
    const diagnostics = guarded("analysis", [], () => {
      const analysis = analysisOf(doc);
      if (analysis.kind === "failed") {
        connection.console.info(`torchshape: not analysed: ${analysis.reason}`);
        return failureDiagnostics(analysis);
      }
      return documentDiagnostics(analysis.diagnostics, analysis.file, uriMapper(doc.uri, analysis.file));
    });
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    typicalCodeCompiled();
  }

  /** A notebook's joined text, or undefined for a URI that is not a notebook's cell. */
  function notebookOfCell(cellUri: string): { uri: string; text: NotebookText } | undefined {
    const notebook = notebooks.findNotebookDocumentForCell(cellUri);
    return notebook ? { uri: notebook.uri, text: notebookTextOf(notebook.uri)! } : undefined;
  }

  function notebookTextOf(uri: string): NotebookText | undefined {
    const notebook = notebooks.getNotebookDocument(uri);
    return notebook ? notebookText(notebook, (cell) => notebooks.cellTextDocuments.get(cell)?.getText()) : undefined;
  }

  function analysisOfNotebook(uri: string, text: NotebookText): DocumentAnalysis {
    return cache.analysisOf(uri, fileOfUri(uri, workspaceRoot), text.text, settings);
  }

  /** Diagnostics of a notebook, each sent to the cell it is in; cells without any get an empty list. */
  function publishNotebook(uri: string): void {
    timers.delete(uri);
    const text = notebookTextOf(uri);
    if (!text) return;
    const byCell = new Map<string, LspDiagnostic[]>(text.cells.map((c) => [c.uri, []]));
    guarded("analysis", undefined, () => {
      const analysis = analysisOfNotebook(uri, text);
      if (analysis.kind === "failed") {
        connection.console.info(`torchshape: not analysed: ${analysis.reason}`);
        return;
      }
      for (const d of analysis.diagnostics.filter((d) => d.location.file === analysis.file)) {
        const lsp = toLspDiagnostic(d, () => uri);
        const at = rangeInCell(text, lsp.range);
        if (!at) continue;
        const related = (lsp.relatedInformation ?? []).map((r, i) => {
          const inCell = d.related[i].location.file === analysis.file ? rangeInCell(text, r.location.range) : undefined;
          return inCell ? { ...r, location: inCell } : { ...r, location: { ...r.location, uri: uriMapper(uri, analysis.file)(d.related[i].location.file) } };
        });
        byCell.get(at.uri)?.push({ ...lsp, range: at.range, relatedInformation: related.length > 0 ? related : undefined });
      }
    });
    for (const stale of notebookCellsPublished.get(uri) ?? []) if (!byCell.has(stale)) void connection.sendDiagnostics({ uri: stale, diagnostics: [] });
    notebookCellsPublished.set(uri, [...byCell.keys()]);
    for (const [cellUri, diagnostics] of byCell) void connection.sendDiagnostics({ uri: cellUri, diagnostics });
    typicalCodeCompiled();
  }

  /**
   * Runs `analyse` when the wait is over, unless an edit that has arrived meanwhile
   * scheduled its own: a message already read is dispatched on the event loop's check
   * phase, after the timer, so the analysis waits two turns of that phase for it.
   */
  function unlessSuperseded(uri: string, analyse: () => void): () => void {
    return () => {
      const fired = timers.get(uri);
      setImmediate(() => setImmediate(() => {
        if (timers.get(uri) === fired) analyse();
      }));
    };
  }

  function scheduleNotebook(uri: string, delayMs: number): void {
    const pending = timers.get(uri);
    if (pending) clearTimeout(pending.timer);
    timers.set(uri, { version: -1, timer: setTimeout(unlessSuperseded(uri, () => publishNotebook(uri)), delayMs) });
  }

  /** Analyse a document after a delay; a later edit restarts the wait, a second request for the same text does not. */
  function schedule(doc: TextDocument, delayMs: number): void {
    const pending = timers.get(doc.uri);
    if (pending?.version === doc.version) return;
    if (pending) clearTimeout(pending.timer);
    timers.set(doc.uri, { version: doc.version, timer: setTimeout(unlessSuperseded(doc.uri, () => publish(doc.uri)), delayMs) });
  }

  async function refreshSettings(): Promise<void> {
    let configuration = pushedSettings;
    if (support.configurationPull) {
      try {
        [configuration] = (await connection.workspace.getConfiguration([{ section: "torchshape" }])) as unknown[];
      } catch (e) {
        connection.console.warn(`torchshape: workspace/configuration failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const parsed = parseSettings(overlaySettings(initializationOptions, configuration), workspaceRoot);
    for (const problem of parsed.problems) connection.console.warn(problem);
    if (settingsKey(parsed.settings) === settingsKey(settings)) return;
    settings = parsed.settings;
    cache.clear();
    for (const doc of documents.all()) {
      const pending = timers.get(doc.uri);
      if (pending) clearTimeout(pending.timer);
      timers.delete(doc.uri);
      schedule(doc, 0);
    }
    for (const uri of notebookCellsPublished.keys()) scheduleNotebook(uri, 0);
    if (support.inlayHintRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
    if (support.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    support.configurationPull = caps.workspace?.configuration === true;
    support.configurationRegistration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    support.inlayHintRefresh = caps.workspace?.inlayHint?.refreshSupport === true;
    support.codeLensRefresh = caps.workspace?.codeLens?.refreshSupport === true;
    workspaceRoot = workspaceRootOf(params);
    initializationOptions = params.initializationOptions;
    const parsed = parseSettings(overlaySettings(initializationOptions, undefined), workspaceRoot);
    settings = parsed.settings;
    for (const problem of parsed.problems) connection.console.warn(problem);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        notebookDocumentSync: { notebookSelector: [{ notebook: { notebookType: "jupyter-notebook" }, cells: [{ language: "python" }] }] },
        hoverProvider: true,
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: true,
        executeCommandProvider: { commands: [graphCommandName] },
      },
      serverInfo: { name: "torchshape" },
    };
  });

  connection.onInitialized(() => {
    if (support.configurationRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: "torchshape" }).catch(() => undefined);
    if (support.configurationPull) void refreshSettings();
  });

  connection.onDidChangeConfiguration((params) => {
    pushedSettings = params.settings;
    void refreshSettings();
  });

  documents.onDidOpen((e) => schedule(e.document, 0));
  documents.onDidChangeContent((e) => {
    schedule(e.document, changeDebounceMs);
    guarded("reading ahead", undefined, () => cache.readAhead(e.document.uri, e.document.getText()));
  });
  documents.onDidClose((e) => {
    const pending = timers.get(e.document.uri);
    if (pending) clearTimeout(pending.timer);
    timers.delete(e.document.uri);
    cache.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  notebooks.onDidOpen((nb) => scheduleNotebook(nb.uri, 0));
  notebooks.onDidChange((e) => {
    const uri = e.notebookDocument.uri;
    scheduleNotebook(uri, changeDebounceMs);
    guarded("reading ahead", undefined, () => {
      const text = notebookTextOf(uri);
      if (text) cache.readAhead(uri, text.text);
    });
  });
  notebooks.onDidClose((nb) => {
    const pending = timers.get(nb.uri);
    if (pending) clearTimeout(pending.timer);
    timers.delete(nb.uri);
    cache.forget(nb.uri);
    for (const cell of notebookCellsPublished.get(nb.uri) ?? []) void connection.sendDiagnostics({ uri: cell, diagnostics: [] });
    notebookCellsPublished.delete(nb.uri);
  });

  /** Hover in a notebook's cell: asked of the joined text, the answer's range put back in the cell. */
  function notebookHover(cellUri: string, position: Position) {
    const nb = notebookOfCell(cellUri);
    const at = nb && positionInNotebook(nb.text, cellUri, position);
    if (!nb || !at) return null;
    const analysis = analysisOfNotebook(nb.uri, nb.text);
    if (analysis.kind !== "analysed") return null;
    const target = targetAt(cache.treeOf(nb.uri, analysis.file, nb.text.text, settings), at);
    const hover = target ? hoverFor(analysis.result, analysis.file, target, at) : undefined;
    if (!hover) return null;
    const range = hover.range && rangeInCell(nb.text, hover.range);
    return { ...hover, range: range?.uri === cellUri ? range.range : undefined };
  }

  /** Inlay hints of a notebook's cell: those of the joined text that fall in the cell. */
  function notebookInlayHints(cellUri: string, range: Range): InlayHint[] {
    const nb = notebookOfCell(cellUri);
    const start = nb && positionInNotebook(nb.text, cellUri, range.start);
    const end = nb && positionInNotebook(nb.text, cellUri, range.end);
    if (!nb || !start || !end) return [];
    const analysis = analysisOfNotebook(nb.uri, nb.text);
    if (analysis.kind !== "analysed") return [];
    const tree = cache.treeOf(nb.uri, analysis.file, nb.text.text, settings);
    const lines = nb.text.text.split(/\r?\n/);
    return inlayHintsFor(analysis.result, analysis.file, { start, end }, (line, col) => statementEnd(tree, line, col), (line) => lines[line]?.length ?? 0).flatMap((h) => {
      const inCell = rangeInCell(nb.text, { start: h.position, end: h.position });
      return inCell?.uri === cellUri ? [{ ...h, position: inCell.range.start }] : [];
    });
  }

  connection.onHover((params) =>
    guarded("hover", null, () => {
      if (notebooks.getNotebookCell(params.textDocument.uri)) return notebookHover(params.textDocument.uri, params.position);
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return null;
      const analysis = analysisOf(doc);
      if (analysis.kind !== "analysed") return null;
      const target = targetAt(cache.treeOf(doc.uri, analysis.file, doc.getText(), settings), params.position);
      return target ? (hoverFor(analysis.result, analysis.file, target, params.position) ?? null) : null;
    }),
  );

  connection.languages.inlayHint.on((params) =>
    guarded("inlay hints", [], () => {
      if (notebooks.getNotebookCell(params.textDocument.uri)) return notebookInlayHints(params.textDocument.uri, params.range);
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return [];
      const analysis = analysisOf(doc);
      if (analysis.kind !== "analysed") return [];
      const tree = cache.treeOf(doc.uri, analysis.file, doc.getText(), settings);
      const lines = doc.getText().split(/\r?\n/);
      return inlayHintsFor(analysis.result, analysis.file, params.range, (line, col) => statementEnd(tree, line, col), (line) => lines[line]?.length ?? 0);
    }),
  );

  connection.onCodeLens((params) =>
    guarded("code lens", [], () => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return [];
      const analysis = analysisOf(doc);
      return analysis.kind === "analysed" ? codeLensesFor(analysis.result, analysis.file) : [];
    }),
  );

  connection.onCodeAction((params) =>
    guarded("code action", [], () => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return [];
      const analysis = analysisOf(doc);
      if (analysis.kind !== "analysed") return [];
      const action = annotateShapesAction(analysis.result, analysis.file, doc.getText(), doc.uri);
      return action ? [action] : [];
    }),
  );

  connection.onExecuteCommand(async (params) => {
    if (params.command !== graphCommandName) throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${params.command}`);
    const args = graphCommandArguments(params.arguments);
    if (typeof args === "string") throw new ResponseError(ErrorCodes.InvalidParams, args);
    // a text document, a notebook's cell (the notebook is drawn, the cursor read in its joined cells) or a notebook
    const doc = documents.get(args.uri);
    const nb = doc ? undefined : notebooks.getNotebookCell(args.uri) ? notebookOfCell(args.uri) : ((text) => (text ? { uri: args.uri, text } : undefined))(notebookTextOf(args.uri));
    if (!doc && !nb) throw new ResponseError(ErrorCodes.InvalidParams, `${graphCommandName}: ${args.uri} is not open`);
    const analysis = doc ? analysisOf(doc) : analysisOfNotebook(nb!.uri, nb!.text);
    if (analysis.kind !== "analysed") throw new ResponseError(ErrorCodes.InvalidParams, analysis.reason);
    const position = nb && args.position && nb.uri !== args.uri ? positionInNotebook(nb.text, args.uri, args.position) : args.position;
    let drawn: Awaited<ReturnType<typeof graphOfDocument>>;
    try {
      drawn = await graphOfDocument(analysis.file, doc ? doc.getText() : nb!.text.text, analysis.result, settings, { ...args, position });
    } catch (e) {
      connection.console.error(`torchshape: graph failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      throw new ResponseError(ErrorCodes.InternalError, `torchshape: the graph could not be drawn: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    }
    if (typeof drawn === "string") throw new ResponseError(ErrorCodes.InvalidParams, drawn);
    return drawn;
  });
  connection.onRequest(modelSummaryMethod, (params: ModelSummaryParams) =>
    guarded<ModelSummaryAnswer | null>("summary", null, () => {
      const nb = notebooks.getNotebookCell(params.uri) ? notebookOfCell(params.uri) : undefined;
      const at = nb ? positionInNotebook(nb.text, params.uri, params.position) : params.position;
      const doc = nb ? undefined : documents.get(params.uri);
      if (!at || (!nb && !doc)) return null;
      const analysis = nb ? analysisOfNotebook(nb.uri, nb.text) : analysisOf(doc!);
      if (analysis.kind === "failed") return { markdown: `torchshape could not analyse this file: ${analysis.reason}` };
      return modelSummaryAnswer(analysis.result, analysis.file, at.line);
    }),
  );

  documents.listen(connection);
  notebooks.listen(connection);
  connection.listen();
}
