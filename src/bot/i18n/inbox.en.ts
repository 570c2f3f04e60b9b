// English texts of the inbox's age limit (an update that waited too long is not run) and of a
// proxy refused for want of an encryption key.

export const inboxEn = {
  outdated: {
    /** `command` is the command's name only (/new): its arguments may hold a secret. */
    command: (command: string, age: string, limit: string) =>
      `${command} was not run: it reached me ${age} after you sent it (I was away), and I do not run commands older than ${limit}. Send it again if you still want it.`,
    message: (age: string, limit: string) =>
      `Your message was not handled: it reached me ${age} after you sent it (I was away), and I do not handle messages older than ${limit}. Send it again if it still matters.`,
    tap: 'That tap reached me too late (I was away), so nothing was done. Tap the button again.',
  },
  noKeyForProxy:
    'Nothing was saved: a proxy with a user name or password is stored only encrypted, and SESSION_ENCRYPTION_KEY is not set on the server. Set it, or give the proxy without credentials.',
};
