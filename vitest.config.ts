import { availableParallelism } from "node:os";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// No test may reach Cloudflare (Miniflare would otherwise fetch request.cf data), also for children.
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";

// One test file per two cores: an end-to-end file keeps about two busy processes of its own (the host
// in the worker, sidecars, services, a systemd sandbox), and their heartbeat timings hold only while
// they get the CPU. On CI's 2 cores that is one file at a time; `--maxWorkers` overrides it.
const maxWorkers = Math.max(1, Math.floor(availableParallelism() / 2));

export default defineConfig({
  test: {
    maxWorkers,
    // Every hook and test is bounded (below); so is the workers' shutdown at the end of the run.
    teardownTimeout: 20_000,
    projects: [
      {
        test: {
          name: "node",
          include: [
            "edge/**/*.test.ts",
            "sidecar/**/*.test.ts",
            "protocol/**/*.test.ts",
            "test/**/*.test.ts",
          ],
          exclude: ["edge/workers/**", "test/workers/**", "node_modules/**"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // Stops the systemd sandboxes a killed worker left booted (each run has its own directory).
          globalSetup: ["test/support/sandbox-reaper.ts"],
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                VOXOPS_API_TOKENS: "test-admin-token-0000:admin,test-viewer-token-000:viewer",
                VOXOPS_INVENTORY: JSON.stringify({
                  vms: {
                    vm1: { role: "main", services: ["nginx"] },
                    vm2: { role: "hub", services: ["nginx"] },
                  },
                }),
                VOXOPS_SIDECAR_KEYS: "vm1=test-key-vm1,vm2=test-key-vm2",
              },
            },
          }),
        ],
        test: {
          name: "workers",
          include: ["test/workers/**/*.test.ts"],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
