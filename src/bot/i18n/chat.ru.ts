// Русские тексты настроек чата (/tz, /quiet, /digest), ежедневной сводки и /stats.
import type { chatEn } from './chat.en.ts';
import { type PluralForms, plural } from './intl.ts';

const n = (count: number, forms: PluralForms) => plural('ru', count, forms);
const sessionsN = (count: number) =>
  n(count, { one: '# сеанс', few: '# сеанса', many: '# сеансов', other: '# сеанса' });
const daysN = (count: number) => n(count, { one: '# день', few: '# дня', many: '# дней', other: '# дня' });

export const chatRu: typeof chatEn = {
  help: {
    viewer: ['/stats [дни] — график завершённых сеансов по дням (14 дней, если не сказано; не больше 90)'],
    operator: [
      '/tz [зона|reset] — часовой пояс этого чата, например /tz Europe/Moscow',
      '/quiet [23:00-08:00 [urgent=off]|off] — тихие часы: итоги задач ждут утра',
      '/digest [09:00|off] — ежедневная сводка с графиком в это время',
    ],
  },
  menu: { stats: 'График за последние дни' },
  tz: {
    current: (zone: string, own: boolean) =>
      own
        ? `Часовой пояс этого чата: ${zone}. /tz reset вернёт общий.`
        : `Этот чат живёт по общему часовому поясу: ${zone}. Сменить: /tz Europe/Moscow.`,
    set: (zone: string) => `Время в этом чате теперь показывается по поясу ${zone}.`,
    reset: (zone: string) => `Этот чат снова живёт по общему часовому поясу: ${zone}.`,
    bad: (text: string) =>
      `«${text}» — не известный мне часовой пояс. Укажите, например, Europe/Moscow или Asia/Tbilisi, либо /tz reset.`,
  },
  quiet: {
    none: 'Тихих часов в этом чате нет. Задать: /quiet 23:00-08:00.',
    current: (from: string, until: string, urgent: boolean) =>
      `Тихие часы: ${from}–${until} (${urgent ? 'сбои, из-за которых аккаунт на паузе, приходят сразу' : 'ждёт всё'}). /quiet off отключит их.`,
    set: (from: string, until: string, urgent: boolean, zone: string) =>
      `Тихие часы заданы: ${from}–${until} (${zone}). Итоги задач придут одним сообщением в ${until}${urgent ? '; сбои, из-за которых аккаунт на паузе, — сразу' : ''}.`,
    off: 'Тихие часы отключены: уведомления снова приходят сразу.',
    bad: 'Формат: /quiet 23:00-08:00 [urgent=off] или /quiet off. Время — ЧЧ:ММ, от 00:00 до 23:59, начало и конец разные.',
  },
  digest: {
    none: 'Ежедневной сводки в этом чате нет. Заказать: /digest 09:00.',
    current: (at: string, zone: string) => `Ежедневная сводка в ${at} (${zone}). /digest off отключит её.`,
    set: (at: string, zone: string) => `Ежедневная сводка будет приходить в ${at} (${zone}).`,
    off: 'Ежедневная сводка отключена.',
    bad: 'Формат: /digest 09:00 (время ЧЧ:ММ) или /digest off.',
  },
  stats: {
    bad: 'Формат: /stats [дни] — целое число дней от 1 до 90, например /stats 30.',
    caption: (days: number, done: number, failed: number) =>
      `За ${days === 1 ? 'последний день' : `последние ${daysN(days)}`}: выполнено ${sessionsN(done)}, с ошибкой ${failed}.`,
    noChart: '(График в этот раз не нарисовался.)',
  },
  summary: {
    title: (date: string) => `<b>Сводка за день — ${date}</b>`,
    recent: (done: number, failed: number) => `За 24 ч: выполнено ${sessionsN(done)}, с ошибкой ${failed}.`,
    period: (days: number, done: number, failed: number) =>
      `За ${daysN(days)}: выполнено ${sessionsN(done)}, с ошибкой ${failed}.`,
    reasonLine: (reason: string, count: number) => `  • ${reason}: ${count}`,
    attention: 'Требуют внимания:',
    quarantined: (account: string, reason: string) =>
      `• @${account} — на паузе (${reason}). Посмотрите его и нажмите «Продолжить»; /check ${account} проверит.`,
    unhealthy: (account: string, health: string) => `• @${account} — ${health}. /check ${account} проверит.`,
    programmes: 'Программы:',
    programme: (name: string, day: number, total: number, status: string) =>
      `• ${name} — день ${day}/${total}, ${status}`,
    programmeSkipped: (skips: string) => `    пропущено за 24 ч: ${skips}`,
    programmeStatus: {
      active: 'идёт',
      paused: 'на паузе',
      notStarted: 'начнётся позже',
      finished: 'завершена',
    },
    allWell: 'Со всеми аккаунтами всё в порядке.',
  },
  chart: {
    title: (days: number) => `Сеансы по дням, последние ${daysN(days)}`,
    completed: 'выполнено',
  },
  reasons: {
    logged_out: 'вышел из аккаунта',
    captcha: 'капча',
    blocked: 'заблокирован',
    proxy_error: 'прокси',
    navigation_timeout: 'сайт не загрузился',
    selector_missing: 'страница изменилась',
    browser_crashed: 'сбой браузера',
    worker_lost: 'исполнитель пропал',
    expired: 'долго ждал в очереди',
    cancelled: 'отменён',
    session_unreadable: 'сохранённый вход не читается',
    bad_settings: 'неверные настройки',
    internal_error: 'внутренняя ошибка',
    interrupted: 'прерван',
    job_lost: 'задание потеряно',
    other: 'другое',
  },
};
