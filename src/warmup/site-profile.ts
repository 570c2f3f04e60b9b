// The site profile: where the warmup goes and which selectors it uses, as data (JSON validated by
// zod), so an operator fixes a changed site by editing the profile. TikTok's ships built in.
import { readFile } from 'node:fs/promises';
import type { BrowserContext } from 'playwright-core';
import { z } from 'zod';
import { platformWarmupSchema } from './platform-warmup.ts';
import { findSelectorProblem } from './selector-syntax.ts';

const selector = z
  .string('must be a selector string')
  .trim()
  .min(1, 'must not be empty')
  .check((ctx) => {
    const problem = findSelectorProblem(ctx.value);
    if (problem)
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `invalid selector "${ctx.value}": ${problem}`,
      });
  });

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const SELECTOR_FIELDS = [
  'feedItem',
  'itemContainer',
  'like',
  'likeActive',
  'follow',
  'followActive',
  'commentOpen',
  'commentInput',
  'commentSubmit',
  'searchResultItem',
  'skipItem',
  'commentsOff',
  'loggedIn',
  'loggedOut',
  'captcha',
  'blocked',
] as const;

const pathPattern = z
  .string('must be a regular expression string')
  .min(1, 'must not be empty')
  .refine((v) => {
    try {
      new RegExp(v);
      return true;
    } catch {
      return false;
    }
  }, 'must be a valid regular expression');

/** A profile's name is the platform name accounts use (`platform=instagram`). */
export const PLATFORM_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export const siteProfileSchema = z
  .strictObject({
    name: z
      .string('must be a string')
      .trim()
      .toLowerCase()
      .regex(PLATFORM_NAME, 'must be a platform name: 1–32 characters of a–z, 0–9, _ and -'),
    startUrl: httpUrl,
    searchUrl: z
      .string()
      .refine((v) => v.includes('{query}'), 'must contain {query} where the keyword goes')
      .refine((v) => URL.canParse(v.replace('{query}', 'x')), 'must be a URL'),
    selectors: z.strictObject({
      feedItem: selector,
      /**
       * The current item's own part of the page: the nearest ancestor of the feed item (or the
       * item) that matches. skipItem and commentsOff are looked for inside it, and like, follow
       * and commentOpen are taken from inside it when it holds one (a neighbour's may be in view).
       */
      itemContainer: selector.optional(),
      like: selector,
      /** Matches a like control that is already on (the control itself, an ancestor or a child). */
      likeActive: selector.optional(),
      follow: selector,
      followActive: selector.optional(),
      commentOpen: selector.optional(),
      commentInput: selector,
      commentSubmit: selector,
      searchResultItem: selector,
      /** Feed items passed over without watching or engaging (LIVE, ads): the item or inside it. */
      skipItem: selector.optional(),
      /** Shown on an item whose comments are off: a planned comment moves to a later item. */
      commentsOff: selector.optional(),
      /** Visible only when logged in; reported by the pre-flight check. */
      loggedIn: selector.optional(),
      loggedOut: selector,
      captcha: selector,
      blocked: selector,
    }),
    /** A regular expression on the page URL's path that means "logged out" (a login redirect). */
    loggedOutPath: pathPattern.optional(),
    /** The same for a checkpoint or captcha page (`^/challenge/`): ends the run `captcha`. */
    captchaPath: pathPattern.optional(),
    /** The same for a suspension page (`^/accounts/suspended`): ends the run `blocked`. */
    blockedPath: pathPattern.optional(),
    /** Interruptions: when `when` is visible, `click` is clicked (dialogs, banners). */
    dismiss: z
      .array(z.strictObject({ name: z.string().trim().min(1).max(60), when: selector, click: selector }))
      .max(20)
      .default([]),
    next: z.discriminatedUnion(
      'kind',
      [
        z.strictObject({
          kind: z.literal('key'),
          key: z.string().min(1, 'must name a key such as ArrowDown'),
        }),
        z.strictObject({
          kind: z.literal('scroll'),
          pixels: z.int().min(1, 'must be a positive number of pixels'),
        }),
        z.strictObject({ kind: z.literal('click'), selector }),
      ],
      'must be { "kind": "key", "key": … }, { "kind": "scroll", "pixels": … } or { "kind": "click", "selector": … }',
    ),
    /** This platform's knob ranges, presets, ramp and daily caps (platform-warmup.ts). */
    warmup: platformWarmupSchema.optional(),
    /** Where each selector comes from ("selectors.like": "…"): JSON has no comments. */
    notes: z.record(z.string(), z.string()).optional(),
  })
  .check((ctx) => {
    const known = new Set<string>([
      ...SELECTOR_FIELDS.map((f) => `selectors.${f}`),
      'startUrl',
      'searchUrl',
      'loggedOutPath',
      'captchaPath',
      'blockedPath',
      'dismiss',
      'next',
      'warmup',
    ]);
    for (const key of Object.keys(ctx.value.notes ?? {})) {
      if (!known.has(key) && !key.startsWith('warmup.'))
        ctx.issues.push({
          code: 'custom',
          input: key,
          path: ['notes', key],
          message: 'names no field of the profile',
        });
    }
  });

