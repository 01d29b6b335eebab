// The kaohe extension: highlighting comes from the TextMate grammar
// (syntaxes/kaohe.tmLanguage.json); everything else (diagnostics, hover,
// completion, formatting, rename…) from `kaohe lsp`, started over stdio.

import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function serverOptions(): ServerOptions {
  const configured = vscode.workspace
    .getConfiguration("kaohe")
    .get<string>("path", "kaohe");
  const command = configured.trim() === "" ? "kaohe" : configured.trim();
  return {
    run: { command, args: ["lsp"], transport: TransportKind.stdio },
    debug: { command, args: ["lsp"], transport: TransportKind.stdio },
  };
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "kaohe" },
      { scheme: "untitled", language: "kaohe" },
    ],
    synchronize: {
      // A tests file or data next to a spec: the server checks them too.
      fileEvents: vscode.workspace.createFileSystemWatcher(
        "**/*.{kh,json,jsonl,csv,xlsx}",
      ),
    },
  };
  client = new LanguageClient(
    "kaohe",
    "kaohe",
    serverOptions(),
    clientOptions,
  );
  try {
    await client.start();
  } catch (err) {
    const path = vscode.workspace.getConfiguration("kaohe").get("path");
    void vscode.window.showErrorMessage(
      `kaohe: could not start \`${path} lsp\`. Install kaohe, or set "kaohe.path" to the kaohe program in Settings. ` +
        `无法启动 \`${path} lsp\`：请安装 kaohe，或在设置中把 "kaohe.path" 设为 kaohe 程序的路径。 (${String(err)})`,
    );
    client = undefined;
  }
  context.subscriptions.push({ dispose: () => void client?.stop() });
}

export async function activate(
  context: vscode.ExtensionContext,
): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("kaohe.restartServer", async () => {
      await client?.stop();
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("kaohe.path")) {
        await client?.stop();
        await start(context);
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
