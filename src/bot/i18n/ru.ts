// Русские тексты: та же форма, что у en.ts.

import { chatRu } from './chat.ru.ts';
import type { Texts } from './en.ts';
import { fleetRu } from './fleet.ru.ts';
import { fleetManageRu } from './fleet-manage.ru.ts';
import { inboxRu } from './inbox.ru.ts';
import { number, type PluralForms, plural } from './intl.ts';
import { nextStepsRu } from './next-steps.ru.ts';
import { platformsRu } from './platforms.ru.ts';
import { programmesRu } from './programmes.ru.ts';

const n = (count: number, forms: PluralForms) => plural('ru', count, forms);
/** A count or measure as the language writes it: 12,345 / 12 345. */
const num = (value: number) => number('ru', value);
/** 1 аккаунт, 2 аккаунта, 5 аккаунтов, 21 аккаунт. */
const accountsN = (count: number) =>
  n(count, { one: '# аккаунт', few: '# аккаунта', many: '# аккаунтов', other: '# аккаунта' });
/** Из 1 аккаунта, из 2 аккаунтов, из 5 аккаунтов, из 21 аккаунта. */
const accountsOf = (count: number) =>
  n(count, { one: '# аккаунта', few: '# аккаунтов', many: '# аккаунтов', other: '# аккаунта' });

