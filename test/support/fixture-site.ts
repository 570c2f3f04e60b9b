// A fixture "TikTok" on 127.0.0.1 for real-Chromium tests: serves the feed, search and marker
// pages, and records server-side, per account cookie (acct=<name>), every view, like, follow,
// comment and search, and how many sessions (browser tabs) per account are open at once. Options
// turn on the real site's traps: items already liked and followed, LIVE cards, a dialog.
// Each account sees one markup, chosen per account (bindMarkup): `tiktok` (the default) or
// `reels` (fixture-reels.ts), at every path of both (/feed and /reels/, /search and
// /explore/search/keyword/, /login and /accounts/login/), so that a profile meant for the other
// markup loads fine and finds none of its selectors.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSiteProfile, type SiteProfile } from '../../src/warmup/site-profile.ts';
import { feedPage, markerPage, pageOf, probePage, searchPage } from './fixture-pages.ts';
import {
  REELS_MARKERS,
  REELS_STYLE,
  type Reel,
  reelsFeedPage,
  reelsMarkerPage,
  reelsPathPage,
  reelsProfile,
  reelsSearchPage,
} from './fixture-reels.ts';
import { type AccountRecord, createStats } from './fixture-stats.ts';

export type { AccountRecord, FixtureStats } from './fixture-stats.ts';

export type AccountState = 'ok' | 'logged_out' | 'captcha' | 'blocked' | 'drop';
export type Markup = 'tiktok' | 'reels';
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
  /** A dialog covers the feed on each account's first load ("choose your interests"; reels: notifications). */
  dialogOnFirstLoad?: boolean;
  /** Reels: every Nth reel is an ad ("Sponsored", id "ad-…"); liveEvery is read so too. */
  sponsoredEvery?: number;
  /** Reels: every Nth author is private (Follow → Requested). */
  privateEvery?: number;
  /** Reels: every Nth reel has its comments off (no Comment control). */
  commentsOffEvery?: number;
  /** Reels: a cookie banner before the first load's other dialog. */
  cookieBanner?: boolean;
  /** Reels: shorter reels, so that the next one's author row (and its Follow) is in view. */
  peekNext?: boolean;
};

const FEED_PATHS = new Set(['/feed', '/reels', '/reels/']);
const SEARCH_PATHS = new Set(['/search', '/explore/search/keyword', '/explore/search/keyword/']);
const LOGIN_PATHS = new Set(['/login', '/accounts/login', '/accounts/login/']);
/** Reels: a captcha or a suspension is a redirect to a page only its path marks (captchaPath, blockedPath). */
const REELS_REDIRECTS = { captcha: '/challenge/', blocked: '/accounts/suspended/' } as const;
const reelsPage = pageOf(REELS_STYLE, REELS_MARKERS);

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

const VIEWPORT_HEIGHT = 720;

const RECORDED = {
  view: 'views',
  like: 'likes',
  follow: 'follows',
  unlike: 'unlikes',
  unfollow: 'unfollows',
  dismiss: 'dismissals',
  'comment-like': 'commentLikes',
  'notifications-on': 'notificationsOn',
} as const;

