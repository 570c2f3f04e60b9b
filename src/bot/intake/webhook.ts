// The webhook server: bound first (a taken port is a startup error, before setWebhook), then fed
// to the intake. Each POST to the URL's path must carry the secret token; Telegram gets its 200
// once the update is stored in the inbox, not when it is handled, so a slow handler holds back no
// one; a 503 (the inbox could not store it) makes Telegram deliver it again.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update } from 'telegraf/types';
import type { Logger } from '../../logger.ts';
import type { Intake } from './intake.ts';

export type WebhookOptions = { url: string; secret: string; host: string; port: number };

export type WebhookServer = {
  readonly options: WebhookOptions;
  readonly port: number;
  /** Hands every accepted update to the intake from now on (until then: 503). */
  serve(intake: Intake, log: Logger): void;
  close(): Promise<void>;
};

const MAX_BODY = 1 << 20;
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export class WebhookBindError extends Error {
  override name = 'WebhookBindError';
}

export async function bindWebhook(options: WebhookOptions): Promise<WebhookServer> {
  const path = new URL(options.url).pathname;
  const secret = Buffer.from(options.secret);
  let handler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  const server: Server = createServer((req, res) => {
    if (!handler) return void res.writeHead(503).end();
    handler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${options.host}:${options.port}`;
      const why =
        err.code === 'EADDRINUSE'
          ? 'is already in use by another process'
          : err.code === 'EACCES'
            ? 'needs privileges this process does not have'
            : `cannot be bound (${err.code ?? err.message})`;
      reject(
        new WebhookBindError(
          `TELEGRAM_WEBHOOK_PORT ${where} ${why}: free it or choose another TELEGRAM_WEBHOOK_PORT / TELEGRAM_WEBHOOK_HOST.`,
          { cause: err },
        ),
      );
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    options,
    port,
    serve(intake, log) {
      handler = async (req, res) => {
        if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== path) {
          return void res.writeHead(404).end();
        }
        const given = Buffer.from(String(req.headers[SECRET_HEADER] ?? ''));
        if (given.length !== secret.length || !timingSafeEqual(given, secret)) {
          return void res.writeHead(403).end();
        }
        const update = await readUpdate(req);
        if (!update) return void res.writeHead(400).end();
        try {
          await intake.accept([update]);
        } catch (err) {
          log.warn(
            { err, updateId: update.update_id },
            'could not store a webhook update; Telegram will send it again',
          );
          return void res.writeHead(503).end();
        }
        res.writeHead(200).end();
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

async function readUpdate(req: IncomingMessage): Promise<Update | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Update;
    return Number.isSafeInteger(body?.update_id) ? body : undefined;
  } catch {
    return undefined;
  }
}
