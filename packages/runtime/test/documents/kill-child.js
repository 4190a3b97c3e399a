// Commits batches of events as fast as it can until it is killed: the contract test kills it at
// an arbitrary moment and checks that data and checkpoint agree afterwards.
const { MongoDocumentStore, SqliteDocumentStore } = require(process.env.RUNTIME_DIST);

const open = () =>
  process.env.STORE === 'sqlite'
    ? Promise.resolve(new SqliteDocumentStore(process.env.STORE_FILE))
    : MongoDocumentStore.open(process.env.STORE_URI, process.env.STORE_DATABASE);

const main = async () => {
  const store = await open();
  for (let seq = 1; ;) {
    const events = [];
    for (let i = 0; i < 50; i++, seq++) {
      events.push({
        seq,
        changes: [
          { collection: 'totals', id: 'all', increment: { events: 1 } },
          { collection: 'items', id: `item-${seq}`, set: { seq } },
        ],
      });
    }
    await store.commit({ name: 'killed', version: 1 }, events);
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
