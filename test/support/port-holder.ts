/**
 * Keeps a TCP port on 127.0.0.1 while the test's own server on it is stopped (a controller restart),
 * so no other test or process on this machine is given the port before the server listens again.
 * Connections are accepted and left unanswered, as by a server that is restarting, and closed on
 * `release()`: a client that redials with exponential backoff then waits out one attempt during the
 * outage instead of piling up retries, and dials the server again within its first backoff step.
 */
import { createServer, type Server, type Socket } from "node:net";

/** A held port; `release()` frees it just before the real server listens again. */
export interface PortHolder {
  readonly port: number;
  release(): Promise<void>;
}

/** Listens on `port` until released; throws when another process took the port meanwhile. */
export async function holdPort(port: number): Promise<PortHolder> {
  const held = new Set<Socket>();
  const server: Server = createServer((socket) => {
    held.add(socket);
    socket.on("error", () => {});
    socket.once("close", () => held.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) =>
      reject(new Error(`port ${port} was taken by another process while its server was stopped: ${error}`)),
    );
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    port,
    release: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of held) socket.destroy();
      }),
  };
}
