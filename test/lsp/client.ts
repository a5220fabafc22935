// A real LSP client for the tests: spawns `node bin/torchshape.cjs lsp` and talks
// JSON-RPC over its stdio with vscode-languageserver-protocol.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  CodeLensRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  InlayHintRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeLens,
  type Hover,
  type InlayHint,
  type InitializeResult,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from "vscode-languageserver-protocol/node";

export const repoRoot = join(import.meta.dirname, "..", "..");
export const torchshapeBin = join(repoRoot, "bin", "torchshape.cjs");

const initializeTimeoutMs = 20_000;

export interface StartOptions {
  readonly rootDir: string;
  readonly initializationOptions?: unknown;
  /** answered to workspace/configuration; without it the client does not offer pull configuration */
  readonly configuration?: unknown;
  /** the server's environment (default: the tests') */
  readonly env?: NodeJS.ProcessEnv;
}

interface Waiter {
  readonly matches: (p: PublishDiagnosticsParams) => boolean;
  readonly resolve: (p: PublishDiagnosticsParams) => void;
}

export class LspTestClient {
  /** every publishDiagnostics notification, in arrival order */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly configurationRequests: unknown[] = [];
  stderr = "";
  private readonly waiters: Waiter[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
  ) {
    this.exited = new Promise((resolve) => process.on("exit", (code) => resolve(code)));
    process.stderr.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      for (const w of [...this.waiters]) {
        if (!w.matches(p)) continue;
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(p);
      }
    });
  }

  static async start(options: StartOptions): Promise<{ client: LspTestClient; initialized: InitializeResult }> {
    const child = spawn(process.execPath, [torchshapeBin, "lsp"], { cwd: repoRoot, stdio: ["pipe", "pipe", "pipe"], env: options.env });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspTestClient(child, connection);
    connection.onRequest(ConfigurationRequest.type, (params) => {
      client.configurationRequests.push(params);
      return params.items.map((item) => (item.section === "torchshape" ? options.configuration : null));
    });
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.listen();
    const initializing = connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(options.rootDir).href,
      workspaceFolders: [{ uri: pathToFileURL(options.rootDir).href, name: "test" }],
      initializationOptions: options.initializationOptions,
      capabilities: {
        textDocument: {
          hover: { contentFormat: ["markdown", "plaintext"] },
          inlayHint: {},
          codeLens: {},
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
        },
        workspace: { configuration: options.configuration !== undefined, didChangeConfiguration: { dynamicRegistration: true } },
      },
    });
    // a server that dies or hangs fails the test with what it said, instead of waiting forever
    const initialized = await Promise.race([
      initializing,
      client.exited.then((code) => Promise.reject(new Error(`the server exited (${code}) before answering initialize: ${client.stderr}`))),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer to initialize within ${initializeTimeoutMs} ms: ${client.stderr}`)), initializeTimeoutMs).unref()),
    ]);
    await connection.sendNotification(InitializedNotification.type, {});
    return { client, initialized };
  }

  /** The first diagnostics for uri (already received or to come) that match; fails after timeoutMs. */
  waitForDiagnostics(uri: string, matches: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 20_000): Promise<PublishDiagnosticsParams> {
    const wanted = (p: PublishDiagnosticsParams) => p.uri === uri && matches(p);
    const already = this.published.find(wanted);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(this.published.filter((p) => p.uri === uri))}; server stderr: ${this.stderr}`));
      }, timeoutMs);
      const waiter: Waiter = {
        matches: wanted,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      };
      this.waiters.push(waiter);
    });
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "python", version, text } });
  }

  async change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  async changeConfiguration(settings: unknown): Promise<void> {
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  inlayHints(uri: string, lines: number): Promise<InlayHint[] | null> {
    return this.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } } });
  }

  codeLenses(uri: string): Promise<CodeLens[] | null> {
    return this.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
  }

  /** shutdown, exit, and the process's exit code (killed if it does not exit in time) */
  async stop(timeoutMs = 10_000): Promise<number | null> {
    const timer = setTimeout(() => this.process.kill("SIGKILL"), timeoutMs);
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), this.exited]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // the process may already be gone; the exit code tells
    }
    const code = await this.exited;
    clearTimeout(timer);
    this.connection.dispose();
    return code;
  }
}

/** The 0-based position of the n-th occurrence (from 0) of needle in text, plus an offset into it. */
export function positionOf(text: string, needle: string, offset = 0, occurrence = 0): Position {
  let index = -1;
  for (let k = 0; k <= occurrence; k++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`'${needle}' (occurrence ${occurrence}) not in the text`);
  }
  const before = text.slice(0, index + offset).split("\n");
  return { line: before.length - 1, character: before[before.length - 1].length };
}
