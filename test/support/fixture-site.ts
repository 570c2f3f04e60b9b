// A fixture "TikTok" on 127.0.0.1 for real-Chromium tests: serves the feed, search and marker
// pages, and records server-side, per account cookie (acct=<name>), every view, like, follow,
// comment and search, and how many sessions (browser tabs) per account are open at once. Options
// turn on the real site's traps: items already liked and followed, LIVE cards, a dialog.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSiteProfile, type SiteProfile } from '../../src/warmup/site-profile.ts';
import { feedPage, markerPage, probePage, searchPage } from './fixture-pages.ts';
import { createStats } from './fixture-stats.ts';

export type { AccountRecord, FixtureStats } from './fixture-stats.ts';

export type AccountState = 'ok' | 'logged_out' | 'captcha' | 'blocked' | 'drop';
export type FixtureOptions = {
  /** Items per feed page (default 60). */
  items?: number;
  /** How the profile moves to the next item (default key: ArrowDown). */
  next?: 'key' | 'scroll' | 'click';
  /** Whether items have a follow button (default true). */
  followButtons?: boolean;
  /** Every Nth item (the Nth, 2Nth, …) is already liked and its author followed. */
  engagedEvery?: number;
  /** Every Nth item is a LIVE card (its id starts with "live-"). */
  liveEvery?: number;
  /** A "choose your interests" dialog covers the feed on each account's first load. */
  dialogOnFirstLoad?: boolean;
};

/** One visit of /probe: what the page saw (posted back) and the headers the request carried. */
export type ProbeReport = {
  account: string;
  headers: { userAgent: string; acceptLanguage: string };
  page: {
    webdriver: boolean;
    userAgent: string;
    languages: string[];
    timezone: string;
    screen: [number, number];
    viewport: [number, number];
    deviceScaleFactor: number;
    candidates: string[];
  };
};

export type FixtureSite = Awaited<ReturnType<typeof startFixtureSite>>;

const VIEWPORT_HEIGHT = 720; // Playwright's default viewport; the scroll profile moves one item.

function accountOf(req: IncomingMessage): string {
  const match = /(?:^|;\s*)acct=([^;]+)/.exec(req.headers.cookie ?? '');
  return match?.[1] ? decodeURIComponent(match[1]) : 'anonymous';
}

async function readJson(req: IncomingMessage): Promise<{ item?: string; text?: string }> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return JSON.parse(body || '{}');
}

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
}

