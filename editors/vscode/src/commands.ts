// The extension's commands, one entry each (their titles are in package.json's
// contributes.commands).
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { showGraph } from "./graphCommand.js";
import { showSummary } from "./summaryCommand.js";

/** @param client the running language client, if any (it is replaced when the server path changes) */
export function registerCommands(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): vscode.Disposable[] {
  return [vscode.commands.registerCommand("torchshape.showSummary", () => showSummary(context, client)), vscode.commands.registerCommand("torchshape.showGraph", () => showGraph())];
}
