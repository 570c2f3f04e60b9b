// Русские тексты: приостановка аккаунта и «Продолжить», страница аккаунта (/account), /retry_failed.
import type { FleetTexts } from './fleet.en.ts';
import { type PluralForms, plural } from './intl.ts';

const n = (count: number, forms: PluralForms) => plural('ru', count, forms);
const runsN = (count: number) =>
  n(count, {
    one: '# неудачный запуск',
    few: '# неудачных запуска',
    many: '# неудачных запусков',
    other: '# неудачного запуска',
  });
const tasksOf = (count: number) =>
  n(count, { one: '# задачи', few: '# задач', many: '# задач', other: '# задачи' });
const tasksN = (count: number) =>
  n(count, { one: '# задача', few: '# задачи', many: '# задач', other: '# задачи' });

export const fleetRu: FleetTexts = {
  help: {
    viewer: [
      '/account &lt;имя&gt; — один аккаунт: состояние, профиль браузера, программы, последние запуски',
    ],
    operator: [
      '/account_resume &lt;имя&gt; — снять с паузы аккаунт, остановленный капчей, блокировкой или выходом',
      '/retry_failed [причина] [since=24h] [accounts=tag:x,…] — перезапустить неудачные запуски всех задач (сначала спросит)',
    ],
    admin: [
      'файл CSV или TXT с подписью /accounts_import — добавить или изменить много аккаунтов сразу (сначала предпросмотр)',
      '/accounts_export — парк аккаунтов файлом CSV (без паролей)',
      '/account_remove &lt;имя&gt; — удалить аккаунт (сначала спросит; прошлые запуски остаются)',
    ],
  },
  menu: {
    account: 'Один аккаунт целиком: /account alice',
    retry_failed: 'Перезапустить неудачные: /retry_failed captcha since=24h',
    accounts_import: 'Импорт аккаунтов: пришлите CSV с этой подписью',
    accounts_export: 'Парк аккаунтов файлом CSV',
    account_remove: 'Удалить аккаунт: /account_remove alice',
  },
  quarantine: {
    notice: (account: string, why: string) => `⏸ <b>${account}</b> приостановлен во всех программах: ${why}`,
    why: {
      captcha: 'упёрся в капчу — откройте аккаунт вручную, затем нажмите «Продолжить».',
      blocked: 'аккаунт заблокирован — проверьте его вручную, затем нажмите «Продолжить».',
      logged_out: (account: string) =>
        `вышел из аккаунта — отправьте свежий вход (/login ${account}), это снимет паузу, или нажмите «Продолжить».`,
      other: 'нужна проверка вручную — затем нажмите «Продолжить».',
    },
    more: (count: number) =>
      `⏸ …и ещё ${n(count, { one: '# аккаунт', few: '# аккаунта', many: '# аккаунтов', other: '# аккаунта' })} на паузе: /account &lt;имя&gt; покажет каждый.`,
    resumeButton: (account: string) => `▶️ Продолжить ${account}`,
    resumed: (account: string) => `@${account} снова в работе: программы опять его включают.`,
    notPaused: (account: string) => `@${account} не на паузе (уже продолжен).`,
    gone: 'Этого аккаунта больше нет. Список: /accounts.',
    usage: 'Как: /account_resume &lt;аккаунт&gt; — например, /account_resume alice',
    resumedByLogin: 'Он был на паузе; программы снова его включают.',
  },
  account: {
    usage: 'Как: /account &lt;имя&gt; — например, /account alice (список: /accounts)',
    header: (account: string) => `👤 <b>@${account}</b>`,
    health: (health: string, when: string) => `Состояние: ${health} (${when})`,
    healthNever: (health: string) => `Состояние: ${health}`,
    identity: (summary: string) => `Профиль браузера: ${summary}`,
    paused: (reason: string, when: string) => `⏸ На паузе во всех программах с ${when}: ${reason}`,
    notPaused: 'Не на паузе.',
    programmes: (names: string) => `Программы: ${names}`,
    noProgrammes: 'Программы: нет',
    programme: (name: string, status: string) => `${name} (${status})`,
    programmeStatus: {
      active: 'идёт',
      paused: 'на паузе',
      stopped: 'остановлена',
      finished: 'завершена',
    } as Record<string, string>,
    runs: 'Последние запуски:',
    noRuns: 'Запусков ещё не было.',
    run: (taskId: number, status: string, when: string, took: string) =>
      `#${taskId} ${status} · ${when} · ${took}`,
    notStarted: 'не начинался',
    buttons: { check: '🔎 Проверить', resume: '▶️ Продолжить', restartLast: '🔁 Перезапустить последний' },
    noLastRun: 'У этого аккаунта ещё нет запуска, который можно перезапустить.',
  },
  retry: {
    usage:
      'Как: /retry_failed [причина] [since=24h] [accounts=tag:spring,alice] — например, /retry_failed captcha since=6h (срок в часах или днях, не больше 30d)',
    badReason: (value: string, codes: string) => `«${value}» — не причина сбоя. Причины: ${codes}.`,
    badSince: (value: string) =>
      `«${value}» — не срок: укажите since= в часах или днях, например since=6h или since=2d (не больше 30d).`,
    anyReason: 'любая причина',
    ofAccounts: (selection: string) => `аккаунты ${selection}`,
    expired: 'Этот вопрос устарел: отправьте /retry_failed ещё раз.',
    lastHours: (h: number) => `последние ${h} ч`,
    lastDays: (d: number) => `последние ${d} дн.`,
    nothing: (filter: string) => `Нет неудачных запусков для перезапуска (${filter}).`,
    confirm: (runs: number, tasks: number, filter: string) =>
      `Перезапустить ${runsN(runs)} из ${tasksOf(tasks)} (${filter})?`,
    paused: (count: number) =>
      `${n(count, { one: 'Из них # — аккаунт на паузе', few: 'Из них # — аккаунты на паузе', many: 'Из них # — аккаунты на паузе', other: 'Из них # — аккаунты на паузе' })} (сначала /account_resume, иначе, скорее всего, снова будет сбой).`,
    buttons: { confirm: '🔁 Перезапустить', cancel: '✖️ Отмена' },
    done: (runs: number, tasks: number) => `Перезапущено: ${runsN(runs)} из ${tasksOf(tasks)}.`,
    busy: (tasks: number) => `Не тронуто, потому что ещё не завершилось: ${tasksN(tasks)}.`,
    nothingLeft: 'Ни один из этих запусков больше не в ошибке: ничего не перезапущено.',
    cancelled: 'Ничего не перезапущено.',
    badButton: 'Эта кнопка недействительна. Отправьте /retry_failed ещё раз.',
  },
};
