// mongosh runs this once, when the mongo container starts on an empty volume: each service gets a
// user of its own that may read and write its own database and nothing else.
const services = ['inventory', 'order', 'payment', 'shipping', 'analytics'];
for (const service of services) {
  const variable = `MONGO_PASSWORD_${service.toUpperCase()}`;
  const password = process.env[variable];
  if (!password) throw new Error(`${variable} is not set; run \`npm run deploy:secrets\``);
  const database = `orderflow_${service}`;
  db.getSiblingDB(database).createUser({
    user: service,
    pwd: password,
    roles: [{ role: 'readWrite', db: database }],
  });
}
