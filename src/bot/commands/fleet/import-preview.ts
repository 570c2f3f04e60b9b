// What an import would do, in words: new / changed / unchanged counts, what the changes touch,
// some of the names, and each bad line by its number with the reason — never a cell of the file
// (a misplaced column may be a password). Whole lines within Telegram's budget.
import type { ImportPreview } from '../../../tasks/fleet/import.ts';
import type { BadLine, ImportRefusal } from '../../../tasks/fleet/import-file.ts';
import type { Texts } from '../../i18n/index.ts';
import { escapeHtml, fitLines, MAX_TEXT } from '../../shared/text-budget.ts';

/** Names shown per list before "+N". */
const NAMES_SHOWN = 10;

export function formatImportPreview(t: Texts, preview: ImportPreview, reserve: number): string {
  const i = t.fleet.import;
  const names = (list: readonly string[]) =>
    escapeHtml(list.slice(0, NAMES_SHOWN).join(', ')) +
    (list.length > NAMES_SHOWN ? ` ${i.andMore(list.length - NAMES_SHOWN)}` : '');
  const head = [
    i.header,
    i.counts(preview.added, preview.changed, preview.unchanged),
    ...(preview.added > 0 ? [i.newNames(names(preview.names.added))] : []),
    ...(preview.changed > 0
      ? [
          i.changes(preview.changes.proxy, preview.changes.tags, preview.changes.platform),
          i.changedNames(names(preview.names.changed)),
        ]
      : []),
    ...(preview.added + preview.changed === 0 ? [i.nothingToDo] : []),
    ...(preview.bad.length > 0 ? [i.badHeader(preview.bad.length)] : []),
  ];
  return fitLines({
    head,
    body: preview.bad.map((bad) => i.badLine(bad.line, describeBadLine(t, bad))),
    max: MAX_TEXT - reserve,
    more: i.moreBad,
  });
}

export function describeBadLine(t: Texts, bad: BadLine): string {
  const r = t.fleet.import.reasons;
  switch (bad.reason) {
    case 'badProxy':
      return r.badProxy(t.fleet.proxyReasons[bad.proxyReason ?? 'badFormat']);
    case 'duplicate':
      return r.duplicate(bad.firstLine ?? 0);
    default:
      return r[bad.reason];
  }
}

export function describeImportRefusal(t: Texts, refusal: ImportRefusal): string {
  const i = t.fleet.import;
  switch (refusal.code) {
    case 'tooLarge':
      return i.tooLarge(Math.floor(refusal.limit / 1024));
    case 'tooManyLines':
      return i.tooManyLines(refusal.limit);
    case 'notText':
      return i.notText;
    case 'noAccounts':
      return i.noAccounts;
    case 'noUsernameColumn':
      return i.noUsernameColumn;
    case 'duplicateColumn':
      return i.duplicateColumn(refusal.column);
  }
}
