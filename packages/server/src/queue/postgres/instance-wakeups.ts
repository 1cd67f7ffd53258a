import { randomUUID } from "node:crypto";
import pg from "pg";
import type { QueueLocation } from "./connect-pool.js";

/** Work one instance committed that another may take: requests to map, deliveries due now. */
export type QueueWork = "requests" | "deliveries";

/** One channel for every schema on the database; the payload says which schema and instance. */
const CHANNEL = "gwenmap_queue_work";
/** Announcements of one instance are this far apart at least: a busy instance commits thousands a second. */
const ANNOUNCE_SPACING_MS = 5;
const FIRST_RECONNECT_MS = 100;
const LONGEST_RECONNECT_MS = 5_000;

interface Announcement {
  readonly schema: string;
  readonly from: string;
  readonly work: readonly QueueWork[];
}

/**
 * Wakes the other instances on the same PostgreSQL queue as soon as one
 * commits work they may take (`NOTIFY`), instead of leaving them to find it
 * at their next poll (up to a second later). Announcements are gathered
 * (one `pg_notify` per few milliseconds at most, sent after the commit, on
 * the store's pool); an instance ignores its own, since it woke its workers
 * itself. Listening takes a connection of its own (`LISTEN` holds its
 * session), which reconnects by itself after PostgreSQL restarts or ends it;
 * since notifications sent meanwhile are lost, every listener is woken once
 * it listens again. The workers keep polling as well: a lost notification
 * delays work by a poll, never loses it.
 */
export class InstanceWakeups {
  readonly #id = randomUUID();
  readonly #pool: pg.Pool;
  readonly #location: QueueLocation;
  readonly #onError: (error: Error) => void;
  readonly #listeners: ((work: QueueWork) => void)[] = [];
  readonly #pending = new Set<QueueWork>();
  #announceTimer: NodeJS.Timeout | undefined;
  #lastAnnouncedAt = 0;
  #client: pg.Client | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #reconnectMs = FIRST_RECONNECT_MS;
  #lost = false;
  #closed = false;

  constructor(
    pool: pg.Pool,
    location: QueueLocation,
    options: { onError: (error: Error) => void },
  ) {
    this.#pool = pool;
    this.#location = location;
    this.#onError = options.onError;
  }

  /** Tells the other instances about committed work (gathered, sent within a few ms). */
  announce(work: QueueWork): void {
    if (this.#closed) return;
    this.#pending.add(work);
    if (this.#announceTimer) return;
    const wait = Math.max(0, this.#lastAnnouncedAt + ANNOUNCE_SPACING_MS - Date.now());
    this.#announceTimer = setTimeout(() => void this.#sendAnnouncement(), wait);
    this.#announceTimer.unref();
  }

  /** Calls `listener` whenever another instance announces work; the first call starts listening. */
  async listen(listener: (work: QueueWork) => void): Promise<void> {
    this.#listeners.push(listener);
    if (this.#listeners.length === 1) await this.#connect();
  }

  /** The PostgreSQL backend that listens (its `pg_stat_activity` pid), while connected. */
  get listenerProcessId(): number | undefined {
    return (this.#client as { processID?: number } | undefined)?.processID;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#announceTimer);
    clearTimeout(this.#reconnectTimer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  async #sendAnnouncement(): Promise<void> {
    this.#announceTimer = undefined;
    this.#lastAnnouncedAt = Date.now();
    const announcement: Announcement = {
      schema: this.#location.schema,
      from: this.#id,
      work: [...this.#pending],
    };
    this.#pending.clear();
    // Nothing is lost when it fails (the others poll): the pool reports broken connections itself.
    await this.#pool
      .query("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify(announcement)])
      .catch(() => {});
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({
      connectionString: this.#location.connectionString,
      application_name: "gwenmap",
      connectionTimeoutMillis: 10_000,
    });
    this.#client = client;
    client.on("error", (error) => this.#drop(client, error));
    client.on("end", () => this.#drop(client, new Error("the connection was closed")));
    client.on("notification", (message) => this.#receive(message.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      this.#drop(client, error as Error);
      return;
    }
    this.#reconnectMs = FIRST_RECONNECT_MS;
    if (this.#lost) {
      this.#lost = false;
      for (const work of ["requests", "deliveries"] as const) this.#wake(work);
    }
  }

  #drop(client: pg.Client, error: Error): void {
    if (this.#client !== client || this.#closed) return;
    this.#client = undefined;
    this.#lost = true;
    client.end().catch(() => {});
    this.#onError(
      new Error(
        `listening for other instances' work stopped (${error.message}); listening again in ${this.#reconnectMs} ms, polling meanwhile`,
        { cause: error },
      ),
    );
    this.#reconnectTimer = setTimeout(() => void this.#connect(), this.#reconnectMs);
    this.#reconnectTimer.unref();
    this.#reconnectMs = Math.min(this.#reconnectMs * 2, LONGEST_RECONNECT_MS);
  }

  #receive(payload: string | undefined): void {
    let announcement: Partial<Announcement>;
    try {
      announcement = JSON.parse(payload ?? "") as Partial<Announcement>;
    } catch {
      return;
    }
    if (announcement.schema !== this.#location.schema || announcement.from === this.#id) return;
    for (const work of announcement.work ?? []) {
      if (work === "requests" || work === "deliveries") this.#wake(work);
    }
  }

  #wake(work: QueueWork): void {
    for (const listener of this.#listeners) listener(work);
  }
}
