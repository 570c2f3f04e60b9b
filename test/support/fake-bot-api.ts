// A fake Telegram Bot API served over HTTP on 127.0.0.1 for tests: real telegraf talks to it through
// `apiRoot`. It keeps chats, messages and files, records every call, lets tests act as users and
// wait on state, and can fail on purpose (429, 5xx, resets) or enforce Telegram's rate limits.
import { randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestBody } from './fake-bot-api/body.ts';
import {
  asFailure,
  createFaults,
  failure,
  type Outage,
  type Outcome,
  succeeded,
} from './fake-bot-api/faults.ts';
import { createHolds, type Hold } from './fake-bot-api/holds.ts';
import { createMethods } from './fake-bot-api/methods.ts';
import { createRateLimiter, type RateLimiter } from './fake-bot-api/rate-limits.ts';
import type {
  ApiCall,
  FailureSpec,
  FakeMessage,
  FakeUser,
  Params,
  RateLimits,
  StoredFile,
} from './fake-bot-api/types.ts';
import { createUpdateQueue, type Update } from './fake-bot-api/updates.ts';
import { createUserActions, type UserActions } from './fake-bot-api/users.ts';
import { createWaiters, type Truthy, type WaitArgs, type WaitOptions } from './fake-bot-api/waiters.ts';
import { createWorld } from './fake-bot-api/world.ts';

export type { Outage } from './fake-bot-api/faults.ts';
export type { Hold } from './fake-bot-api/holds.ts';
export type * from './fake-bot-api/types.ts';
export type { Update } from './fake-bot-api/updates.ts';
export type { UserInput } from './fake-bot-api/users.ts';
export type { Truthy, WaitArgs, WaitOptions } from './fake-bot-api/waiters.ts';

/**
 * A token (so a bot id) of its own for every fake: bots of one test file keep separate inboxes in
 * the database they share, as bots with different tokens do. A fake started again for one bot
 * passes its token on.
 */
export function newFakeBotToken(): string {
  return `${7_000_000_000 + randomInt(1, 1_000_000_000)}:TEST-fake-bot-api-token-000000`;
}
export const TELEGRAM_RATE_LIMITS: RateLimits = {
  perChatPerSecond: 1,
  perGroupPerMinute: 20,
  globalPerSecond: 30,
};

export type FakeBotApiOptions = {
  token?: string;
  bot?: Partial<FakeUser>;
  /** Act as a self-hosted server in `--local` mode: getFile answers absolute paths under this dir. */
  localFilesDir?: string;
};

export type FakeBotApi = UserActions & {
  readonly apiRoot: string;
  readonly token: string;
  readonly botInfo: FakeUser & { is_bot: true; username: string };
  calls(method?: string): ApiCall[];
  /** The calls from position `index` on (cheap: for benches that watch a long log). */
  callsSince(index: number): ApiCall[];
  messages(chatId: number): FakeMessage[];
  message(chatId: number, messageId: number): (FakeMessage & { deleted: boolean }) | undefined;
  file(fileId: string): StoredFile | undefined;
  callbackAnswer(callbackQueryId: string): Params | undefined;
  pendingUpdates(): number;
  /** performance.now() when a getUpdates answer handed this update to the bot. */
  deliveredAt(updateId: number): number | undefined;
  /** The update the last user action (or pushUpdate) queued. */
  lastUpdate(): Update | undefined;
  pushUpdate(update: Params): Update;
  /** Whatever `act` sends reaches the bot in one getUpdates answer, so it is handled concurrently. */
  inOneBatch<T>(act: () => T): T;
  /** Synchronous predicates only: one returning a Promise is a type error, and rejects at once. */
  waitFor<T>(predicate: () => T, ...options: WaitArgs<T>): Promise<Truthy<T>>;
  waitForCall(
    method: string,
    predicate?: (call: ApiCall) => boolean,
    options?: WaitOptions & { since?: number },
  ): Promise<ApiCall>;
  failNext(method: string, failure: FailureSpec, times?: number): void;
  /** Holds the next matching call of a method until released (see fake-bot-api/holds.ts). */
  hold(method: string, matches?: (call: ApiCall) => boolean): Hold;
  failAll(outage?: Outage): void;
  recover(): void;
  enforceLimits(limits?: Partial<RateLimits> | false): void;
  rateLimitHits(): number;
  close(): Promise<void>;
};

