// Русские тексты управления парком аккаунтов: постраничный /accounts, /accounts_import и его
// предпросмотр, ZIP с сохранёнными входами, /accounts_export, /account_remove, proxy= и tags= в
// /account_set, выбор аккаунтов группами.
import type { FleetManageTexts } from './fleet-manage.en.ts';
import { number, type PluralForms, plural } from './intl.ts';

const n = (count: number, forms: PluralForms) => plural('ru', count, forms);
const num = (value: number) => number('ru', value);
const accountsN = (count: number) =>
  n(count, { one: '# аккаунт', few: '# аккаунта', many: '# аккаунтов', other: '# аккаунта' });
const sessionsN = (count: number) =>
  n(count, { one: '# сессия', few: '# сессии', many: '# сессий', other: '# сессии' });
const programmesOf = (count: number) =>
  n(count, { one: '# программе', few: '# программах', many: '# программах', other: '# программах' });
const linesN = (count: number) =>
  n(count, { one: '# строка', few: '# строки', many: '# строк', other: '# строки' });
const filesN = (count: number) =>
  n(count, { one: '# файл', few: '# файла', many: '# файлов', other: '# файла' });

export const fleetManageRu: FleetManageTexts = {
  list: {
    header: (total: number, page: number, pages: number, filter: string) =>
      `<b>Аккаунты${filter ? ` (${filter})` : ''}: ${num(total)}</b>${pages > 1 ? ` · страница ${num(page)} из ${num(pages)}` : ''}`,
    all: 'Все',
    paused: '⏸ на паузе',
    emptyFiltered: 'Под этот фильтр не подходит ни один аккаунт.',
    more: (count: number) => `…и ещё ${num(count)} (◀ ▶ — другие страницы).`,
    moreTags: (count: number) => `Меток больше, чем кнопок, ещё ${num(count)}: /accounts tag:&lt;метка&gt;`,
    badArg: (value: string) =>
      `«${value}» — не состояние, не tag:… и не номер страницы. Формат: /accounts [состояние] [tag:метка] [страница] — например, /accounts logged_out tag:spring 2`,
    badButton: 'Эта кнопка недействительна. Отправьте /accounts ещё раз.',
  },
  proxyReasons: {
    empty: 'он пустой',
    unsupportedScheme: 'работают только прокси <code>http</code>, <code>https</code> и <code>socks5</code>',
    missingPort: 'не указан порт',
    badPort: 'порт — не число от 1 до 65535',
    badHost: 'адрес — не имя хоста и не IP',
    badCredentials: 'пароль без имени пользователя',
    socks5Auth:
      '<code>SOCKS5</code> с логином или паролем (браузер не умеет входить в прокси <code>SOCKS5</code>)',
    badFormat: 'это не адрес, не <code>host:port</code> и не <code>host:port:user:pass</code>',
  },
  import: {
    usage:
      'Пришлите аккаунты файлом CSV или TXT с подписью /accounts_import: по аккаунту в строке — имя, прокси, метки (через запятую, точку с запятой или табуляцию; строка заголовка — по желанию). Прокси: http://user:pass@host:port, socks5://host:port или <code>host:port:user:pass</code>.',
    tooLarge: (kb: number) => `Файл слишком большой для импорта (не больше ${num(kb)} КБ).`,
    tooManyLines: (max: number) =>
      `В файле больше ${num(max)} аккаунтов: разбейте его на файлы не длиннее ${num(max)} строк.`,
    notText: 'Это не текстовый файл: сохраните таблицу как CSV и пришлите её.',
    noAccounts: 'В файле нет ни одного аккаунта.',
    noUsernameColumn:
      'В строке заголовка нет колонки <code>username</code> (колонки: <code>username, proxy, tags, platform</code>).',
    duplicateColumn: (column: string) => `В строке заголовка колонка <code>${column}</code> названа дважды.`,
    header: '📥 <b>Предпросмотр импорта</b> — ничего не записано, пока вы не нажмёте «Применить».',
    counts: (added: number, changed: number, unchanged: number) =>
      `Новых: ${num(added)} · изменится: ${num(changed)} · без изменений: ${num(unchanged)}`,
    newNames: (names: string) => `Новые: ${names}`,
    changes: (proxy: number, tags: number, platform: number) =>
      `Что меняется: прокси ${num(proxy)} · метки ${num(tags)} · платформа ${num(platform)}`,
    changedNames: (names: string) => `Изменятся: ${names}`,
    andMore: (count: number) => `+${num(count)}`,
    nothingToDo: 'Менять нечего: все аккаунты файла уже такие.',
    badHeader: (count: number) => `Пропущено: ${linesN(count)}:`,
    badLine: (line: number, why: string) => `строка ${num(line)}: ${why}`,
    moreBad: (count: number) => `…и ещё ${linesN(count)} пропущено.`,
    reasons: {
      badUsername: 'не имя пользователя (буквы, цифры, _ и ., от 2 до 24 знаков)',
      badProxy: (why: string) => `плохой прокси: ${why}`,
      socks5Auth: '<code>SOCKS5</code> с паролем: браузер не умеет входить в прокси <code>SOCKS5</code>',
      badTag: 'метка не может быть такой (строчные латинские буквы, цифры, _ и -)',
      tooManyTags: 'больше 10 меток',
      unknownPlatform: 'платформа, которой этот бот не знает',
      duplicate: (first: number) => `тот же аккаунт, что в строке ${num(first)}`,
      tooManyColumns: 'ячеек больше, чем колонок',
      badQuoting: 'сломаны кавычки',
    },
    buttons: { apply: (count: number) => `✅ Применить (${num(count)})`, cancel: '✖️ Отмена' },
    applied: (added: number, changed: number, unchanged: number) =>
      `✅ Импортировано: новых ${num(added)}, изменено ${num(changed)}, без изменений ${num(unchanged)}.`,
    cancelled: 'Импорт отменён: ничего не записано.',
    expired: 'Этот предпросмотр устарел (15 минут) или уже использован: пришлите файл ещё раз.',
    notYours: 'Применить или отменить импорт может только администратор, приславший файл.',
    badButton: 'Эта кнопка недействительна. Пришлите файл ещё раз.',
  },
  zip: {
    attached: (count: number) => `Сохранённые входы привязаны: ${accountsN(count)}.`,
    none: 'Ни один сохранённый вход не привязан.',
    resumed: (count: number) =>
      n(count, {
        one: 'Из них # был на паузе; программы снова включают его.',
        few: 'Из них # были на паузе; программы снова включают их.',
        many: 'Из них # были на паузе; программы снова включают их.',
        other: 'Из них # были на паузе; программы снова включают их.',
      }),
    refusedHeader: (count: number) => `Не приняты: ${filesN(count)}:`,
    line: (name: string, why: string) => `${name}: ${why}`,
    more: (count: number) => `…и ещё ${filesN(count)} не приняты.`,
    reasons: {
      notJson: 'не файл JSON',
      badName: 'имя файла — не имя пользователя',
      duplicate: 'второй файл для того же аккаунта',
      tooLarge: 'больше 1 МБ',
      encrypted: 'зашифрован (архив с паролем)',
      unsupported: 'сжат способом, который я не читаю',
      unreadable: 'повреждён или не текст в кодировке UTF-8',
      unknownAccount: 'такого аккаунта нет (сначала добавьте его)',
    },
    refusals: {
      tooLarge: (mb: number) => `Архив ZIP слишком большой (не больше ${num(mb)} МБ). Разбейте его на части.`,
      notZip: 'Этот файл — не архив ZIP, который я могу прочитать.',
      zipBomb: (mb: number) => `Архив ZIP распаковывается больше чем в ${num(mb)} МБ: не принят.`,
      tooManyEntries: (max: number) => `В архиве ZIP больше ${num(max)} файлов: не принят. Разбейте его.`,
      pathInName: 'В архиве ZIP есть имя файла с путём (.. или начальный /): не принят.',
    },
  },
  export: {
    caption: (count: number) =>
      `Парк аккаунтов: ${accountsN(count)} (только адреса прокси, без паролей). Загружается обратно через /accounts_import.`,
  },
  remove: {
    usage: 'Формат: /account_remove &lt;имя&gt; — например, /account_remove alice',
    confirm: (account: string) =>
      `Удалить @${account}? Аккаунт исчезнет из всех списков, выборок и программ; его прошлые запуски останутся в /task, а имя можно будет добавить снова.`,
    running: (count: number) =>
      `Сначала будут отменены его сессии в очереди или в работе: ${sessionsN(count)}.`,
    programmes: (count: number) =>
      `Он участвует в ${programmesOf(count)}; его запланированные там сессии будут пропущены.`,
    buttons: { remove: '🗑 Удалить', keep: '✖️ Оставить' },
    done: (account: string) => `🗑 @${account} удалён.`,
    cancelled: (count: number) => `Отменено его сессий: ${num(count)}.`,
    left: (programmes: number, slots: number) =>
      `Он вышел из программ: ${num(programmes)}; пропущено запланированных сессий: ${num(slots)}.`,
    kept: 'Ничего не удалено.',
    gone: 'Этого аккаунта уже нет. Список — /accounts.',
    badButton: 'Эта кнопка недействительна. Отправьте /account_remove ещё раз.',
    removedLine: 'удалён из парка',
  },
  set: {
    proxySet: (account: string, host: string) =>
      `@${account} со следующей сессии ходит через прокси ${host}.`,
    proxyRemoved: (account: string) => `@${account} со следующей сессии ходит без прокси.`,
    tagsSet: (account: string, tags: string) => `Метки @${account}: ${tags}.`,
    tagsCleared: (account: string) => `У @${account} больше нет меток.`,
    badProxy: (why: string) =>
      `Такой прокси здесь не подойдёт: ${why}. Пишите http://user:pass@host:port, <code>host:port:user:pass</code>, socks5://host:port или proxy=none.`,
    badTags:
      'Метки — строчные латинские буквы, цифры, _ и - (до 32 знаков, не больше 10 у аккаунта): tags=spring,us — или tags=none.',
    proxyDeleted: 'В сообщении был прокси, поэтому я удалил его из чата.',
    proxyNotDeleted:
      'В сообщении есть прокси, а удалять сообщения здесь я не могу: удалите его, пожалуйста, сами.',
  },
  selection: {
    unknown: (parts: string) => `Неизвестные ${parts}. Список: /accounts.`,
    names: (list: string) => `аккаунты: ${list}`,
    tags: (list: string) => `метки: ${list}`,
    platforms: (list: string) => `платформы: ${list}`,
    badToken: (value: string) =>
      `«${value}» — не аккаунт, не tag:&lt;метка&gt;, не <code>platform:&lt;имя&gt;</code> и не <code>all</code>. Пример: accounts=tag:spring,alice`,
    empty:
      'Укажите аккаунты: имена, tag:&lt;метка&gt;, <code>platform:&lt;имя&gt;</code> или <code>all</code>.',
    noneWarmable:
      'Ни один из этих аккаунтов сейчас нельзя прогреть (вышел, заблокирован или упёрся в капчу). См. /accounts.',
    joined: (added: number, already: number, id: number, day: number) =>
      `В программе #${id} с дня ${day} участвует ещё ${accountsN(added)}${already > 0 ? ` (${num(already)} уже участвовали)` : ''}.`,
  },
};
