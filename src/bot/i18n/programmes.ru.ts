// Русские тексты программ (/plan, /plans): та же форма, что у programmes.en.ts.
import { type PluralForms, plural } from './intl.ts';
import type { programmesEn } from './programmes.en.ts';

const n = (count: number, forms: PluralForms) => plural('ru', count, forms);
const accountsN = (count: number) =>
  n(count, { one: '# аккаунт', few: '# аккаунта', many: '# аккаунтов', other: '# аккаунта' });
const daysN = (count: number) => n(count, { one: '# день', few: '# дня', many: '# дней', other: '# дня' });
const sessionsN = (count: number) =>
  n(count, { one: '# сессия', few: '# сессии', many: '# сессий', other: '# сессии' });

export const programmesRu: typeof programmesEn = {
  usage: [
    'Как задать: /plan name=&lt;имя&gt; accounts=a,b,c window=10:00-13:00,18:00-22:30 [days=14] [ramp=standard] [tz=Europe/Moscow] [sessions=1-2] [gap=90m] [start=2026-12-02]',
    'Пример: /plan name=spring accounts=alice,bob days=14 ramp=standard window=10:00-13:00,18:00-22:30 tz=Europe/Moscow sessions=1-2 gap=90m',
    'Разгон — <code>standard</code> (3 дня <code>observer</code>, 4 <code>light</code>, 3 <code>moderate</code>, 4 <code>active</code>; растягивается под days=), один пресет или по дням: <code>observer:3,light:4</code>; ramp=platform — у каждого аккаунта разгон его платформы (<code>standard</code>, если у платформы своего нет).',
    'В accounts= — имена, tag:&lt;метка&gt;, <code>platform:&lt;имя&gt;</code> или <code>all</code> (из группы — только исправные).',
    '/plans — программы; /plan &lt;id&gt; — её календарь; /plan &lt;id&gt; add=carol (или add=tag:spring) или remove=carol — со следующего дня.',
  ].join('\n'),
  problems: {
    notKeyValue: (token: string) => `«${token}» — не ключ=значение. Пришлите /plan без слов — покажу пример.`,
    unknownKey: (key: string, known: string) => `«${key}» — нет такой настройки программы. Есть: ${known}.`,
    duplicateKey: (key: string) => `${key} указан дважды; укажите каждую настройку один раз.`,
    emptyValue: (key: string) => `У ${key}= нет значения.`,
    missing: (key: string) => `Укажите ${key}=…; пришлите /plan без слов — покажу пример.`,
    badName: 'В name= нужно от 1 до 40 букв, цифр, пробелов, _ . или -, и не одни цифры.',
    badAccount: (value: string) =>
      `«${value}» — не имя аккаунта: буквы, цифры, _ и ., не длиннее 24 символов.`,
    tooManyAccounts: (max: number) => `В одной программе не больше ${max} аккаунтов.`,
    badDays: (value: string, max: number) => `days=${value}: напишите целое число дней от 1 до ${max}.`,
    badRamp: (value: string, presets: string) =>
      `ramp=${value} — не разгон: напишите <code>standard</code>, один пресет или пары пресет:дни, например <code>observer:3,light:4</code> (пресеты: <code>${presets}</code>).`,
    rampDays: (rampDays: number, days: number) =>
      `Разгон длится ${daysN(rampDays)}, а days=${days}: уберите days= или согласуйте их.`,
    badWindow: (value: string) =>
      `«${value}» — не окно: напишите начало-конец в пределах суток, например 10:00-13:00 (конец может быть 24:00).`,
    overlap: (a: string, b: string) => `Окна ${a} и ${b} пересекаются: разведите их.`,
    badTz: (value: string) =>
      `«${value}» — неизвестный часовой пояс: напишите имя из базы часовых поясов, например <code>Europe/Moscow</code> или <code>America/New_York</code>.`,
    badSessions: (value: string, max: number) =>
      `sessions=${value} — не диапазон сессий в день: напишите, например, sessions=1-2 (от 1 до ${max}, меньшее первым).`,
    badGap: (value: string) =>
      `gap=${value} — не промежуток: напишите минуты или часы, например gap=90m или gap=2h.`,
    badStart: (value: string) => `start=${value} — не дата: напишите её так: 2026-12-02.`,
    startPast: (value: string) => `start=${value} уже прошла в часовом поясе программы.`,
    tooTight: (sessions: number, gap: number) =>
      `${sessionsN(sessions)} с промежутком не меньше ${gap} мин не помещаются в эти окна: расширьте их, уменьшите sessions= или gap=.`,
    nameTaken: (name: string) =>
      `Идущая или приостановленная программа «${name}» уже есть: выберите другое имя.`,
  },
  created: (id: number, name: string) => `✅ Программа #${id} «${name}» создана.`,
  summary: {
    days: (days: number, ramp: string, start: string) => `${daysN(days)} (${ramp}), с ${start}`,
    accounts: (count: number, names: string) => `${accountsN(count)}: ${names}`,
    windows: (windows: string, zone: string) => `Окна: ${windows} (${zone})`,
    sessions: (range: string, gap: number) =>
      `${range} сессий в день на аккаунт, не чаще чем раз в ${gap} мин`,
    first: (at: string) => `Первая сессия: ${at}`,
    noFirst: 'Сессии ещё не назначены.',
  },
  list: {
    empty: 'Программ пока нет. Создайте её командой /plan (без слов — покажу пример).',
    header: 'Программы:',
    line: (id: number, name: string, status: string, day: string) =>
      `<b>#${id} ${name}</b> — ${status}, ${day}`,
    health: (total: number, healthy: number, quarantined: number) =>
      quarantined > 0
        ? `${accountsN(total)}: в порядке ${healthy}, в карантине ${quarantined}`
        : `${accountsN(total)}, все в порядке`,
    next: (at: string) => `следующая сессия: ${at}`,
    noNext: 'сессий не назначено',
  },
  day: {
    of: (day: number, total: number) => `день ${day}/${total}`,
    startsOn: (date: string) => `начнётся ${date}`,
    over: (total: number) => `пройдено ${daysN(total)}`,
  },
  status: { active: 'идёт', paused: 'на паузе', stopped: 'остановлена', finished: 'завершена' },
  details: {
    header: (id: number, name: string, status: string, day: string) =>
      `<b>Программа #${id} «${name}»</b> — ${status}, ${day}`,
    upcoming: 'Ближайшие дни:',
    upcomingLine: (day: number, date: string, preset: string, planned: number) =>
      `День ${day} (${date}), ${preset}: запланировано ${sessionsN(planned)}`,
    today: (created: number) => ` — уже создано ${created}`,
    history: 'Прошедшие дни:',
    historyLine: (day: number, date: string, created: number, skipped: string) =>
      `День ${day} (${date}): создано ${created}${skipped ? `, пропущено: ${skipped}` : ''}`,
    noHistory: 'Прошедших дней пока нет.',
    members: (names: string) => `Аккаунты: ${names}`,
  },
  skip: {
    missed: 'упущено',
    quarantined: 'карантин',
    paused: 'пауза',
    stopped: 'остановка',
    removed: 'исключён',
  },
  buttons: {
    pause: '⏸ Пауза',
    resume: '▶️ Продолжить',
    stop: '⏹ Остановить',
    details: 'ℹ️ Подробно',
    yesStop: 'Да, остановить',
    no: 'Нет',
  },
  usageId:
    'Как задать: /plan &lt;id&gt; [add=&lt;аккаунты&gt; | remove=&lt;аккаунт&gt;] — например, /plan 3 add=carol или /plan 3 add=tag:spring',
  notFound: (id: number) => `Программы #${id} нет. Список — /plans.`,
  confirmStop: (id: number, name: string) =>
    `Остановить программу #${id} «${name}» насовсем? Запланированные сессии не пройдут (созданные задачи не трогаются).`,
  paused: (id: number) => `Программа #${id} на паузе: её сессии пропускаются, пока её не продолжат.`,
  resumed: (id: number) => `Программа #${id} продолжается.`,
  stopped: (id: number) => `Программа #${id} остановлена.`,
  notStopped: 'Программа продолжается.',
  unchanged: (id: number, status: string) => `Программа #${id} ${status}: ничего не изменилось.`,
  added: (account: string, id: number, day: number) =>
    `@${account} участвует в программе #${id} с дня ${day}.`,
  removed: (account: string, id: number, day: number) =>
    `@${account} выходит из программы #${id} с дня ${day}.`,
  member: {
    notLive: (id: number) => `Программа #${id} закончилась; состав уже не меняется.`,
    unknownAccount: (account: string) => `Аккаунта @${account} нет. Список: /accounts.`,
    already: (account: string) => `@${account} уже участвует.`,
    notMember: (account: string) => `@${account} не участвует в этой программе.`,
    lastAccount: (account: string) => `@${account} — последний аккаунт программы: лучше остановите её.`,
  },
  badButton: 'Эта кнопка недействительна. Пришлите /plans — дам свежие.',
};
