// The fixture site's second markup, "reels", loosely modelled on Instagram Reels (design:
// /work/notes/research-24/fixture-markup.md): a scroller <main> of reels whose only stable part
// is a bare <video>, controls that are div[role=button]s holding aria-labelled svgs, a like whose
// svg is replaced (Like ↔ Unlike), a follow that is text only (Follow / Following / Requested), a
// React-like <textarea> that reverts text set from a script, Post enabled only by typed keys,
// comment hearts (12 px) to stay away from, ad reels ("Sponsored"), reels with comments off, a
// "Turn on Notifications" dialog whose Turn On must never be clicked, and moving on only by the
// toolbar's "Navigate to next Reel" (or a wheel over main). Nothing in it matches the first
// markup's selectors, and nothing of the first matches this one's.
import { parseSiteProfile, type SiteProfile } from '../../src/warmup/site-profile.ts';

export type ReelsMarker = 'logged_out' | 'captcha' | 'blocked';

const STYLE = `
  body { margin: 0; font: 16px sans-serif; overflow: hidden; }
  nav { position: fixed; left: 0; top: 0; bottom: 0; width: 60px; background: #fafafa; z-index: 5; }
  main.scroller { position: fixed; left: 60px; right: 0; top: 0; bottom: 0; overflow-y: auto; scroll-snap-type: y mandatory; }
  div[data-reel] { height: var(--reel, 90vh); margin-bottom: 4vh; scroll-snap-align: start; position: relative; background: #eee; }
  div[data-reel] video { display: block; width: 60%; height: 70%; margin: 2% auto 0; background: #333; }
  .author { position: absolute; left: 1em; top: 1em; display: flex; gap: .6em; align-items: center; }
  .peek .author { top: 0; transform: translateY(-45%); }
  .side { position: absolute; right: 1em; top: 30%; display: flex; flex-direction: column; gap: 1em; }
  div[role=button] { cursor: pointer; padding: 4px 8px; border: 1px solid #999; background: #fff; }
  svg { display: block; }
  div[role=toolbar] { position: fixed; right: 4px; top: 40%; z-index: 6; display: flex; flex-direction: column; gap: 4px; }
  .comments { position: fixed; right: 0; top: 0; bottom: 0; width: 340px; background: #fff; border-left: 1px solid #999; z-index: 20; padding: 1em; }
  .comments[hidden] { display: none; }
  .dialog { position: fixed; inset: 0; background: rgba(0,0,0,.6); z-index: 50; display: flex; align-items: center; justify-content: center; }
  .dialog > div { background: #fff; padding: 2em; }
  .cover { position: fixed; inset: 0; background: #fff; z-index: 100; padding: 3em; }
  .grid a { display: inline-block; width: 140px; height: 180px; margin: 6px; background: #dde; }
`;

const MARKERS: Record<ReelsMarker, string> = {
  logged_out:
    '<div class="cover" data-marker><form class="login"><input name="username"><input name="password" type="password"><button type="submit">Log in</button></form></div>',
  captcha:
    '<div class="cover checkpoint" data-marker><iframe title="reCAPTCHA" srcdoc="<p>I am not a robot</p>"></iframe></div>',
  blocked: '<div class="cover suspended-page" data-marker><h2>We suspended your account</h2></div>',
};

/** The markers a pushed state change shows over an open page of this markup. */
export const REELS_MARKERS: Record<string, string> = MARKERS;

const HOME = '<nav><a href="/"><svg aria-label="Home" height="24" width="24"></svg></a></nav>';
const svg = (label: string, size = 24) =>
  `<svg aria-label="${label}" height="${size}" width="${size}"></svg>`;

export type Reel = {
  id: string;
  engaged: boolean;
  sponsored: boolean;
  privateAuthor: boolean;
  commentsOff: boolean;
};

function reelHtml(reel: Reel, followButtons: boolean): string {
  const follow = followButtons
    ? `<div role="button" tabindex="0" data-follow data-private="${reel.privateAuthor}"><div>${reel.engaged ? 'Following' : 'Follow'}</div></div>`
    : '';
  const comment = reel.commentsOff
    ? ''
    : `<div role="button" tabindex="0" data-comment>${svg('Comment')}</div>`;
  return `<div data-reel data-id="${reel.id}"><video muted></video>
  <div class="author"><a href="/author_${reel.id}/">author_${reel.id}</a>${follow}${reel.sponsored ? '<span>Sponsored</span>' : ''}${reel.commentsOff ? '<span>Commenting has been turned off</span>' : ''}</div>
  <div class="side"><div role="button" tabindex="0" data-like><span>${svg(reel.engaged ? 'Unlike' : 'Like')}</span></div>${comment}</div></div>`;
}

