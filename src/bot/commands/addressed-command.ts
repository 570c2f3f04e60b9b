// Which command a message's text (or a document's caption) starts with, when it is addressed to
// this bot: bare, or `/name@thisbot`. `/name@otherbot` is another bot's business, in a group where
// several read the same messages.

const COMMAND_RE = /^\/([A-Za-z0-9_]{1,32})(?:@(\w+))?(?:\s+|$)/;

export type AddressedCommand = { name: string; args: string[] };

/**
 * The command the text starts with — its name in lower case and the words after it; undefined when
 * the text starts with no command, null when the command is addressed to another bot.
 */
export function addressedCommand(text: string, me: string | undefined): AddressedCommand | null | undefined {
  const match = COMMAND_RE.exec(text.trimStart());
  if (!match) return undefined;
  const addressee = match[2];
  if (addressee && addressee.toLowerCase() !== me?.toLowerCase()) return null;
  const args = text.trimStart().slice(match[0].length).split(/\s+/).filter(Boolean);
  return { name: match[1]!.toLowerCase(), args };
}