export async function startFixtureSite(options: FixtureOptions = {}) {
  const stats = createStats();
  const states = new Map<string, AccountState>();
  const presence = new Map<string, Set<ServerResponse>>(); // account → open presence streams
  const itemCount = options.items ?? 60;
  const dialogShown = new Set<string>();
  const probes: ProbeReport[] = [];
  const every = (n: number | undefined, i: number) => n !== undefined && i % n === n - 1;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const account = accountOf(req);
    const state = states.get(account) ?? 'ok';
    if (state === 'drop') {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fixture');
    const query = url.searchParams.get('q') ?? '';
    if (req.method === 'GET' && url.pathname === '/presence') {
      const streams = presence.get(account) ?? new Set<ServerResponse>();
      presence.set(account, streams);
      const tab = url.searchParams.get('tab') ?? 'unknown';
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(': open\n\n');
      stats.presenceOpened(account, tab);
      streams.add(res);
      res.on('close', () => {
        streams.delete(res);
        stats.presenceClosed(account, tab);
      });
      return;
    }
    if (req.method === 'GET' && (url.pathname === '/feed' || url.pathname === '/search')) {
      // A logged-out account is sent to the login page, as the real site does.
      if (state === 'logged_out') {
        res.writeHead(302, { location: '/login', 'cache-control': 'no-store' }).end();
        return;
      }
      if (state !== 'ok') return send(res, 200, 'text/html', markerPage(state));
      if (url.pathname === '/search') {
        stats.record(account).searches.push(query);
        stats.changed();
        return send(res, 200, 'text/html', searchPage(query));
      }
      const start = Number(url.searchParams.get('start') ?? 0);
      const items = Array.from({ length: itemCount }, (_, i) => {
        const live = every(options.liveEvery, i);
        const id = `${live ? 'live-' : ''}${query ? `${query}-` : ''}${start + i}`;
        return { id, live, engaged: every(options.engagedEvery, i) };
      });
      const dialog = options.dialogOnFirstLoad === true && !dialogShown.has(account);
      dialogShown.add(account);
      const followButtons = options.followButtons ?? true;
      return send(res, 200, 'text/html', feedPage({ items, followButtons, dialog, account }));
    }
    if (req.method === 'GET' && url.pathname === '/probe') return send(res, 200, 'text/html', probePage());
    if (req.method === 'POST' && url.pathname === '/api/probe') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const headers = {
        userAgent: req.headers['user-agent'] ?? '',
        acceptLanguage: req.headers['accept-language'] ?? '',
      };
      probes.push({ account, headers, page: JSON.parse(body) });
      stats.changed();
      return send(res, 200, 'application/json', '{}');
    }
    if (req.method === 'GET' && url.pathname === '/login') {
      return send(res, 200, 'text/html', markerPage('logged_out'));
    }
    const kind = /^\/api\/(view|like|follow|unlike|unfollow|dismiss|comment)$/.exec(url.pathname)?.[1];
    if (req.method === 'POST' && kind) {
      const body = await readJson(req);
      const record = stats.record(account);
      const item = String(body.item);
      if (kind === 'comment') record.comments.push({ item, text: String(body.text ?? '') });
      else record[kind === 'dismiss' ? 'dismissals' : (`${kind}s` as 'views' | 'likes')].push(item);
      stats.changed();
      return send(res, 200, 'application/json', JSON.stringify({ state }));
    }
    send(res, 404, 'text/plain', 'not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, 'text/plain', 'fixture error'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const next = options.next ?? 'key';

  const profile: SiteProfile = parseSiteProfile(
    {
      name: 'fixture',
      startUrl: `${url}/feed`,
      searchUrl: `${url}/search?q={query}`,
      selectors: {
        feedItem: 'article.item',
        like: 'button.like',
        likeActive: 'button.like[aria-pressed="true"]',
        follow: 'button.follow',
        followActive: 'button.follow[aria-pressed="true"]',
        commentOpen: 'button.comment-open',
        commentInput: '#comment-input',
        commentSubmit: '#comment-submit',
        searchResultItem: 'a.result',
        skipItem: '.live-badge',
        loggedIn: '#me',
        loggedOut: '#login-wall',
        captcha: '#captcha',
        blocked: '#banned',
      },
      loggedOutPath: '^/login',
      dismiss: [{ name: 'choose your interests', when: '#interests', click: '#interests button.skip' }],
      next:
        next === 'key'
          ? { kind: 'key', key: 'ArrowDown' }
          : next === 'scroll'
            ? { kind: 'scroll', pixels: VIEWPORT_HEIGHT }
            : { kind: 'click', selector: 'button.next' },
    },
    'fixture profile',
  );

  return {
    url,
    profile,
    stats,
    /** Every /probe report, in arrival order. */
    probes,
    /** Sets what the account sees from now on; open pages show the marker at once (pushed). */
    accountState(account: string, state: AccountState) {
      states.set(account, state);
      for (const stream of presence.get(account) ?? []) stream.write(`data: ${state}\n\n`);
    },
    /** A Playwright storage state that identifies the account to the fixture. */
    storageStateFor(account: string) {
      return {
        cookies: [
          {
            name: 'acct',
            value: encodeURIComponent(account),
            domain: '127.0.0.1',
            path: '/',
            expires: -1,
            httpOnly: false,
            secure: false,
            sameSite: 'Lax' as const,
          },
        ],
        origins: [],
      };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
