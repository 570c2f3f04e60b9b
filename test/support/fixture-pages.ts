// The fixture site's HTML: a feed of full-screen items with like/follow/comment controls, a search
// results page, and the marker pages (logged out, captcha, banned). Every page reports presence.
// It has the real site's traps: like and follow are toggles (aria-pressed), LIVE cards, a dialog
// over the feed, and a rich comment editor whose Post stays disabled until real keystrokes arrive.
export type MarkerState = 'logged_out' | 'captcha' | 'blocked';

const STYLE = `
  body { margin: 0; font: 16px sans-serif; }
  .item { height: 100vh; box-sizing: border-box; border-bottom: 2px solid #999; position: relative; padding: 2em; }
  .controls { position: absolute; right: 2em; top: 30%; display: flex; flex-direction: column; gap: 1em; }
  #comment-panel { display: none; position: fixed; left: 0; right: 0; bottom: 0; padding: 1em; background: #eee; }
  #comment-panel.open { display: block; }
  .overlay { position: fixed; inset: 0; background: #fff; z-index: 100; padding: 3em; }
  .result { display: block; height: 80px; margin: 8px; background: #def; }
  #interests { position: fixed; inset: 0; z-index: 50; background: rgba(0,0,0,.6); color: #fff; padding: 4em; }
  #me { position: fixed; top: 0; right: 0; z-index: 10; background: #fff; padding: 4px; }
  #comment-input { min-height: 1.5em; background: #fff; border: 1px solid #999; }
  .live-badge { background: red; color: #fff; padding: 2px 6px; }
`;

const MARKERS: Record<MarkerState, string> = {
  logged_out: '<div class="overlay" id="login-wall" data-marker>Log in to continue</div>',
  captcha: '<div class="overlay" id="captcha" data-marker>Drag the slider to verify</div>',
  blocked: '<div class="overlay" id="banned" data-marker>Your account was banned</div>',
};

// Runs in the page: presence (a long-lived EventSource, one tab id per browser tab, on which the
// server also pushes account state changes), posting events, and showing a marker on a change.
const commonScript = (markers: Record<string, string>) => `
  const tab = sessionStorage.getItem('tab') || Math.random().toString(36).slice(2);
  sessionStorage.setItem('tab', tab);
  const markers = ${JSON.stringify(markers)};
  function show(state) {
    if (markers[state] && !document.querySelector('[data-marker]')) document.body.insertAdjacentHTML('beforeend', markers[state]);
  }
  new EventSource('/presence?tab=' + tab).onmessage = (event) => show(event.data);
  async function post(path, body) {
    const response = await fetch(path, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    show((await response.json()).state);
  }
  // The index of the element most on screen (a feed's current item), -1 when none is.
  function mostVisible(elements) {
    let best = -1, bestArea = 0;
    elements.forEach((el, i) => {
      const r = el.getBoundingClientRect();
      const h = Math.min(r.bottom, innerHeight) - Math.max(r.top, 0);
      if (h > bestArea) { best = i; bestArea = h; }
    });
    return best;
  }
`;

const FEED_SCRIPT = `
  const items = [...document.querySelectorAll('.item')];
  let current = -1;
  let commentItem = null;
  function update() {
    const i = mostVisible(items);
    if (i >= 0 && i !== current) { current = i; post('/api/view', { item: items[i].dataset.id }); }
  }
  function go(i) { if (items[i]) { items[i].scrollIntoView({ block: 'start' }); update(); } }
  addEventListener('scroll', update, { passive: true });
  addEventListener('keydown', (e) => {
    const typing = document.activeElement?.tagName === 'INPUT' || document.activeElement?.isContentEditable;
    if (e.key === 'ArrowDown' && !typing) { e.preventDefault(); go(current + 1); }
  });
  // Draft.js-like: text set from a script shows, but Post is enabled only by typed keys.
  const editor = document.getElementById('comment-input');
  const submit = document.getElementById('comment-submit');
  let typedKeys = 0;
  function syncSubmit() {
    const enabled = typedKeys > 0 && editor.textContent.trim() !== '';
    submit.disabled = !enabled;
    submit.setAttribute('aria-disabled', String(!enabled));
  }
  editor.addEventListener('keydown', (e) => {
    if (e.key.length === 1 && !e.ctrlKey && !e.metaKey) typedKeys++;
    setTimeout(syncSubmit);
  });
  editor.addEventListener('input', syncSubmit);
  document.addEventListener('click', (e) => {
    const button = e.target.closest('button');
    if (!button) return;
    const item = button.closest('.item')?.dataset.id;
    if (button.matches('.like, .follow')) {
      const kind = button.matches('.like') ? 'like' : 'follow';
      const wasOn = button.getAttribute('aria-pressed') === 'true';
      button.setAttribute('aria-pressed', String(!wasOn));
      if (kind === 'follow') button.textContent = wasOn ? 'Follow' : 'Following';
      post('/api/' + (wasOn ? 'un' + kind : kind), { item });
    } else if (button.matches('.comment-open')) {
      commentItem = item;
      document.getElementById('comment-panel').classList.add('open');
    } else if (button.matches('#comment-submit')) {
      post('/api/comment', { item: commentItem, text: editor.textContent });
      editor.textContent = '';
      typedKeys = 0;
      syncSubmit();
      document.getElementById('comment-panel').classList.remove('open');
    } else if (button.matches('#interests .skip')) {
      document.getElementById('interests').remove();
      post('/api/dismiss', { item: 'interests' });
    } else if (button.matches('.next')) {
      go(current + 1);
    }
  });
  update();
`;

