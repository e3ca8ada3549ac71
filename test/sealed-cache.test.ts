import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openCache, payloadReader, sealCache } from "../etl/lake/sealed-cache.ts";

const MAGIC = "hotspots-test-cache\n";

describe("sealed root-cache files", () => {
  const header = { key: "k", rows: 3 };
  const ints = Int32Array.from([1, -2, 3]);
  const doubles = Float64Array.from([0.5, Number.NaN, -1e300]);
  const bytes = Buffer.concat(sealCache(MAGIC, header, [ints, doubles]));

  it("is the magic line, the SHA-256 of the rest, the header's length and JSON, then the arrays' bytes", () => {
    const text = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(text.length);
    const rest = Buffer.concat([length, text, Buffer.from(ints.buffer), Buffer.from(doubles.buffer)]);
    expect(bytes.equals(Buffer.concat([Buffer.from(MAGIC, "latin1"), createHash("sha256").update(rest).digest(), rest]))).toBe(true);
  });

  it("opens to the same header and arrays, read back one after another", () => {
    const sealed = openCache(bytes, MAGIC)!;
    expect(sealed.header).toEqual(header);
    const reader = payloadReader(sealed.payload);
    expect(reader.take(Int32Array, 3)).toEqual(ints);
    expect(reader.atEnd()).toBe(false);
    expect(reader.take(Float64Array, 3)).toEqual(doubles);
    expect(reader.atEnd()).toBe(true);
    expect(() => reader.take(Int32Array, 1)).toThrow(/short file/);
  });

  it("is a miss when damaged, cut short or another store's", () => {
    for (let at = 0; at < bytes.length; at += 7) {
      const damaged = Buffer.from(bytes);
      damaged[at] = damaged[at]! ^ 0x01;
      expect(openCache(damaged, MAGIC), `byte ${at} flipped`).toBeNull();
    }
    expect(openCache(bytes.subarray(0, bytes.length - 1), MAGIC)).toBeNull();
    expect(openCache(bytes.subarray(0, 10), MAGIC)).toBeNull();
    expect(openCache(bytes, "hotspots-other-cache\n")).toBeNull();
  });
});
