import '../node-version';
import { tokenCommand } from '../token-command';

const result = tokenCommand(process.argv.slice(2), process.env);
if (result.status === 0) {
  process.stdout.write(`${result.token}\n`);
} else {
  process.stderr.write(`token: ${result.message}\n`);
  process.exitCode = result.status;
}