// Runs in the page, after the common script (post, show, mostVisible): the reels' behaviour.
const FEED_SCRIPT = `
  const main = document.querySelector('main');
  const reels = [...document.querySelectorAll('div[data-reel]')];
  let current = -1;
  let commentReel = null;
  function update() {
    const i = mostVisible(reels);
    if (i >= 0 && i !== current) { current = i; post('/api/view', { item: reels[i].dataset.id }); }
  }
  main.addEventListener('scroll', update, { passive: true });
  function go(i) { if (reels[i]) { main.scrollTo({ top: reels[i].offsetTop }); update(); } }
  // React-like: a value set from a script is reverted on the next input no key preceded.
  const box = document.querySelector('.comments textarea');
  const postButton = document.querySelector('.comments [data-post]');
  let keyed = false, typed = 0, accepted = '';
  box.addEventListener('keydown', (e) => { keyed = true; if (e.key.length === 1 && !e.ctrlKey && !e.metaKey) typed++; });
  box.addEventListener('input', () => {
    if (!keyed) { box.value = accepted; return; }
    keyed = false;
    accepted = box.value;
    postButton.setAttribute('aria-disabled', String(!(typed > 0 && box.value.trim() !== '')));
  });
  function closeComments() { document.querySelector('.comments').hidden = true; box.value = ''; accepted = ''; typed = 0; postButton.setAttribute('aria-disabled', 'true'); }
  document.addEventListener('click', (e) => {
    const target = e.target.closest('[role=button], button');
    if (!target) return;
    const reel = target.closest('div[data-reel]')?.dataset.id;
    if (target.matches('[data-like]')) {
      const icon = target.querySelector('svg');
      const wasOn = icon.getAttribute('aria-label') === 'Unlike';
      // Instagram swaps the icon: a new svg replaces the old one.
      const fresh = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      icon.replaceWith(fresh);
      fresh.setAttribute('aria-label', wasOn ? 'Like' : 'Unlike');
      fresh.setAttribute('height', '24'); fresh.setAttribute('width', '24');
      post('/api/' + (wasOn ? 'unlike' : 'like'), { item: reel });
    } else if (target.matches('[data-follow]')) {
      const label = target.textContent.trim();
      const on = label === 'Following' || label === 'Requested';
      target.firstElementChild.textContent = on ? 'Follow' : (target.dataset.private === 'true' ? 'Requested' : 'Following');
      post('/api/' + (on ? 'unfollow' : 'follow'), { item: reel });
    } else if (target.matches('[data-comment]')) {
      commentReel = reel;
      document.querySelector('.comments').hidden = false;
    } else if (target.matches('[data-comment-like]')) {
      post('/api/comment-like', { item: commentReel ?? 'none' });
    } else if (target.matches('[data-post]')) {
      if (target.getAttribute('aria-disabled') === 'true') return;
      post('/api/comment', { item: commentReel, text: box.value });
      closeComments();
    } else if (target.matches('[data-next]')) {
      go(current + 1);
    } else if (target.matches('[data-turn-on]')) {
      post('/api/notifications-on', { item: 'notifications' });
      target.closest('.dialog').remove();
    } else if (target.matches('[data-not-now]')) {
      post('/api/dismiss', { item: 'notifications' });
      target.closest('.dialog').remove();
    } else if (target.matches('[data-cookies]')) {
      post('/api/dismiss', { item: 'cookies' });
      target.closest('.dialog').remove();
    }
  });
  update();
`;

export type ReelsPage = (title: string, body: string, script: string) => string;

