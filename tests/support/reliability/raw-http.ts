import { connect, type Socket } from "node:net";

/**
 * Sends `bytes` on a fresh TCP connection and resolves with the status of
 * the answer (0 when the server closed without answering, or said nothing
 * within `waitMs`). With `halfClose`, the sending side is ended after the
 * bytes, as a client that gave up mid-body does.
 */
export function rawExchange(
  port: number,
  bytes: Buffer | string,
  options: { halfClose?: boolean; waitMs?: number } = {},
): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1];
      resolve(status === undefined ? 0 : Number(status));
    };
    const timer = setTimeout(finish, options.waitMs ?? 1_000);
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
      if (/\r\n\r\n/.test(answer)) finish();
    });
    socket.on("error", finish);
    socket.on("close", finish);
    socket.write(bytes, () => {
      if (options.halfClose) socket.end();
    });
  });
}

/** Slow clients: how many are connected now, and their end. */
export interface SlowClients {
  /** Connections established and not closed (by either side) so far. */
  open(): number;
  stop(): void;
}

/** Opens connections that send a request's headers one byte at a time, never finishing. */
export function slowClients(port: number, count: number, intervalMs: number): SlowClients {
  const head = Buffer.from(
    "POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Padding: " +
      "a".repeat(4_000),
  );
  const sockets: Socket[] = [];
  const timers: NodeJS.Timeout[] = [];
  let open = 0;
  for (let index = 0; index < count; index++) {
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => {});
    socket.on("connect", () => {
      open += 1;
      socket.once("close", () => (open -= 1));
    });
    sockets.push(socket);
    let sent = 0;
    timers.push(
      setInterval(() => {
        if (sent < head.length && !socket.destroyed) socket.write(head.subarray(sent, ++sent));
      }, intervalMs),
    );
  }
  return {
    open: () => open,
    stop() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
    },
  };
}