export const ru: Texts = {
  locale: { lang: 'ru', timeZone: 'UTC' },
  units: { h: (v: string) => `${v} ч`, m: (v: string) => `${v} мин`, s: (v: string) => `${v} с` },
  nextSteps: nextStepsRu,
  roles: { viewer: 'наблюдатель', operator: 'оператор', admin: 'администратор' },
  health: {
    ok: 'в порядке',
    unknown: 'ещё не проверен',
    logged_out: 'вышел из аккаунта',
    captcha: 'упёрся в капчу',
    blocked: 'заблокирован',
    proxy_error: 'прокси не работает',
  },
  reasons: {
    logged_out: (account: string) =>
      `вышел из аккаунта — отправьте свежий вход: JSON-файл с подписью /login ${account}.`,
    captcha: (_account: string) =>
      'упёрся в капчу — откройте аккаунт вручную, пройдите капчу и перезапустите задачу.',
    blocked: (_account: string) =>
      'аккаунт заблокирован — проверьте его вручную; прогревать его пока нельзя.',
    proxy_error: (account: string) =>
      `прокси не сработал — проверьте аккаунт и его прокси: /check ${account}.`,
    navigation_timeout: (_account: string) => 'сайт не загрузился вовремя — обычно помогает перезапуск.',
    selector_missing: (_account: string) =>
      'страница выглядела не так, как ожидалось — попробуйте позже; если повторится, сообщите разработчикам.',
    browser_crashed: (_account: string) => 'браузер упал — обычно помогает перезапуск.',
    worker_lost: (_account: string) =>
      'исполнитель, который вёл прогрев, остановился — обычно помогает перезапуск.',
    expired: (_account: string) => 'слишком долго ждал в очереди — обычно помогает перезапуск.',
    cancelled: (_account: string) => 'отменено.',
    session_unreadable: (account: string) =>
      `сохранённый вход не удаётся прочитать — отправьте его заново: JSON-файл с подписью /login ${account}.`,
    bad_settings: (_account: string) => 'настройки задачи больше не годятся — создайте новую задачу: /new.',
    internal_error: (_account: string) => 'неожиданная ошибка у исполнителя — обычно помогает перезапуск.',
    interrupted: (_account: string) => 'прогрев прервался — обычно помогает перезапуск.',
    job_lost: (_account: string) => 'задание потерялось в очереди — обычно помогает перезапуск.',
    other: (_account: string) => 'не удалось по неожиданной причине; подробности в /task.',
  },
  refusal: (id: number) =>
    `Это закрытый бот. Ваш Telegram id: ${id}; попросите администратора выдать доступ.`,
  forbidden: (role: string) => `Ваша роль (${role}) этого не позволяет.`,
  unavailable: 'База данных сейчас недоступна. Попробуйте ещё раз через минуту.',
  internalError: 'У нас что-то пошло не так. Попробуйте ещё раз через минуту.',
  unknownCommand: 'Такой команды нет. Список команд: /help.',
  staleButton: 'Эта кнопка недействительна (или устарела). Отправьте /list, чтобы начать заново.',
  hiddenLink: '[ссылка скрыта]',
  secrets: {
    deleted: 'В сообщении был пароль, поэтому я удалил его из чата.',
    notDeleted:
      'В сообщении есть пароль, а удалять сообщения здесь мне нельзя (нужно право удалять сообщения): удалите его, пожалуйста, сами.',
  },

  help: {
    intro: 'Я запускаю прогрев TikTok-аккаунтов в браузере и сообщаю о результатах здесь.',
    viewer: [
      '/list [статус] [страница] — задачи, новые сначала',
      '/task &lt;id&gt; — подробности задачи',
      '/accounts [состояние] [tag:метка] [страница] — аккаунты по 20 на странице, с фильтрами по состоянию и меткам',
      '/plans — программы прогрева; /plan &lt;id&gt; — ближайшие дни и история программы',
    ],
    operator: [
      '/new — создать задачу (пошагово), или /new accounts=a,b,tag:spring preset=light likes=2-5 …',
      '/restart &lt;id&gt; [failed] — перезапустить завершённую задачу (все аккаунты или только упавшие)',
      '/cancel &lt;id&gt; — остановить задачу в очереди или в работе',
      '/check &lt;аккаунт&gt; — открыть аккаунт через его прокси и сказать, выполнен ли вход',
      '/plan name=… accounts=… window=… — прогревать аккаунты несколько дней по нарастающей (пример — /plan)',
    ],
    admin: [
      '/account_add &lt;username&gt; [proxy_url] [platform=instagram] — добавить аккаунт',
      '/account_set &lt;username&gt; ключ=значение… — изменить прокси (proxy=…), метки (tags=a,b), платформу (<code>platform</code>) или профиль браузера (<code>country</code>, <code>locale</code>, <code>timezone</code>, <code>viewport</code>, <code>scale</code>, <code>user_agent</code>)',
      'JSON-файл с подписью /login &lt;username&gt; — привязать сохранённый вход; архив ZIP с файлами JSON (по файлу на аккаунт, имя файла — имя аккаунта) и подписью /login — привязать каждому свой',
      '/grant &lt;user_id&gt; viewer|operator|admin, /revoke &lt;user_id&gt; — доступ',
    ],
    role: (role: string) => `Ваша роль: ${role}.`,
  },

  usage: {
    restart: 'Формат: /restart &lt;id задачи&gt; [failed] — например, /restart 42 или /restart 42 failed',
    cancel: 'Формат: /cancel &lt;id задачи&gt; — например, /cancel 42',
    task: 'Формат: /task &lt;id задачи&gt; — например, /task 42',
    list: 'Формат: /list [pending|running|completed|failed|cancelled] [страница] — например, /list failed 2',
  },
  badId: (text: string) => `«${text}» — не id задачи. Id — целое число, например /task 42.`,
  badScope: (text: string) =>
    `«${text}» — неизвестный режим: /restart &lt;id&gt; или /restart &lt;id&gt; failed.`,
  notFound: (id: number) => `Задачи #${id} нет. Список задач: /list.`,
  badAccountName: (value: string) =>
    `«${value}» — не имя аккаунта: буквы, цифры, _ и ., не больше 24 символов.`,
  unknownAccount: (account: string) => `Аккаунта @${account} нет. Список: /accounts.`,
  unknownAccounts: (names: string) => `Неизвестные аккаунты: ${names}. Список: /accounts.`,

  restarted: (id: number) => `Задача #${id} перезапущена.`,
  restartBusy: (id: number, why: string) => `Задача #${id} не перезапущена: ${why}.`,
  restartNothingFailed: (id: number) =>
    `В задаче #${id} нет упавших аккаунтов. Чтобы запустить все заново: /restart ${id}.`,
  restartWarning: (id: number) => `Задача #${id} пока не перезапущена: эти аккаунты сейчас не прогреть.`,
  restartWarningLine: (account: string, health: string) => `• @${account} — ${health}`,
  cancelled: (id: number) => `Задача #${id} отменена.`,
  cancelRefused: (id: number, why: string) => `Задача #${id} не отменена: ${why}.`,

  why: {
    pending: 'она уже в очереди',
    running: 'она ещё выполняется',
    completed: 'она уже завершена',
    failed: 'она уже завершилась (с ошибками)',
    cancelled: 'она уже отменена',
  },
  status: {
    pending: 'в очереди',
    running: 'выполняется',
    completed: 'завершена',
    failed: 'с ошибками',
    cancelled: 'отменена',
  },
  buttons: {
    restart: '🔁 Перезапуск',
    restartFailed: '🔁 Только упавшие',
    restartAnyway: '🔁 Всё равно перезапустить',
    restartFailedAnyway: '🔁 Упавшие всё равно',
    restartHealthy: '🔁 Перезапустить исправные',
    restartFailedHealthy: '🔁 Перезапустить исправные упавшие',
    cancel: '⛔ Отменить',
    details: 'ℹ️ Подробнее',
    refresh: '🔄 Обновить',
    prev: '◀',
    next: '▶',
    all: 'все',
  },

  task: {
    more: (n: number) => `…и ещё ${num(n)}.`,
    accounts: (ok: number, failed: number, total: number) =>
      `Аккаунты: успешно ${num(ok)} · с ошибкой ${num(failed)} · всего ${num(total)}`,
    failedOf: (failed: number, total: number) => `с ошибкой ${num(failed)} из ${accountsOf(total)}`,
    duration: (d: string) => `Длительность: ${d}`,
    started: (d: string) => `Выполняется ${d}`,
    restartedBy: (who: string) => `Перезапустил(а) ${who}`,
    cancelledBy: (who: string) => `Отменил(а) ${who}`,
    createdBy: (who: string) => `Создал(а) ${who}`,
    run: (n: number) => `запуск ${num(n)}`,
    created: 'Создана',
    startedAt: 'Начата',
    completedAt: 'Завершена',
    runs: 'Аккаунты',
    log: 'Последние строки журнала',
    history: 'История',
    none: '—',
    capped: 'остановлено по лимиту времени',
  },
  events: {
    started: 'запущена',
    progress: 'выполняется',
    completed: 'завершена',
    failed: 'с ошибками',
    cancelled: 'отменена',
    restarted: 'перезапущена',
  },
  digest: {
    finished: (n: number) => `Завершено задач: ${num(n)}.`,
    started: (n: number) => `Запущено задач: ${num(n)}.`,
    more: (n: number) => `…и ещё ${num(n)}. Все задачи: /list.`,
  },
  counters: {
    watched: (items: number, seconds: number) => `просмотрено ${num(items)} (${num(seconds)} с)`,
    likes: 'лайков',
    follows: 'подписок',
    comments: 'комментариев',
    searches: 'поисков',
    scrolls: 'пролистано',
  },
  menu: {
    new: 'Создать задачу прогрева',
    list: 'Задачи, новые сначала',
    task: 'Подробности задачи: /task 42',
    restart: 'Перезапуск: /restart 42 [failed]',
    cancel: 'Отменить задачу: /cancel 42',
    accounts: 'Аккаунты и их состояние',
    check: 'Проверить аккаунт: /check alice',
    plans: 'Программы прогрева',
    plan: 'Создать программу или открыть её: /plan 3',
    help: 'Что я умею',
  },
  list: {
    empty: 'Задач пока нет. Создайте: /new.',
    emptyFiltered: (status: string) => `Задач со статусом «${status}» нет.`,
    header: (page: number, pages: number | undefined, total: number) =>
      pages === undefined
        ? `Задачи — страница ${num(page)} (больше ${num(total)})`
        : `Задачи — страница ${num(page)} из ${num(pages)} (всего ${num(total)})`,
  },
  programmes: programmesRu,
  inbox: inboxRu,
  newTask: {
    notKeyValue: (token: string) =>
      `«${token}» — не в формате ключ=значение. Пример: /new accounts=alice,bob preset=light likes=2-5`,
    unknownKey: (key: string, known: string) => `Настройки «${key}» нет. Известные настройки: ${known}.`,
    duplicateKey: (key: string) => `${key} указан дважды; укажите каждую настройку один раз.`,
    emptyValue: (key: string) => `У ${key}= нет значения.`,
    reversedRange: (key: string, value: string, fixed: string) =>
      `${key}=${value}: первое число больше второго; напишите ${key}=${fixed}.`,
    notRange: (key: string, value: string) =>
      `${key}=${value} — не диапазон: два целых числа, например ${key}=2-5, или одно, например ${key}=3.`,
    notCount: (key: string, value: string) => `${key}=${value} — не целое число: например, ${key}=2.`,
    badCap: (value: string) =>
      `cap=${value} — не длительность: секунды, минуты или часы, например cap=90s или cap=20m.`,
    unknownPreset: (value: string, names: string) => `Пресета «${value}» нет. Пресеты: ${names}.`,
    tooLong: (key: string, max: number) => `${key} слишком длинное: не больше ${max} символов.`,
    missingAccounts:
      'Укажите аккаунты: accounts=alice,bob, accounts=tag:spring или accounts=all — или отправьте просто /new, чтобы выбрать кнопками.',
    noHealthy: 'Нет исправных аккаунтов: все разлогинены, заблокированы или упёрлись в капчу. См. /accounts.',
    noAccounts: 'Аккаунтов пока нет. Администратор добавляет их командой /account_add &lt;username&gt;.',
    badSettings: (problems: string) => `Эти настройки не годятся: ${problems}.`,
    created: (id: number, count: number, preset: string) =>
      `Задача #${id} создана: ${accountsN(count)}, пресет ${preset}.`,
    leftOut: (count: number) =>
      `Не вошли из группы: ${accountsN(count)} — их сейчас не прогреть (разлогинены, заблокированы или на капче). См. /accounts.`,
    defaultPreset: 'по умолчанию',
    pickAccounts: (selected: number, total: number) =>
      `Новая задача, шаг 1 из 3: выберите аккаунты (выбрано ${num(selected)} из ${num(total)}; ⚠️ — неисправен).`,
    pickPreset: (count: number) => `Новая задача, шаг 2 из 3: выберите пресет для ${accountsOf(count)}.`,
    presetLine: (name: string, videos: string, likes: string, follows: string, comments: string) =>
      `<b>${name}</b>: видео ${videos}, лайки ${likes}, подписки ${follows}, комментарии ${comments}`,
    confirm: (count: number, names: string, preset: string) =>
      `Новая задача, шаг 3 из 3: ${accountsN(count)} (${names}), пресет ${preset}. Создать?`,
    cancelled: 'Отменено, ничего не создано.',
    pickSome: 'Сначала выберите хотя бы один аккаунт.',
    stale: 'Этот черновик устарел или уже завершён. Начните заново: /new.',
    badButton: 'Эта кнопка недействительна. Начните заново: /new.',
    buttons: { allHealthy: '✓ Все исправные', next: 'Далее ▶', create: '✅ Создать', cancel: '✖ Отмена' },
  },

  accounts: {
    header: (n: number) => `Аккаунты (${num(n)}):`,
    empty: 'Аккаунтов пока нет. Администратор добавляет их: /account_add &lt;username&gt; [proxy_url].',
    lastWarmed: (when: string) => `прогрет ${when}`,
    neverWarmed: 'ещё не прогревался',
    login: 'вход ✓',
    noLogin: 'нет входа',
    proxy: (host: string) => `прокси ${host}`,
    more: (n: number) => `…и ещё ${num(n)}.`,
    usageAdd:
      'Формат: /account_add &lt;username&gt; [proxy_url] [platform=…] — например, /account_add alice http://user:pass@proxy.example:8080 platform=instagram',
    badUsername: (value: string) =>
      `«${value}» — не имя пользователя TikTok: буквы, цифры, _ и ., от 2 до 24 символов (@ в начале можно).`,
    added: (username: string) =>
      `Аккаунт @${username} добавлен. Привяжите вход: JSON-файл с подписью /login ${username}.`,
    addedWithProxy: (username: string, host: string) =>
      `Аккаунт @${username} добавлен с прокси ${host}. Привяжите вход: JSON-файл с подписью /login ${username}.`,
    proxyFirst: 'Сначала имя пользователя, потом прокси: /account_add &lt;username&gt; [proxy_url].',
    exists: (username: string) => `Аккаунт @${username} уже есть.`,
    noIdentity: 'профиль браузера ещё не сохранён (используется выведенный из id; /account_set сохранит его)',
    fixedUserAgent: 'свой <code>User-Agent</code>',
    cdp: (profile: string) => `антидетект-профиль ${profile}`,
  },

  accountSet: {
    usage:
      'Формат: /account_set &lt;username&gt; ключ=значение… — ключи: <code>proxy</code> (http://user:pass@host:port, <code>host:port:user:pass</code>, socks5://host:port или <code>none</code>), <code>tags</code> (<code>spring,us</code> или <code>none</code>), <code>country</code> (DE), <code>locale</code> (de-DE), <code>timezone</code> (<code>Europe/Berlin</code>), <code>viewport</code> (1920x1000), <code>scale</code> (1, 1.25…), user_agent (строка целиком или <code>auto</code>), identity=new, shared=yes; browser=local|cdp, profile=dolphin:&lt;id&gt;, inject_login=yes|no; platform=tiktok|instagram|youtube (<code>none</code> — платформа по умолчанию).',
    unknownAccount: (username: string) => `Аккаунта @${username} нет.`,
    notPair: (text: string) => `«${text}» — не настройка вида ключ=значение.`,
    unknownKey: (key: string) =>
      `Настройки «${key}» нет. Есть: <code>proxy</code>, <code>tags</code>, <code>country</code>, <code>locale</code>, <code>timezone</code>, <code>viewport</code>, <code>scale</code>, <code>user_agent</code>, <code>identity</code>, <code>shared</code>, <code>browser</code>, <code>profile</code>, <code>inject_login</code>, <code>platform</code>.`,
    repeated: (key: string) => `«${key}» указан дважды.`,
    badValue: {
      country: (v: string) => `«${v}» — незнакомая страна: нужен двухбуквенный код, например US, DE, BR.`,
      locale: (v: string) => `«${v}» — не локаль: нужна такая, как en-US или de-DE.`,
      timezone: (v: string) =>
        `«${v}» — не часовой пояс: нужно имя часового пояса, например <code>Europe/Berlin</code>.`,
      viewport: (v: string) =>
        `«${v}» — не размер окна: ШИРИНАxВЫСОТА, например 1920x1000 (не меньше 800x500).`,
      scale: (v: string) => `«${v}» — не масштаб: число от 1 до 3, например 1.25.`,
      user_agent: (v: string) => `«${v}» — не <code>User-Agent</code>: строка целиком или <code>auto</code>.`,
      identity: (v: string) => `identity=${v}: возможно только identity=new (новый профиль).`,
      shared: (v: string) =>
        `shared=${v}: shared=yes разрешает профиль, который уже есть у другого аккаунта.`,
      browser: (v: string) => `«${v}» — не браузер: browser=local или browser=cdp.`,
      profile: (v: string) =>
        v
          ? `«${v}» — не профиль: profile=dolphin:&lt;id профиля&gt;.`
          : 'Для cdp сначала нужен профиль: profile=dolphin:&lt;id профиля&gt;.',
      inject_login: (v: string) => `inject_login=${v}: yes или no.`,
    },
    clash: 'У другого аккаунта уже точно такой профиль. Добавьте shared=yes, если им можно его делить.',
    done: (username: string, identity: string) => `Аккаунт @${username} теперь выглядит так: ${identity}.`,
    doneCdp: (username: string, profile: string) =>
      `Аккаунт @${username} теперь работает в антидетект-профиле ${profile}.`,
  },

  check: {
    usage: 'Как: /check &lt;аккаунт&gt; — например, /check alice',
    badUsername: (value: string) => `«${value}» — не имя аккаунта. Список: /accounts.`,
    queued: (username: string) => `Проверяю @${username}… (ответ в течение минуты)`,
    queuedBusy: (username: string) =>
      `@${username} сейчас в сессии браузера; проверка начнётся, как только она закончится.`,
    header: (username: string) => `🔎 Проверка @${username}`,
    reachable: 'Прокси и сайт: доступны',
    unreachable: (reason: string) => `Прокси или сайт: недоступны (${reason})`,
    notRun: (reason: string) => `Проверка не выполнена (${reason})`,
    states: {
      logged_in: '✅ Вход выполнен',
      logged_out: '🔒 Не авторизован',
      captcha: '🧩 Капча',
      blocked: '⛔ Заблокирован',
      unknown: '❔ Состояние входа неясно',
    } as Record<string, string>,
    health: (health: string) => `Записано состояние: ${health}`,
    healthKept: 'Состояние аккаунта не изменено.',
  },

  login: {
    usage:
      'Отправьте сохранённый вход JSON-файлом (storageState из Playwright или выгрузку куки) с подписью /login &lt;username&gt;.',
    noKey: 'Сохранённые входы нельзя хранить: на сервере не задан SESSION_ENCRYPTION_KEY.',
    unknownAccount: (username: string) =>
      `Аккаунта @${username} нет. Сначала добавьте его: /account_add ${username}.`,
    tooBig: (kb: number) => `Файл слишком большой для сохранённого входа (не больше ${num(kb)} КБ).`,
    notJson: 'Это не JSON. Отправьте storageState из Playwright или выгрузку куки.',
    badShape: (detail: string) => `Это не storageState из Playwright и не список куки (${detail}).`,
    noCookies: 'В файле нет ни одной куки.',
    badCookie: (n: number, name: string, rule: string) => `Куки ${n} (${name}): ${rule}.`,
    cookieRules: {
      domain: 'нужен домен, например .tiktok.com',
      expires:
        '<code>expires</code> должен быть -1 (куки на время сессии) или временем в секундах от начала 1970 года',
      sameSite:
        '<code>sameSite</code> должен быть <code>Strict</code>, <code>Lax</code> или <code>None</code>',
    },
    unreadable: 'Не удалось прочитать файл с сервера Bot API. Отправьте его ещё раз.',
    attached: (username: string, cookies: number) => `Вход привязан к @${username} (куки: ${num(cookies)}).`,
    deleted: 'Сообщение с файлом удалено из чата.',
    notDeleted: 'Не удалось удалить сообщение с файлом: удалите его, пожалуйста, сами.',
  },

  grants: {
    usageGrant: 'Формат: /grant &lt;user_id&gt; viewer|operator|admin — например, /grant 123456789 operator',
    usageRevoke: 'Формат: /revoke &lt;user_id&gt; — например, /revoke 123456789',
    badUserId: (text: string) =>
      `«${text}» — не Telegram id: это целое число, пользователь видит его, когда пишет мне.`,
    badRole: (text: string) => `«${text}» — не роль: напишите одну из viewer|operator|admin.`,
    notYourself: 'Свой доступ менять или отзывать нельзя; попросите другого администратора.',
    granted: (id: number, role: string) => `Пользователь ${id} получил доступ с ролью ${role}.`,
    changed: (id: number, from: string, to: string) => `Пользователь ${id}: ${from} → ${to}.`,
    unchanged: (id: number, role: string) => `У пользователя ${id} уже роль ${role}.`,
    revoked: (id: number) => `Пользователь ${id} больше не имеет доступа.`,
    notAUser: (id: number) => `У пользователя ${id} нет доступа; отзывать нечего.`,
    configured: (id: number) =>
      `Пользователь ${id} — администратор из настроек сервера (TELEGRAM_ADMIN_IDS); это меняется там, а не здесь.`,
    lastAdmin: (id: number) => `Пользователь ${id} — последний администратор; сначала назначьте другого.`,
    noLongerAdmin: 'Вы больше не администратор, поэтому ничего не изменено.',
  },
  fleet: { ...fleetRu, ...fleetManageRu },
  chat: chatRu,
  platforms: platformsRu,
};