export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const token = options.token ?? newFakeBotToken();
  const botInfo = {
    id: Number(token.split(':')[0]),
    first_name: 'Warmup Test Bot',
    username: 'warmup_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    ...options.bot,
    is_bot: true as const,
  };
  const world = createWorld(botInfo);
  const updates = createUpdateQueue();
  const methods = createMethods(
    world,
    updates,
    options.localFilesDir ? { localFiles: { dir: options.localFilesDir, token } } : {},
  );
  const canonical = new Map(Object.keys(methods).map((name) => [name.toLowerCase(), name]));
  const log: ApiCall[] = [];
  const waiters = createWaiters(() => log.slice(-10).map(describeCall).join('\n'));
  const faults = createFaults();
  const holds = createHolds();
  let limiter: RateLimiter | undefined;
  let limitHits = 0;
  let closing: Promise<void> | undefined;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, 500, failure(500, `Internal Server Error: fake Bot API: ${error}`).response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', apiRoot);
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (download) {
      const file = download[1] === token ? world.fileByPath(decodeURIComponent(download[2]!)) : undefined;
      if (!file) return send(res, 404, failure(404, 'Not Found').response);
      res.writeHead(200, { 'content-type': file.mimeType ?? 'application/octet-stream' }).end(file.bytes);
      return;
    }
    const route = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!route) return send(res, 404, failure(404, 'Not Found').response);
    if (route[1] !== token) return send(res, 401, failure(401, 'Unauthorized').response);
    const at = Date.now();
    const arrived = performance.now();
    const body = await readRequestBody(req, url).catch((error: unknown) => error as Error);
    const call: ApiCall = {
      index: log.length,
      method: canonical.get(route[2]!.toLowerCase()) ?? route[2]!,
      ...(body instanceof Error ? { params: {}, uploads: {} } : body),
      at,
      arrived,
    };
    log.push(call);
    const clientGone = new AbortController();
    res.on('close', () => clientGone.abort());
    const held = body instanceof Error ? undefined : holds.claim(call, clientGone.signal);
    if (held) {
      waiters.changed();
      await held;
      if (clientGone.signal.aborted) return;
    }
    const decided = body instanceof Error ? asFailure(body) : decide(call, clientGone.signal);
    if (decided instanceof Promise) waiters.changed(); // a held long poll is observable while it waits
    const { status, response } = await decided;
    call.status = status;
    call.response = structuredClone(response);
    if (status === 0) req.socket.destroy();
    else send(res, status, response);
    waiters.changed();
  }

  function decide(call: ApiCall, signal: AbortSignal): Outcome | Promise<Outcome> {
    const injected = faults.next(call.method, call.params.chat_id, signal);
    if (injected) return injected;
    const handler = methods[call.method];
    if (!handler) return failure(404, 'Not Found: method not found');
    const retryAfter = limiter?.check(call.method, call.params, call.at);
    if (retryAfter !== undefined) {
      limitHits += 1;
      return failure(429, `Too Many Requests: retry after ${retryAfter}`, retryAfter);
    }
    try {
      const result = handler(call.params, call.uploads, signal);
      if (result instanceof Promise) return result.then(succeeded, asFailure);
      limiter?.note(call.method, call.params, call.at);
      return succeeded(result);
    } catch (error) {
      return asFailure(error);
    }
  }

  const actions = createUserActions(world, updates);
  const thenNotify =
    <A extends unknown[], R>(act: (...args: A) => R) =>
    (...args: A): R => {
      const result = act(...args);
      waiters.changed();
      return result;
    };

  return {
    apiRoot,
    token,
    botInfo,
    sendText: thenNotify(actions.sendText),
    sendDocument: thenNotify(actions.sendDocument),
    editCaption: thenNotify(actions.editCaption),
    tapButton: thenNotify(actions.tapButton),
    pushUpdate: thenNotify(updates.push),
    inOneBatch(act) {
      const result = updates.inOneBatch(act);
      waiters.changed();
      return result;
    },
    callsSince: (index) => log.slice(index),
    calls: (method) => (method === undefined ? [...log] : log.filter((call) => call.method === method)),
    messages: (chatId) => structuredClone(world.botMessages(chatId)),
    message(chatId, messageId) {
      const stored = world.findMessage(chatId, messageId);
      return stored && { ...structuredClone(stored.message), deleted: stored.deleted };
    },
    file: (fileId) => world.fileById(fileId),
    callbackAnswer: (callbackQueryId) => world.callbacks.get(callbackQueryId)?.answer,
    pendingUpdates: () => updates.pendingCount(),
    deliveredAt: (updateId) => updates.deliveredAt(updateId),
    lastUpdate: () => updates.lastPushed(),
    waitFor: waiters.waitFor,
    waitForCall: (method, predicate = () => true, { since = 0, ...wait } = {}) =>
      waiters.waitFor(
        () => log.find((call) => call.index >= since && call.method === method && predicate(call)),
        {
          description: `a ${method} call`,
          ...wait,
        },
      ),
    failNext: faults.failNext,
    hold: holds.hold,
    failAll: faults.failAll,
    recover: faults.recover,
    enforceLimits(limits = {}) {
      limiter = limits === false ? undefined : createRateLimiter({ ...TELEGRAM_RATE_LIMITS, ...limits });
    },
    rateLimitHits: () => limitHits,
    close() {
      closing ??= new Promise<void>((resolve) => {
        updates.close();
        faults.releaseStalled();
        waiters.failAll(new Error('fake Bot API closed'));
        server.close(() => resolve());
        // Let the answers to released long polls flush before cutting keep-alive connections.
        setImmediate(() => server.closeAllConnections());
      });
      return closing;
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, STATUS_CODES[status] ?? '', { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function describeCall(call: ApiCall): string {
  const params = JSON.stringify(call.params);
  const shown = params.length > 120 ? `${params.slice(0, 117)}...` : params;
  return `  #${call.index} ${call.method} ${shown} → ${call.status ?? 'pending'}`;
}
