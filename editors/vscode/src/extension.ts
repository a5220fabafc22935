// The VS Code client: starts `torchshape lsp` for Python files. Everything else
// (diagnostics, hovers, inlay hints, code lenses) comes from the server.
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function createClient(): LanguageClient {
  const command = vscode.workspace.getConfiguration("torchshape").get<string>("serverPath") || "torchshape";
  const serverOptions: ServerOptions = { command, args: ["lsp"], transport: TransportKind.stdio };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "python" },
      { scheme: "untitled", language: "python" },
    ],
    // input and searchPaths: the server asks for section "torchshape" and registers for its changes
  };
  return new LanguageClient("torchshape", "torchshape", serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration("torchshape.serverPath")) return;
      await client?.stop();
      client = createClient();
      await client.start();
    }),
  );
  client = createClient();
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
