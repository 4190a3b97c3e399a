import '@orderflow/auth/dist/node-version';
import { spawnSync } from 'node:child_process';
import { discoverSystem } from '../discover-system';
import { TOOL_USERS, type ToolUser } from '../endpoints';

const usage = `usage: node packages/stack/dist/cli/with-system.js <${TOOL_USERS.join('|')}> <command> [args...]
  Runs the command against the system npm start runs, as that bus user: NATS_URL, NATS_USER,
  NATS_PASSWORD_FILE and GATEWAY_URL from its endpoints record, each unless already set.
  For the tools that cannot read the record themselves (npm run deadletters: the runtime package
  that holds it cannot depend on this one, which starts the runtime's services).`;

const [user, command, ...args] = process.argv.slice(2);
if (!TOOL_USERS.includes(user as ToolUser) || command === undefined) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}

// `node` is this Node: the one the npm scripts run, whatever the PATH says.
const run = spawnSync(command === 'node' ? process.execPath : command, args, {
  env: discoverSystem(process.env, user as ToolUser).env,
  stdio: 'inherit',
});
if (run.error) {
  process.stderr.write(`could not run ${command}: ${run.error.message}\n`);
  process.exit(2);
}
process.exit(run.status ?? 1);
