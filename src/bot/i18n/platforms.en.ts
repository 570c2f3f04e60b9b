// English texts of the account's platform (the site profile it warms on): setting it, refusing an
// unknown one, and the platform shown in /accounts, /account, notices and the daily summary.
export const platformsEn = {
  unknown: (value: string, known: string) => `There is no platform "${value}". Known platforms: ${known}.`,
  set: (username: string, platform: string) => `Account @${username} now warms on ${platform}.`,
  /** /account's line. */
  page: (platform: string) => `Platform: ${platform}`,
  /** The daily summary's line: one part per platform. */
  summary: (parts: string) => `By platform: ${parts}`,
  summaryPart: (platform: string, ok: number, failed: number) => `${platform} ${ok} ok, ${failed} failed`,
};

export type PlatformTexts = typeof platformsEn;
