// What of a user's own words a reply may quote back. Text that is or holds a link, or credentials
// (`user:pass@`, or a proxy as sellers write it, `host:port:user:pass`), is never quoted: a reply
// stays in the chat, where the original is deleted.
import { escapeHtml, truncate } from '../shared/text-budget.ts';

/** A link (`scheme://`, `www.`) or credentials of the `user:pass@host` kind anywhere in the text. */
export function looksLikeUrl(text: string): boolean {
  return /[a-z][a-z0-9+.-]*:\/\/|\bwww\./i.test(text) || hasCredentials(text);
}

/**
 * `user:pass@` anywhere, with or without a scheme; or `scheme://secret@` (a token as the user); or
 * a word (or a `key=` value) of the sellers' `host:port:user:pass`, whatever its port. A comma
 * before the '@' is a list (`accounts=tag:spring,@alice`), not the end of a password.
 */
export function hasCredentials(text: string): boolean {
  return (
    /(?:^|[\s/"'(<])[^\s:@/"'(<]+:[^\s@/]*[^\s@/:,]@\S/.test(text) ||
    /:\/\/[^\s/@]+@\S/.test(text) ||
    /(?:^|[\s=])[^\s:@/=]+:\d+:[^\s:]*:\S/.test(text)
  );
}

/** The text escaped and shortened for a reply, or undefined when it must not be quoted at all. */
export function shownInput(text: string, max = 40): string | undefined {
  return looksLikeUrl(text) ? undefined : escapeHtml(truncate(text, max));
}
