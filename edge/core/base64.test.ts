import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { base64ToBytes, bytesToBase64 } from "./base64.ts";

describe("base64", () => {
  it("matches Node's encoder, across the chunk boundary", () => {
    const bytes = new Uint8Array(0x8000 * 2 + 7).map((_, i) => (i * 31) % 256);
    const text = bytesToBase64(bytes);
    expect(text).toBe(Buffer.from(bytes).toString("base64"));
    expect(base64ToBytes(text)).toEqual(bytes);
  });
  it("encodes the RFC 4648 vectors", () => {
    expect(bytesToBase64(new TextEncoder().encode("foobar"))).toBe("Zm9vYmFy");
    expect(bytesToBase64(new TextEncoder().encode("fo"))).toBe("Zm8=");
  });
  it("refuses malformed input", () => {
    expect(() => base64ToBytes("not base64!")).toThrow();
  });
});
