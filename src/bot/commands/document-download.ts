// A document a user sent, read into memory up to a cap: at most `maxBytes` + 1 bytes (so "too big"
// is seen without reading more). A self-hosted Bot API in --local mode answers an absolute path on
// its disk, read from there; otherwise the file is downloaded. Link and path hold the bot token:
// they appear in no error. And which of our commands a document's caption names.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { addressedCommand } from './addressed-command.ts';
import type { BotContext } from './context.ts';

const DOWNLOAD_TIMEOUT_MS = 30_000;

/**
 * The words after the caption's command when it is one of `names` addressed to this bot (bare, or
 * `/name@thisbot`); undefined otherwise — `/name@otherbot` is another bot's business, in a group
 * where several read captions.
 */
export function captionCommand(
  ctx: BotContext,
  caption: string,
  names: readonly string[],
): string[] | undefined {
  const command = addressedCommand(caption, ctx.me);
  return command && names.includes(command.name) ? command.args : undefined;
}

export async function downloadDocument(
  ctx: BotContext,
  fileId: string,
  maxBytes: number,
): Promise<Uint8Array | 'unreadable'> {
  const file = await ctx.telegram.getFile(fileId);
  if (file.file_path && path.isAbsolute(file.file_path)) return readLocal(file.file_path, maxBytes);
  const link = await ctx.telegram.getFileLink(file);
  let response: Response;
  try {
    response = await fetch(link, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (cause) {
    throw new Error('could not download the document', { cause: (cause as Error).name });
  }
  if (!response.ok) throw new Error(`could not download the document: HTTP ${response.status}`);
  return readCapped(response, maxBytes);
}

async function readLocal(filePath: string, maxBytes: number): Promise<Uint8Array | 'unreadable'> {
  const handle = await open(filePath, 'r').catch(() => undefined);
  // Not on this machine's disk: the Bot API server runs elsewhere (or the file is gone).
  if (!handle) return 'unreadable';
  try {
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of response.body ?? []) {
    chunks.push(chunk);
    length += chunk.length;
    if (length > maxBytes) break;
  }
  return Buffer.concat(chunks);
}
