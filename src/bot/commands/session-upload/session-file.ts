// An uploaded login session: a Playwright storage state ({ cookies, origins }) or a cookie list
// exported from a browser extension, validated and normalised to a storage state. Pure. Problems
// name a path and a rule, never a value: the file's contents are secrets.
import { z } from 'zod';

export const MAX_SESSION_BYTES = 1024 * 1024;

const SAME_SITE = {
  strict: 'Strict',
  lax: 'Lax',
  none: 'None',
  no_restriction: 'None',
  unspecified: 'Lax',
} as const;

const cookieSchema = z
  .object({
    name: z.string().min(1).max(4096),
    value: z.string().max(16_384),
    domain: z.string().min(1).max(255),
    path: z.string().max(1024).optional(),
    /** Playwright: seconds since the epoch, -1 for a session cookie. */
    expires: z.number().optional(),
    /** Browser exports (Cookie-Editor, EditThisCookie): seconds since the epoch, fractional. */
    expirationDate: z.number().optional(),
    httpOnly: z.boolean().optional(),
    secure: z.boolean().optional(),
    sameSite: z
      .preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(Object.keys(SAME_SITE)))
      .optional(),
  })
  .transform((c) => ({
    name: c.name,
    value: c.value,
    domain: c.domain,
    path: c.path || '/',
    expires: Math.floor(c.expires ?? c.expirationDate ?? -1),
    httpOnly: c.httpOnly ?? false,
    secure: c.secure ?? false,
    sameSite: SAME_SITE[(c.sameSite ?? 'unspecified') as keyof typeof SAME_SITE],
  }));

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

export type SessionFileResult =
  | { ok: true; state: StorageState }
  | { ok: false; problem: 'notJson' | 'noCookies' }
  | { ok: false; problem: 'badShape'; detail: string };

export function parseSessionFile(bytes: Uint8Array): SessionFileResult {
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
    const where = issue?.path.length ? issue.path.join('.') : 'file';
    return { ok: false, problem: 'badShape', detail: `${where}: ${issue?.message ?? 'invalid'}` };
  }
  if (parsed.data.cookies.length === 0) return { ok: false, problem: 'noCookies' };
  return { ok: true, state: parsed.data };
}
