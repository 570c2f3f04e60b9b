// The product end to end: a user types /new in Telegram (the fake Bot API), workers run real
// Chromium against the fixture site, and the chat hears the start, the end and the duration;
// then the seed's case — /restart of a completed task — by command and by button.
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { tasks } from '../../src/db/schema.ts';
import { people, useWarmupBot } from '../support/bot.ts';
import { buttonsOf } from '../support/chat-bot.ts';
import { useTestDatabase } from '../support/db.ts';

const database = useTestDatabase();
const chat = people.operator.id;
const { h, site } = useWarmupBot(database, { accounts: ['a', 'b', 'gone'], loggedOut: ['gone'] });

const said = () =>
  h.fake.messages(chat).map((m) => ({ id: m.message_id, text: String(m.text ?? m.caption ?? ''), m }));
const finalOf = (id: number, nth = 1) =>
  // Completion notifications: not /task replies (they list timestamps), not the closed live message (no buttons).
  h.fake.waitFor(
    () =>
      said().filter(
        (s) =>
          s.text.startsWith(`✅ #${id} `) &&
          !s.text.includes('Created:') &&
          buttonsOf(s.m).some(([text]) => text === '🔁 Restart'),
      )[nth - 1],
    {
      timeout: 90_000,
      description: `completion ${nth} of #${id}`,
    },
  );

async function taskRow(id: number) {
  const [row] = await database().db.select().from(tasks).where(eq(tasks.id, id));
  return row!;
}

describe('from /new to the completion message', () => {
  let taskId: number;

  it('/new in one line → a start message naming #N → one completion message with a duration', async () => {
    h.fake.sendText({
      from: people.operator,
      text: '/new accounts=a,b videos=2-2 watch=1-1 likes=1-1 delay=0-0',
    });
    const created = await h.fake.waitFor(() => said().find((s) => /#\d+/.test(s.text)), { timeout: 30_000 });
    taskId = Number(/#(\d+)/.exec(created.text)![1]);
    await h.fake.waitFor(() => said().find((s) => s.text.startsWith(`▶️ #${taskId} `)), { timeout: 60_000 });
    const done = await finalOf(taskId);
    expect(done.text).toMatch(/Accounts: 2 ok · 0 failed · 2 total\nDuration: (\d+m )?\d+s/);
    expect(said().filter((s) => s.text.startsWith(`✅ #${taskId} `))).toHaveLength(1);
    expect(done.text).toContain('completed');
    expect(site.stats.account('a').likes).toHaveLength(1);
    expect(site.stats.account('b').likes).toHaveLength(1);
  }, 120_000);

  it('/task N shows both runs with their counters', async () => {
    h.fake.sendText({ from: people.operator, text: `/task ${taskId}` });
    const details = await h.fake.waitFor(() =>
      said().find((s) => s.text.includes(`#${taskId}`) && s.text.includes('Accounts\n')),
    );
    expect(details.text).toMatch(/✅ a \d+s — watched 2 \(2 s\) · likes 1/);
    expect(details.text).toMatch(/✅ b \d+s — watched 2 \(2 s\) · likes 1/);
  });

  it('/restart N on the completed task clears both timestamps, runs again, and reports the new duration', async () => {
    const before = await taskRow(taskId);
    h.fake.sendText({ from: people.operator, text: `/restart ${taskId}` });
    await vi.waitFor(async () => expect((await taskRow(taskId)).runNumber).toBe(before.runNumber + 1), {
      timeout: 10_000,
      interval: 100,
    });
    const second = await finalOf(taskId, 2);
    expect(second.text).toContain('Restarted by @bob');
    const after = await taskRow(taskId);
    expect(after.status).toBe('completed');
    expect(after.startedAt!.getTime()).toBeGreaterThan(before.completedAt!.getTime());
    expect(after.completedAt!.getTime()).toBeGreaterThan(after.startedAt!.getTime());
  }, 120_000);

  it('the Restart button does the same; two taps at once start one run, the second is told it is queued', async () => {
    const last = (await finalOf(taskId, 2)).m;
    const [, restart] = buttonsOf(last).find(([text]) => text === '🔁 Restart')!;
    const runNumber = (await taskRow(taskId)).runNumber;
    const taps = [people.operator, people.admin].map((from) =>
      h.fake.tapButton({ from, chat, message_id: last.message_id, data: restart! }),
    );
    const answers = await Promise.all(taps.map((id) => h.fake.waitFor(() => h.fake.callbackAnswer(id))));
    // The second tap lands a few milliseconds later: the run is queued, or already running.
    const texts = answers.map((a) => String(a.text));
    expect(texts.filter((t) => t === `Task #${taskId} restarted.`)).toHaveLength(1);
    expect(
      texts.filter((t) => /^Task #\d+ was not restarted: it is (already queued|still running)\.$/.test(t)),
    ).toHaveLength(1);
    await finalOf(taskId, 3);
    expect((await taskRow(taskId)).runNumber).toBe(runNumber + 1);
  }, 120_000);
});

it('a logged-out account ends with a failure photo saying so, with the fix and a Restart button', async () => {
  h.fake.sendText({
    from: people.operator,
    text: '/new accounts=gone videos=2-2 watch=1-1 likes=0-0 delay=0-0',
  });
  const photo = await h.fake.waitFor(
    () => said().find((s) => s.m.photo && s.text.includes('logged out — send a fresh login')),
    {
      timeout: 90_000,
    },
  );
  expect(buttonsOf(photo.m).map(([text]) => text)).toContain('🔁 Restart');
}, 120_000);
