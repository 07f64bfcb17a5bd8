/**
 * A controller for end-to-end watchdog runs, as a process: the Node host (the real runtime with the
 * watchdog attached) and the Oracle stand-in on this network namespace's loopback. It prints one JSON
 * line per fact: `ready` (with its URL), every `watchdog.*` audit record and every Oracle action.
 *
 * Run: node test/watchdog/controller-harness.ts  (HARNESS_HOST, HARNESS_VMS, HARNESS_KEYS, VOXOPS_*)
 */
import { generateKeyPairSync } from "node:crypto";
import { readConfig } from "../../edge/core/config.ts";
import { startNodeHost } from "../../edge/node/server.ts";
import { startOciApiStandIn } from "../stand-ins/oci-api.ts";

const vms = (process.env.HARNESS_VMS ?? "vm1,vm2").split(",");
const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const oci = {
  OCI_TENANCY: "ocid1.tenancy.oc1..harness",
  OCI_USER: "ocid1.user.oc1..harness",
  OCI_FINGERPRINT: "11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00",
  OCI_PRIVATE_KEY: keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  OCI_REGION: "eu-frankfurt-1",
};
const api = await startOciApiStandIn({
  publicKey: keys.publicKey,
  keyId: `${oci.OCI_TENANCY}/${oci.OCI_USER}/${oci.OCI_FINGERPRINT}`,
});
const instanceId = (vm: string) => `ocid1.instance.oc1.eu-frankfurt-1.harness${vm}`;
for (const vm of vms) api.addInstance({ id: instanceId(vm), displayName: vm });
const inventory = { vms: Object.fromEntries(vms.map((vm) => [vm, { oci: { instanceId: instanceId(vm) } }])) };
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  ...oci,
  OCI_ENDPOINT: api.url,
  VOXOPS_INVENTORY: JSON.stringify(inventory),
};
const host = await startNodeHost({
  config: readConfig(env),
  env,
  port: Number(process.env.HARNESS_PORT ?? 0),
  hostname: process.env.HARNESS_HOST ?? "127.0.0.1",
  dbPath: ":memory:",
});
const say = (fact: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(fact)}\n`);
say({ type: "ready", url: host.url, port: host.port });
let seq = 0;
let actions = 0;
const poll = setInterval(() => {
  const records = host.controller.audit
    .recent(200)
    .filter((r) => r.seq > seq)
    .reverse();
  for (const r of records) {
    seq = Math.max(seq, r.seq);
    if (r.action.startsWith("watchdog.") || r.action === "probe" || r.action === "restart-sidecar")
      say({ type: "audit", action: r.action, target: r.target, outcome: r.outcome, detail: r.detail ?? "" });
  }
  for (const a of api.actions.slice(actions))
    say({ type: "oracle", vm: a.instanceId.replace(/.*harness/, ""), action: a.action });
  actions = api.actions.length;
}, 200);
const stop = async () => {
  clearInterval(poll);
  await host.close();
  await api.close();
  process.exit(0);
};
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
