import { beforeAll, describe, expect, it } from "vitest";
import {
  type PrivatePostgres,
  startPrivatePostgres,
} from "../../support/reliability/private-postgres.js";
import { postTrack, userFor, wakePairFixture, wakeups } from "../../support/scale-out/wake-pair.js";
import { eventually } from "../../support/server/spawn-server.js";

/** Half the workers' one-second poll: an event delivered within it was not found by polling's luck alone. */
const BOUND_MS = 500;

const fixture = wakePairFixture();
// This test restarts PostgreSQL: on a cluster of its own, never the shared one.
let cluster: PrivatePostgres;

beforeAll(async () => {
  cluster = await startPrivatePostgres({ maxConnections: 40 });
  fixture.cleanup(() => cluster.destroy());
});

describe("LISTEN/NOTIFY across a PostgreSQL restart", () => {
  it("the listening connection comes back by itself, and wakes the other instance again", async () => {
    const queueUrl = new URL(cluster.url);
    queueUrl.searchParams.set("schema", "listen_restart");
    const { taker, deliverer } = await fixture.start(queueUrl.href);
    await postTrack(taker, userFor(1));
    await eventually(() => fixture.receivedAt(userFor(1)), "a first event");

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
      () => fixture.receivedAt(userFor(2)),
      "the event after the restart",
    );
    expect(await wakeups(deliverer)).toBeGreaterThan(before);
    expect(deliveredAt - sentAt).toBeLessThan(BOUND_MS);
    expect(deliverer.child.exitCode).toBeNull();
  }, 90_000);
});
