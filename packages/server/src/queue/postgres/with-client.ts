import type { Pool, PoolClient } from "pg";

/**
 * Runs `work` on a client checked out of `pool`, listening for the client's
 * errors meanwhile. `pg` emits an `'error'` event when a connection breaks
 * (PostgreSQL restarted or killed, the backend terminated by a failover), and
 * the pool listens only while the client is idle: an event on a held client
 * with no listener would crash the process. Here it fails `work` instead (its
 * queries reject), and the broken client is discarded, not returned to the pool.
 */
export async function withClient<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
  try {
    return await work(client);
  } finally {
    client.off("error", onError);
    client.release(broken);
  }
}