export type SiteProfile = z.infer<typeof siteProfileSchema>;
export type SelectorField = keyof SiteProfile['selectors'];

export class SiteProfileError extends Error {
  override name = 'SiteProfileError';
  /** Each bad field as `field: what is wrong` (empty when the file could not be read at all). */
  readonly problems: string[];
  constructor(message: string, options?: ErrorOptions & { problems?: string[] }) {
    super(message, options);
    this.problems = options?.problems ?? [];
  }
}

/** Validates profile data; the error names the source and every bad field ("selectors.like: …"). */
export function parseSiteProfile(data: unknown, source = 'site profile'): SiteProfile {
  const parsed = siteProfileSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`,
  );
  throw new SiteProfileError(`${source} is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`, {
    problems,
  });
}

/** One profile file, validated; any problem is one line: the file, then each bad field and what is wrong. */
export async function loadSiteProfile(file: string): Promise<SiteProfile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new SiteProfileError(`site profile ${file} could not be read: ${code}`, { cause: err });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new SiteProfileError(`site profile ${file} is not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    return parseSiteProfile(data, `site profile ${file}`);
  } catch (err) {
    if (!(err instanceof SiteProfileError)) throw err;
    throw new SiteProfileError(`site profile ${file} is invalid: ${err.problems.join('; ')}`, {
      cause: err,
      problems: err.problems,
    });
  }
}

/** Every selector of the profile with its field name, as the errors spell it. */
export function profileSelectors(profile: SiteProfile): Array<[field: string, selector: string]> {
  const entries = Object.entries(profile.selectors)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([field, value]): [string, string] => [`selectors.${field}`, value]);
  profile.dismiss.forEach((rule, i) => {
    entries.push([`dismiss.${i}.when`, rule.when], [`dismiss.${i}.click`, rule.click]);
  });
  if (profile.next.kind === 'click') entries.push(['next.selector', profile.next.selector]);
  return entries;
}

/**
 * The exact check: Playwright's own selector engine parses each selector on a blank page. Run it
 * once at worker startup; it catches what the cheap syntax check cannot (an unknown pseudo-class).
 */
export async function verifySelectorsInBrowser(context: BrowserContext, profile: SiteProfile): Promise<void> {
  const page = await context.newPage();
  try {
    const problems: string[] = [];
    for (const [field, value] of profileSelectors(profile)) {
      try {
        await page.locator(value).count();
      } catch (err) {
        const reason = ((err as Error).message.split('\n')[0] ?? '').replace(/^locator\.count: /, '');
        problems.push(`  ${field}: invalid selector "${value}": ${reason}`);
      }
    }
    if (problems.length > 0)
      throw new SiteProfileError(`site profile ${profile.name} is invalid:\n${problems.join('\n')}`);
  } finally {
    await page.close();
  }
}