export function reelsFeedPage(
  page: ReelsPage,
  options: {
    reels: Reel[];
    followButtons: boolean;
    dialog: boolean;
    cookieBanner: boolean;
    peekNext: boolean;
  },
): string {
  const reels = options.reels.map((r) => reelHtml(r, options.followButtons)).join('\n');
  const toolbar =
    '<div role="toolbar" aria-label="Reels navigation controls"><div role="button" aria-label="Navigate to previous Reel">▲</div><div role="button" aria-label="Navigate to next Reel" data-next>▼</div></div>';
  const comments = `<div role="dialog" class="comments" hidden><ul>${['nice', 'great', 'wow']
    .map((c) => `<li>${c} <div role="button" data-comment-like>${svg('Like', 12)}</div></li>`)
    .join(
      '',
    )}</ul><form><textarea aria-label="Add a comment…" placeholder="Add a comment…"></textarea><div role="button" aria-disabled="true" data-post>Post</div></form></div>`;
  const notifications = options.dialog
    ? '<div role="dialog" class="dialog"><div><h2>Turn on Notifications</h2><button data-turn-on>Turn On</button><button data-not-now>Not Now</button></div></div>'
    : '';
  const cookies = options.cookieBanner
    ? '<div role="dialog" class="dialog"><div><h2>Allow the use of cookies from Reels?</h2><button data-cookies>Allow all cookies</button><button>Decline optional cookies</button></div></div>'
    : '';
  // Peeking: short reels, so the next reel's author row (and its Follow) is fully in view, while
  // the current one's sits half above the top edge: the neighbour's Follow is the most visible.
  const height = options.peekNext ? '<style>div[data-reel] { --reel: 82vh; }</style>' : '';
  const main = `<main class="scroller${options.peekNext ? ' peek' : ''}">${reels}</main>`;
  const body = `${height}${HOME}${toolbar}${main}${comments}${notifications}${cookies}`;
  return page('Reels', body, FEED_SCRIPT);
}

export function reelsSearchPage(page: ReelsPage, query: string): string {
  const q = encodeURIComponent(query);
  const tiles = Array.from({ length: 8 }, (_, i) => `<a href="/reels/?q=${q}&start=${i * 100}"></a>`);
  return page('Search', `${HOME}<main><div class="grid">${tiles.join('')}</div></main>`, '');
}

export function reelsMarkerPage(page: ReelsPage, state: ReelsMarker): string {
  return page(state, MARKERS[state], '');
}

export const REELS_STYLE = STYLE;

/**
 * Where a captcha or a suspension redirects: a code-entry checkpoint and a plain suspension
 * notice, neither matching the profile's marker selectors, so only its paths can tell.
 */
export function reelsPathPage(page: ReelsPage, state: 'captcha' | 'blocked'): string {
  return state === 'captcha'
    ? page(
        'Checkpoint',
        '<div class="cover"><p>Enter the code we sent you</p><input name="verificationCode"></div>',
        '',
      )
    : page('Suspended', '<div class="cover"><p>Your account has been disabled</p></div>', '');
}

/** The test profile of this markup (not the built-in instagram.json: that one follows the live site). */
export function reelsProfile(url: string): SiteProfile {
  return parseSiteProfile(
    {
      name: 'fixture-reels',
      startUrl: `${url}/reels/`,
      searchUrl: `${url}/explore/search/keyword/?q={query}`,
      selectors: {
        feedItem: 'main div[data-reel] video',
        itemContainer: 'main div[data-reel]',
        like: "xpath=//main//div[@role='button'][descendant::*[local-name()='svg'][@aria-label='Like' or @aria-label='Unlike'][@height='24']]",
        likeActive: 'svg[aria-label="Unlike"]',
        follow:
          "xpath=//main//div[@role='button'][normalize-space()='Follow' or normalize-space()='Following' or normalize-space()='Requested']",
        followActive:
          "xpath=//div[@role='button'][normalize-space()='Following' or normalize-space()='Requested']",
        commentOpen: 'main div[role="button"]:has(svg[aria-label="Comment"])',
        commentInput: 'textarea[aria-label^="Add a comment"]',
        commentSubmit: "xpath=//form[.//textarea]//div[@role='button'][normalize-space()='Post']",
        searchResultItem: 'main .grid a[href^="/reels/"]',
        skipItem: 'span:text-is("Sponsored")',
        commentsOff: 'main div[data-reel]:not(:has(svg[aria-label="Comment"]))',
        loggedIn: 'nav svg[aria-label="Home"]',
        loggedOut: 'form.login input[name="password"]',
        captcha: '.checkpoint iframe[title="reCAPTCHA"]',
        blocked: '.suspended-page h2',
      },
      loggedOutPath: '^/accounts/login',
      captchaPath: '^/challenge/',
      blockedPath: '^/accounts/suspended',
      dismiss: [
        {
          name: 'cookie consent',
          when: 'div[role="dialog"]:has-text("Allow the use of cookies")',
          click: 'div[role="dialog"] button:text-is("Allow all cookies")',
        },
        {
          name: 'turn on notifications',
          when: 'div[role="dialog"]:has-text("Turn on Notifications")',
          click: 'div[role="dialog"] button:text-is("Not Now")',
        },
      ],
      next: { kind: 'click', selector: '[role="toolbar"] [aria-label="Navigate to next Reel"]' },
    },
    'fixture reels profile',
  );
}