function recordEvent(record: AccountRecord, kind: string, item: string, text: string) {
  if (kind === 'comment') record.comments.push({ item, text });
  else record[RECORDED[kind as keyof typeof RECORDED]].push(item);
} // Playwright's default viewport; the scroll profile moves one item.

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
  const markups = new Map<string, Markup>();
  const presence = new Map<string, Set<ServerResponse>>(); // account → open presence streams
  const itemCount = options.items ?? 60;
  const dialogShown = new Set<string>();
  const probes: ProbeReport[] = [];
  const every = (n: number | undefined, i: number) => n !== undefined && i % n === n - 1;

  /** The account's feed, in its markup. */
  function feed(account: string, markup: Markup, query: string, start: number): string {
    const dialog = options.dialogOnFirstLoad === true && !dialogShown.has(account);
    const cookieBanner = options.cookieBanner === true && !dialogShown.has(account);
    dialogShown.add(account);
    const followButtons = options.followButtons ?? true;
    if (markup === 'reels') {
      const reels: Reel[] = Array.from({ length: itemCount }, (_, i) => {
        const sponsored = every(options.sponsoredEvery ?? options.liveEvery, i);
        const id = `${sponsored ? 'ad-' : ''}${query ? `${query}-` : ''}${start + i}`;
        return {
          id,
          sponsored,
          engaged: every(options.engagedEvery, i),
          privateAuthor: every(options.privateEvery, i),
          commentsOff: every(options.commentsOffEvery, i),
        };
      });
      const peekNext = options.peekNext === true;
      return reelsFeedPage(reelsPage, { reels, followButtons, dialog, cookieBanner, peekNext });
    }
    const items = Array.from({ length: itemCount }, (_, i) => {
      const live = every(options.liveEvery, i);
      const id = `${live ? 'live-' : ''}${query ? `${query}-` : ''}${start + i}`;
      return { id, live, engaged: every(options.engagedEvery, i) };
    });
    return feedPage({ items, followButtons, dialog, account });
  }

  /** A page path of either markup, rendered in the account's; false when it is no page path. */
  function servePage(res: ServerResponse, account: string, url: URL, markup: Markup): boolean {
    const state = states.get(account) ?? 'ok';
    const query = url.searchParams.get('q') ?? '';
    const page = (html: string) => {
      stats.record(account).pages.push({ path: url.pathname, markup });
      stats.changed();
      send(res, 200, 'text/html', html);
      return true;
    };
    const marker = (m: Exclude<AccountState, 'ok' | 'drop'>) =>
      page(markup === 'reels' ? reelsMarkerPage(reelsPage, m) : markerPage(m));
    if (LOGIN_PATHS.has(url.pathname)) return marker('logged_out');
    if (url.pathname === REELS_REDIRECTS.captcha) return page(reelsPathPage(reelsPage, 'captcha'));
    if (url.pathname === REELS_REDIRECTS.blocked) return page(reelsPathPage(reelsPage, 'blocked'));
    const isFeed = FEED_PATHS.has(url.pathname);
    if (!isFeed && !SEARCH_PATHS.has(url.pathname)) return false;
    // A logged-out account is sent to the login page, as the real sites do.
    if (state === 'logged_out') {
      const login =
        markup === 'reels' ? `/accounts/login/?next=${encodeURIComponent(url.pathname)}` : '/login';
      res.writeHead(302, { location: login, 'cache-control': 'no-store' }).end();
      return true;
    }
    if (state !== 'ok' && state !== 'drop' && markup === 'reels') {
      res.writeHead(302, { location: REELS_REDIRECTS[state], 'cache-control': 'no-store' }).end();
      return true;
    }
    if (state !== 'ok' && state !== 'drop') return marker(state);
    if (!isFeed) {
      stats.record(account).searches.push(query);
      return page(markup === 'reels' ? reelsSearchPage(reelsPage, query) : searchPage(query));
    }
    return page(feed(account, markup, query, Number(url.searchParams.get('start') ?? 0)));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const account = accountOf(req);
    const state = states.get(account) ?? 'ok';
    if (state === 'drop') {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fixture');
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
    if (req.method === 'GET' && servePage(res, account, url, markups.get(account) ?? 'tiktok')) return;
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
    const kind =
      /^\/api\/(view|like|follow|unlike|unfollow|dismiss|comment|comment-like|notifications-on)$/.exec(
        url.pathname,
      )?.[1];
    if (req.method === 'POST' && kind) {
      const body = await readJson(req);
      recordEvent(stats.record(account), kind, String(body.item), String(body.text ?? ''));
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
    /** The test profile of each markup: `tiktok` is `profile`, `reels` fixture-reels.ts's. */
    profiles: { tiktok: profile, reels: reelsProfile(url) },
    stats,
    /** Every /probe report, in arrival order. */
    probes,
    /** Which markup the account is served from now on (default: tiktok). */
    bindMarkup(account: string, markup: Markup) {
      markups.set(account, markup);
    },
    /** Sets what the account sees from now on; open pages show the marker at once (pushed). */
    accountState(account: string, state: AccountState) {
      states.set(account, state);
      for (const stream of presence.get(account) ?? []) stream.write(`data: ${state}\n\n`);
    },
    /** A Playwright storage state that identifies the account to the fixture (at `domain`, reached through a proxy). */
    storageStateFor(account: string, domain = '127.0.0.1') {
      return {
        cookies: [
          {
            name: 'acct',
            value: encodeURIComponent(account),
            domain,
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
