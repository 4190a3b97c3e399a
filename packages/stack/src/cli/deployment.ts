import '@orderflow/auth/dist/node-version';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { missingSecrets, natsConfigPath, renderNatsConfig } from '../deployment';
import { repoRoot } from '../services';

const usage = `usage: npm run deploy:config    rewrite deploy/nats.conf from the bus's access rules
       npm run deploy:secrets   add a random value to .env for each secret docker-compose.yml needs`;

const envFile = join(repoRoot, '.env');

const commands: Record<string, () => string> = {
  config: () => {
    mkdirSync(dirname(natsConfigPath), { recursive: true });
    writeFileSync(natsConfigPath, renderNatsConfig());
    return `wrote ${relative(repoRoot, natsConfigPath)}`;
  },
  secrets: () => {
    const missing = missingSecrets(existsSync(envFile) ? readFileSync(envFile, 'utf8') : '');
    if (missing === '') return '.env already holds every secret the deployment needs';
    appendFileSync(envFile, missing, { mode: 0o600 });
    const count = missing.trim().split('\n').length;
    return `added ${count} secrets to .env (kept out of git); docker compose reads it`;
  },
};

const command = commands[process.argv[2] ?? ''];
if (command === undefined) {
  process.stderr.write(`${usage}\n`);
  process.exitCode = 2;
} else {
  process.stdout.write(`${command()}\n`);
}
