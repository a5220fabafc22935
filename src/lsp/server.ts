// `torchshape lsp`: the language server over stdio. Wiring only: documents in,
// analyses from the cache, and each feature's conversion from its own file.
import { CodeLensRefreshRequest, createConnection, DiagnosticSeverity, DidChangeConfigurationNotification, TextDocuments, TextDocumentSyncKind, type Connection, type Diagnostic as LspDiagnostic, type InitializeParams, type InitializeResult } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { annotateShapesAction } from "./annotateAction.js";
import { codeLensesFor } from "./codeLens.js";
import { diagnosticSource, documentDiagnostics } from "./diagnostics.js";
import { DocumentAnalysisCache, type DocumentAnalysis } from "./documentAnalysis.js";
import { fileOfUri, uriMapper } from "./documentFiles.js";
import { hoverFor } from "./hover.js";
import { inlayHintsFor } from "./inlayHints.js";
import { noSettings, overlaySettings, parseSettings, settingsKey, type TorchshapeSettings } from "./settings.js";
import { statementEnd, targetAt } from "./syntaxAtPosition.js";

/** typing pauses this long before a changed document is analysed again */
export const changeDebounceMs = 250;

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
  }

  /** Analyse a document after a delay; a later edit restarts the wait, a second request for the same text does not. */
  function schedule(doc: TextDocument, delayMs: number): void {
    const pending = timers.get(doc.uri);
    if (pending?.version === doc.version) return;
    if (pending) clearTimeout(pending.timer);
    timers.set(doc.uri, { version: doc.version, timer: setTimeout(() => publish(doc.uri), delayMs) });
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
        hoverProvider: true,
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: true,
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
  documents.onDidChangeContent((e) => schedule(e.document, changeDebounceMs));
  documents.onDidClose((e) => {
    const pending = timers.get(e.document.uri);
    if (pending) clearTimeout(pending.timer);
    timers.delete(e.document.uri);
    cache.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover((params) =>
    guarded("hover", null, () => {
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

  documents.listen(connection);
  connection.listen();
}
