// An uploaded saved login: a Playwright storage state ({ cookies, origins }) or a cookie list
// exported from a browser extension, validated as Playwright validates cookies and normalised to a
// storage state. Pure. Problems name a path or a cookie and a rule, never a value: those are secrets.
import { z } from 'zod';

export const MAX_LOGIN_BYTES = 1024 * 1024;

const SAME_SITE = {
  strict: 'Strict',
  lax: 'Lax',
  none: 'None',
  no_restriction: 'None',
  unspecified: 'Lax',
} as const;

// Playwright refuses a context whose cookies break these rules (its rewriteCookies); a saved login it
// would refuse is refused here, naming the cookie, instead of failing every run later.
const MAX_EXPIRES = 253_402_300_799; // 9999-12-31T23:59:59Z, Playwright's upper bound

export type CookieRule = 'domain' | 'expires' | 'sameSite';

const cookieSchema = z
  .object({
    name: z.string().min(1).max(4096),
    value: z.string().max(16_384),
    domain: z.string().max(255).optional(),
    path: z.string().max(1024).optional(),
    /** Playwright: seconds since the epoch, -1 for a session cookie. */
    expires: z.number().optional(),
    /** Browser exports (Cookie-Editor, EditThisCookie): seconds since the epoch, fractional. */
    expirationDate: z.number().optional(),
    httpOnly: z.boolean().optional(),
    secure: z.boolean().optional(),
    sameSite: z.string().optional(),
  })
  .transform((c, ctx) => {
    const fail = (rule: CookieRule) => {
      ctx.addIssue({ code: 'custom', message: rule, params: { cookieRule: rule, cookieName: c.name } });
      return z.NEVER;
    };
    if (!c.domain?.trim()) return fail('domain');
    const expires = c.expires ?? (c.expirationDate === undefined ? -1 : Math.floor(c.expirationDate));
    if (!(expires === -1 || (Number.isInteger(expires) && expires > 0 && expires <= MAX_EXPIRES)))
      return fail('expires');
    const sameSite = SAME_SITE[(c.sameSite ?? 'unspecified').toLowerCase() as keyof typeof SAME_SITE];
    if (!sameSite) return fail('sameSite');
    return {
      name: c.name,
      value: c.value,
      domain: c.domain,
      path: c.path || '/',
      expires,
      httpOnly: c.httpOnly ?? false,
      secure: c.secure ?? false,
      sameSite,
    };
  });

const cookiesSchema = z.array(cookieSchema).max(5000);

const storageStateSchema = z.object({
  cookies: cookiesSchema,
  origins: z
    .array(
      z.object({
        origin: z.string().min(1).max(2048),
        localStorage: z.array(z.object({ name: z.string(), value: z.string() })).max(10_000),
      }),
    )
    .max(500)
    .default([]),
});

export type StorageState = z.output<typeof storageStateSchema>;

const cookieListSchema = cookiesSchema.transform((cookies) => ({ cookies, origins: [] }));

export type LoginFileResult =
  | { ok: true; state: StorageState }
  | { ok: false; problem: 'notJson' | 'noCookies' }
  | { ok: false; problem: 'badShape'; detail: string }
  /** `index` counts from 1, as people do; a cookie's name is not secret, its value is. */
  | { ok: false; problem: 'badCookie'; index: number; name: string; rule: CookieRule };

export function parseLoginFile(bytes: Uint8Array): LoginFileResult {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, problem: 'notJson' };
  }
  const schema: z.ZodType<StorageState> = Array.isArray(json) ? cookieListSchema : storageStateSchema;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const params = issue && 'params' in issue ? (issue.params as Record<string, unknown>) : undefined;
    if (params?.cookieRule) {
      const index = issue!.path.find((p): p is number => typeof p === 'number') ?? 0;
      const name = String(params.cookieName);
      return {
        ok: false,
        problem: 'badCookie',
        index: index + 1,
        name,
        rule: params.cookieRule as CookieRule,
      };
    }
    const where = issue?.path.length ? issue.path.join('.') : 'file';
    return { ok: false, problem: 'badShape', detail: `${where}: ${issue?.message ?? 'invalid'}` };
  }
  if (parsed.data.cookies.length === 0) return { ok: false, problem: 'noCookies' };
  return { ok: true, state: parsed.data };
}
