import type { Emulator } from "@gwenmap/gwen-adapter/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type PrivatePostgres,
  startPrivatePostgres,
} from "../../support/reliability/private-postgres.js";
import {
  postTrack,
  startTimedEmulator,
  startWakePair,
  userFor,
  type WakePair,
  wakeups,
} from "../../support/scale-out/wake-pair.js";
import { eventually, temporaryDataDir } from "../../support/server/spawn-server.js";

/** Half the workers' one-second poll: an event delivered within it was not found by polling's luck alone. */
const BOUND_MS = 500;

// This test restarts PostgreSQL: on a cluster of its own, never the shared one.
let cluster: PrivatePostgres;
let data: Awaited<ReturnType<typeof temporaryDataDir>>;
let timed: { emulator: Emulator; receivedAt: Map<string, number> };
let pair: WakePair | undefined;

beforeAll(async () => {
  cluster = await startPrivatePostgres({ maxConnections: 40 });
  data = await temporaryDataDir();
  timed = await startTimedEmulator();
});

afterAll(async () => {
  await pair?.taker.stop("SIGKILL");
  await pair?.deliverer.stop("SIGKILL");
  await timed?.emulator.close();
  await data?.remove();
  await cluster?.destroy();
});

describe("LISTEN/NOTIFY across a PostgreSQL restart", () => {
  it("the listening connection comes back by itself, and wakes the other instance again", async () => {
    const queueUrl = new URL(cluster.url);
    queueUrl.searchParams.set("schema", "listen_restart");
    pair = await startWakePair({
      queueUrl: queueUrl.href,
      dataDir: data.dir,
      emulator: timed.emulator,
    });
    const { taker, deliverer } = pair;
    await postTrack(taker, userFor(1));
    await eventually(() => timed.receivedAt.get(userFor(1)), "a first event");

    const beforeRestart = await wakeups(deliverer);
    cluster.stop();
    cluster.start();
    // The fault happened: the listening connection broke and the instance said so.
    const broken = await eventually(
      () =>
        deliverer.logs.find((entry) =>
          /listening for other instances' work stopped/.test(
            String((entry.err as { message?: string } | undefined)?.message),
          ),
        ),
      "the listening connection to break",
    );
    expect(broken).toBeDefined();
    // Listening again, it wakes its workers once for what it may have missed.
    await eventually(
      async () => ((await wakeups(deliverer)) > beforeRestart ? true : undefined),
      "listening again",
      30_000,
    );

    const before = await wakeups(deliverer);
    const sentAt = await postTrack(taker, userFor(2));
    const deliveredAt = await eventually(
      () => timed.receivedAt.get(userFor(2)),
      "the event after the restart",
    );
    expect(await wakeups(deliverer)).toBeGreaterThan(before);
    expect(deliveredAt - sentAt).toBeLessThan(BOUND_MS);
    expect(deliverer.child.exitCode).toBeNull();
  }, 90_000);
});
