// The VS Code client: starts torchshape's language server for Python files and
// Jupyter notebooks (diagnostics, hovers, inlay hints, code lenses all come from it)
// and registers the extension's commands. The packaged .vsix carries the server in
// server/ (scripts/package_vscode.mjs); without it, `torchshape` on the PATH.
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import { registerCommands } from "./commands.js";
import { serverCli } from "./serverCli.js";

let client: LanguageClient | undefined;

function serverOptions(context: vscode.ExtensionContext): ServerOptions {
  const cli = serverCli(context);
  if (cli.kind === "module") return { module: cli.path, args: ["lsp"], transport: TransportKind.stdio };
  return { command: cli.command, args: ["lsp"], transport: TransportKind.stdio };
}

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "python" },
      { scheme: "untitled", language: "python" },
      // the cells of Jupyter notebooks, synchronised as notebooks (notebookDocument/*)
      { notebook: "jupyter-notebook", language: "python" },
    ],
    // the settings: the server asks for section "torchshape" and registers for its changes
  };
  return new LanguageClient("torchshape", "torchshape", serverOptions(context), clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration("torchshape.serverPath")) return;
      await client?.stop();
      client = createClient(context);
      await client.start();
    }),
    ...registerCommands(context, () => client),
  );
  client = createClient(context);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

