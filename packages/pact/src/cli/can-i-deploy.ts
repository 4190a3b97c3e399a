import '@orderflow/auth/dist/node-version';
import { parseArgs } from 'node:util';
import { allServices, canIDeploy, readEnvironments, recordDeployment } from '../can-i-deploy';
import { isService, type Service } from '../revisions';

const usage = `usage:
  npm run can-i-deploy -- <service>|--all [--revision <git revision>] [--to <environment>]
  npm run can-i-deploy -- --record <service>|--all [--revision <git revision>] [--to <environment>]

Answers whether the service (at the revision, or as the working tree is) can be deployed next to
the revisions recorded for the environment (production unless told), from the pacts and the
verifications recorded in contracts/. --record notes that the revision (HEAD unless told) was
deployed there. Services: ${allServices.join(', ')}.`;

const fail = (message: string): never => {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(2);
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    all: { type: 'boolean', default: false },
    record: { type: 'boolean', default: false },
    revision: { type: 'string' },
    to: { type: 'string', default: 'production' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const named = positionals.map((name) => (isService(name) ? name : fail(`no service "${name}"`)));
const chosen: Service[] = values.all ? allServices : named;
if (chosen.length === 0) fail('name a service, or --all');

if (values.record) {
  for (const service of chosen) recordDeployment(values.to, service, values.revision ?? 'HEAD');
  process.stdout.write(`recorded ${chosen.join(', ')} as deployed to ${values.to}\n`);
  process.exit(0);
}

let deployable = true;
for (const service of chosen) {
  const deployed = readEnvironments()[values.to] ?? {};
  const answers = canIDeploy(service, values.revision, deployed, values.to);
  const ok = answers.every((answer) => answer.verified);
  deployable &&= ok;
  process.stdout.write(
    `${ok ? 'yes' : 'NO'}: ${service} at ${values.revision ?? 'the working tree'} next to ${values.to}\n`,
  );
  for (const answer of answers) {
    process.stdout.write(
      `  ${answer.verified ? 'ok ' : 'BAD'} ${answer.consumer} <- ${answer.provider}: ${answer.reason}\n`,
    );
  }
}
if (!deployable) {
  process.stdout.write(
    '\nA pact that has not been verified by the provider revision it would meet: deploy a provider ' +
      'that verifies it first, or verify it (the provider’s pact tests record what they verify).\n',
  );
}
process.exit(deployable ? 0 : 1);
