// Counting the page's requests that change something (not GET/HEAD) and have not finished, so
// that the last like or comment reaches the site before the page is closed.
import type { Page } from 'playwright-core';

export function countPendingWrites(page: Page): () => number {
  let pending = 0;
  const isWrite = (request: { method(): string }) =>
    request.method() !== 'GET' && request.method() !== 'HEAD';
  page.on('request', (request) => {
    if (isWrite(request)) pending++;
  });
  const done = (request: { method(): string }) => {
    if (isWrite(request)) pending--;
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return () => pending;
}
