// Русские тексты платформы аккаунта (профиль сайта, на котором он прогревается).
import type { PlatformTexts } from './platforms.en.ts';

export const platformsRu: PlatformTexts = {
  unknown: (value: string, known: string) => `Платформы «${value}» нет. Известные платформы: ${known}.`,
  set: (username: string, platform: string) => `Аккаунт @${username} теперь прогревается на ${platform}.`,
  page: (platform: string) => `Платформа: ${platform}`,
  summary: (parts: string) => `По платформам: ${parts}`,
  summaryPart: (platform: string, ok: number, failed: number) =>
    `${platform}: успешно ${ok}, с ошибкой ${failed}`,
};
