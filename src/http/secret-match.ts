// Comparing what a request gives with a secret we hold (the dashboard's password, OPS_TOKEN) in
// constant time: both are hashed first, so neither the contents nor the lengths leak through timing.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** A test of a given value against `secret`, in constant time. */
export function secretMatcher(secret: string): (given: string) => boolean {
  const expected = digest(secret);
  return (given) => timingSafeEqual(digest(given), expected);
}
