import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// No test may reach Cloudflare (Miniflare would otherwise fetch request.cf data), also for children.
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";

export default defineConfig({
  test: {
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
