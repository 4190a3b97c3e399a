import { MongoClient, type Db } from 'mongodb';

export interface Mongo {
  readonly client: MongoClient;
  readonly db: Db;
}

/** One database per service: read models are private to the service that derives them. */
export const connectMongo = async (uri: string, database: string): Promise<Mongo> => {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  return { client, db: client.db(database) };
};

export const DUPLICATE_KEY = 11000;