/** A page builder of one markup: its style, and the markers a pushed state change shows. */
export function pageOf(style: string, markers: Record<string, string>) {
  return (title: string, body: string, script: string): string =>
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><style>${style}</style></head>
<body>${body}<script>${commonScript(markers)}${script}</script></body></html>`;
}

const page = pageOf(STYLE, MARKERS);

export function markerPage(state: MarkerState): string {
  return page(state, MARKERS[state], '');
}

export type FeedItem = { id: string; engaged: boolean; live: boolean };

export function feedPage(options: {
  items: FeedItem[];
  followButtons: boolean;
  dialog: boolean;
  account: string;
}): string {
  const items = options.items.map(
    ({
      id,
      engaged,
      live,
    }) => `<article class="item" data-id="${id}">${live ? '<span class="live-badge">LIVE</span>' : ''}
  <h2>Video ${id}</h2><p>by @author_${id}</p>
  <div class="controls"><button class="like" aria-pressed="${engaged}">Like</button>${options.followButtons ? `<button class="follow" aria-pressed="${engaged}">${engaged ? 'Following' : 'Follow'}</button>` : ''}
  <button class="comment-open">Comments</button><button class="next">Next</button></div></article>`,
  );
  const panel =
    '<div id="comment-panel"><div id="comment-input" contenteditable="true"></div><button id="comment-submit" disabled aria-disabled="true">Post</button></div>';
  const dialog = options.dialog
    ? '<div id="interests" role="dialog"><h1>Choose your interests</h1><button class="skip">Skip</button></div>'
    : '';
  const me = `<div id="me">@${options.account.replace(/[<>&"]/g, '')}</div>`;
  return page('Feed', items.join('\n') + panel + dialog + me, FEED_SCRIPT);
}

export function searchPage(query: string): string {
  const safe = query.replace(/[<>&"]/g, '');
  const results = Array.from(
    { length: 8 },
    (_, i) =>
      `<a class="result" href="/feed?q=${encodeURIComponent(query)}&start=${i * 100}">Result ${i + 1}</a>`,
  );
  return page('Search', `<h1>Results for ${safe}</h1>${results.join('\n')}`, '');
}

/**
 * What a site can learn of the browser: the page posts navigator.webdriver, the user agent,
 * languages, timezone, screen and every ICE candidate an RTCPeerConnection gathers to /api/probe.
 */
export function probePage(): string {
  return `<!doctype html><html><body><pre id="report">probing…</pre><script>
(async () => {
  const pc = new RTCPeerConnection({ iceServers: [] });
  pc.createDataChannel('probe');
  const candidates = [];
  pc.onicecandidate = (e) => { if (e.candidate && e.candidate.candidate) candidates.push(e.candidate.candidate); };
  const gathered = new Promise((resolve) => {
    pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') resolve(); };
  });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered;
  pc.close();
  const report = {
    webdriver: navigator.webdriver,
    userAgent: navigator.userAgent,
    languages: [...navigator.languages],
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    screen: [screen.width, screen.height],
    viewport: [innerWidth, innerHeight],
    deviceScaleFactor: devicePixelRatio,
    candidates,
  };
  await fetch('/api/probe', { method: 'POST', body: JSON.stringify(report) });
  document.getElementById('report').textContent = JSON.stringify(report);
})();
</script></body></html>`;
}
