// "torchshape: Show Graph of the Model Under the Cursor": the language server's
// torchshape.graph command (which the language client registers as a VS Code
// command) draws the model as an HTML page, opened in a webview beside the editor.
// In a notebook the cursor's cell is sent; the server draws the notebook's model.
import * as vscode from "vscode";

interface GraphResult {
  readonly model: string;
  readonly format: string;
  readonly content: string;
}

export async function showGraph(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "python") {
    void vscode.window.showInformationMessage("torchshape: open a Python file to draw the graph of its model.");
    return;
  }
  let result: GraphResult | undefined;
  try {
    result = await vscode.commands.executeCommand<GraphResult>("torchshape.graph", {
      uri: editor.document.uri.toString(),
      position: { line: editor.selection.active.line, character: editor.selection.active.character },
      format: "html",
    });
  } catch (e) {
    void vscode.window.showErrorMessage(`torchshape: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  if (!result) return;
  const panel = vscode.window.createWebviewPanel("torchshape.graph", `Graph: ${result.model}`, vscode.ViewColumn.Beside, { enableScripts: true });
  panel.webview.html = result.content;
}
