import { createHash } from "node:crypto";
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openCache, openSealedFile, payloadReader, sealCache } from "../etl/lake/sealed-cache.ts";

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

  /** openSealedFile on `content` written to a file: the header, and the payload read into two arrays like ints and doubles (null: no payload read). */
  async function readInPlace(content: Buffer, magic = MAGIC): Promise<{ header: unknown; arrays: [Int32Array, Float64Array] | null } | null> {
    const dir = await mkdtemp(join(tmpdir(), "sealed-"));
    try {
      await writeFile(join(dir, "cache.bin"), content);
      const file = await open(join(dir, "cache.bin"), "r");
      try {
        const sealed = await openSealedFile(file, magic);
        if (sealed === null) return null;
        const arrays: [Int32Array, Float64Array] = [new Int32Array(3), new Float64Array(3)];
        return { header: sealed.header, arrays: (await sealed.readPayload(arrays)) ? arrays : null };
      } finally {
        await file.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it("reads in place to the same header, and the payload straight into the caller's arrays", async () => {
    expect(await readInPlace(bytes)).toEqual({ header, arrays: [ints, doubles] });
  });

  it("read in place: another store's or cut into the header is no file, a damaged or short payload is no rows", async () => {
    expect(await readInPlace(bytes, "hotspots-other-cache\n")).toBeNull();
    expect(await readInPlace(bytes.subarray(0, MAGIC.length + 40))).toBeNull();
    const last = Buffer.from(bytes);
    last[last.length - 1] = last[last.length - 1]! ^ 0x01;
    expect(await readInPlace(last)).toEqual({ header, arrays: null });
    expect(await readInPlace(bytes.subarray(0, bytes.length - 8))).toEqual({ header, arrays: null });
  });
});
