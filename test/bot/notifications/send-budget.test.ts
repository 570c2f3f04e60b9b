// The one send budget, through real telegraf and the fake Bot API: a command's reply that met a
// 429 is sent again after retry_after (nothing else reaches that chat meanwhile), strangers get
// one refusal per 10 minutes, and calls made through an update's context are counted.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { REFUSAL_INTERVAL_MS } from '../../../src/bot/commands/middlewares/access.ts';
import { auditLog } from '../../../src/db/schema.ts';
import { createMetrics } from '../../../src/http/metrics.ts';
import { people, useBotHarness } from '../../support/bot.ts';
import { askIn } from '../../support/chat-bot.ts';
import { useTestDatabase } from '../../support/db.ts';
import { testLog } from '../../support/jobs.ts';

const database = useTestDatabase();
const metrics = createMetrics(testLog);
let clock = Date.parse('2026-01-01T10:00:00Z');
const h = useBotHarness(database, { metrics, wiring: { now: () => clock } });

describe('a command reply and Telegram’s 429', () => {
  it('is sent again after retry_after, and nothing reaches that chat before it', async () => {
    const chat = people.viewer.id;
    const since = h.fake.calls().length;
    h.fake.failNext('sendMessage', { status: 429, retryAfter: 3 });
    const reply = await askIn(h.fake, people.viewer, '/list');
    const toChat = h.fake.calls().filter((c) => c.index >= since && c.params.chat_id === chat);
    expect(toChat.map((c) => c.status)).toEqual([429, 200]);
    const [refused, sent] = toChat as [(typeof toChat)[0], (typeof toChat)[0]];
    expect(sent.params.text).toBe(refused.params.text);
    expect(sent.at - refused.at).toBeGreaterThanOrEqual(3000);
    expect(reply).toBe(String(refused.params.text));
  }, 30_000);
});

describe('strangers', () => {
  it('get at most one refusal per 10 minutes, audited once', async () => {
    const stranger = people.stranger;
    const since = h.fake.calls().length;
    await askIn(h.fake, stranger, '/list');
    for (const text of ['/list', '/task 1', '/help']) h.fake.sendText({ from: stranger, text });
    // Wait for the bot to have taken every update, then count what it sent the stranger.
    await h.fake.waitFor(() => h.fake.pendingUpdates() === 0 && h.fake.calls('getUpdates').length > 0);
    await askIn(h.fake, people.viewer, '/help'); // a later update handled: the stranger's are done
    const refusals = h.fake
      .calls('sendMessage')
      .filter((c) => c.index >= since && c.params.chat_id === stranger.id);
    expect(refusals).toHaveLength(1);
    const audited = await database().db.select().from(auditLog).where(eq(auditLog.actorId, stranger.id));
    expect(audited).toHaveLength(1);
    clock += REFUSAL_INTERVAL_MS;
    expect(await askIn(h.fake, stranger, '/list')).toContain(String(stranger.id));
  });
});

describe('metrics', () => {
  it('count the calls made through an update’s context, 429s included', async () => {
    const text = await metrics.render();
    expect(text).toMatch(/warmup_telegram_api_calls_total\{method="sendMessage",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/warmup_telegram_api_calls_total\{method="sendMessage",outcome="429"\} 1/);
    expect(text).toMatch(/warmup_telegram_api_errors_total\{method="sendMessage",code="429"\} 1/);
  });
});
