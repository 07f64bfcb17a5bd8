/**
 * A scripted HTTP server on 127.0.0.1 (port 0) for the LLM stand-ins: it records every request,
 * runs the provider's wire check on it, and answers with the next scripted reply.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the stand-in received it. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: unknown;
  /** What the wire check found wrong; empty when the request is what the provider's API expects. */
  readonly problems: readonly string[];
}

/** One scripted answer: a JSON body with a status and headers, or no answer at all. */
export type Scripted =
  | { readonly status?: number; readonly headers?: Record<string, string>; readonly json: unknown }
  | { readonly hang: true };

/** A reply, or a function of the received request that makes one. */
export type Script = Scripted | ((request: Received) => Scripted);

/** A running stand-in. */
export interface StandIn {
  readonly url: string;
  readonly received: Received[];
  /** Queues replies, answered in order; an unscripted request gets a 500. */
  script(...replies: Script[]): void;
  close(): Promise<void>;
}

/** Starts a stand-in with a provider-specific check and error body. */
export async function startStandIn(
  check: (request: Omit<Received, "problems">) => string[],
  errorBody: (message: string) => unknown,
): Promise<StandIn> {
  const queue: Script[] = [];
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body: unknown;
      const text = Buffer.concat(chunks).toString("utf8");
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const base = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body };
      const request: Received = { ...base, problems: check(base) };
      received.push(request);
      const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(json));
      };
      if (request.problems.length > 0) return send(400, errorBody(request.problems.join("; ")));
      const next = queue.shift();
      if (next === undefined) return send(500, errorBody("the stand-in has no scripted reply left"));
      let reply: Scripted;
      try {
        reply = typeof next === "function" ? next(request) : next;
      } catch (error) {
        // A failed expectation inside a scripted reply is reported as a problem with the request.
        (request.problems as string[]).push(`scripted check failed: ${(error as Error).message}`);
        return send(400, errorBody(request.problems.join("; ")));
      }
      if ("hang" in reply) return; // never answer: the client's timeout must fire
      send(reply.status ?? 200, reply.json, reply.headers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script: (...replies) => queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
