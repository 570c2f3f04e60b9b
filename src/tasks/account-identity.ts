// Choosing an account's identity: a fresh draw for its country that no other account's stored
// identity matches, so two accounts never show a site the same browser unless an admin sets it so.
import { listOtherIdentities } from '../db/accounts-repo.ts';
import type { Executor } from '../db/client.ts';
import { type BrowserIdentity, generateIdentity, identityKey, readIdentity } from '../warmup/identity.ts';
import { createRandom, type Random } from '../warmup/random.ts';

export async function chooseIdentity(
  exec: Executor,
  options: {
    country?: string;
    locale?: string;
    timezoneId?: string;
    exceptAccountId?: number;
    random?: Random;
  } = {},
): Promise<BrowserIdentity> {
  const taken = await takenIdentityKeys(exec, options.exceptAccountId);
  return generateIdentity(options.random ?? createRandom(), { ...options, taken });
}

/** The keys of every other account's identity. */
export async function takenIdentityKeys(exec: Executor, exceptAccountId?: number): Promise<Set<string>> {
  const stored = await listOtherIdentities(exec, exceptAccountId);
  return new Set(stored.flatMap((value) => readIdentity(value) ?? []).map(identityKey));
}
