/**
 * The sidecar's peer listener: a tiny HTTP endpoint on the VM's private (VPC) address that answers
 * its peer's pings, so the peer can tell "the VM and its sidecar are alive" over a path that does not
 * go through either controller. It is never meant for the internet: it binds only the address it is
 * given (the private VNIC's), and answers with an HMAC over the caller's nonce when a peer key is set.
 */
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Where and how to listen. */
export interface PeerListenerOptions {
  readonly vm: string;
  /** host:port of the private address, e.g. 10.0.0.1:8790. */
  readonly listen: string;
  /** Shared peer key (VOXOPS_PEER_KEY); answers carry an HMAC over the nonce when set. */
  readonly key?: string | undefined;
}

/** A running listener. */
export interface PeerListener {
  readonly url: string;
  close(): Promise<void>;
}

/** The proof a sidecar gives that it, holding the peer key, answered this nonce. */
export function peerMac(key: string, vm: string, nonce: string): string {
  return createHmac("sha256", key).update(`pong|${vm}|${nonce}`).digest("hex");
}

/** Splits host:port (IPv6 in brackets); throws on a wildcard address, which would face every network. */
export function parseListenAddress(listen: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(listen.trim());
  const host = m?.[1];
  const port = Number(m?.[2]);
  if (!host || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`VOXOPS_PEER_LISTEN must be host:port, not "${listen}"`);
  if (host === "0.0.0.0" || host === "::")
    throw new Error("VOXOPS_PEER_LISTEN must name the private (VPC) address, not a wildcard");
  return { host, port };
}

/** Starts the listener and resolves once it accepts connections. */
export async function startPeerListener(options: PeerListenerOptions): Promise<PeerListener> {
  const { host, port } = parseListenAddress(options.listen);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://peer");
    const nonce = url.searchParams.get("nonce") ?? "";
    if (req.method !== "GET" || url.pathname !== "/peer/ping" || !/^[a-f0-9]{16,64}$/.test(nonce)) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not-found"}');
      return;
    }
    const body = {
      vm: options.vm,
      nonce,
      ...(options.key ? { mac: peerMac(options.key, options.vm, nonce) } : {}),
    };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shown}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
