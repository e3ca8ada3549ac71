/**
 * sha256File reads small files whole and streams large ones: both give the SHA-256 of the bytes,
 * checked against published test vectors and against coreutils' sha256sum where it is installed.
 */
import { execFileSync } from "node:child_process";
import { appendFile, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sha256File } from "../etl/lake/atomic-file.ts";

const hasSha256sum = (() => {
  try {
    execFileSync("sha256sum", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("sha256File", () => {
  it("gives the FIPS 180-2 test vectors: empty, 'abc', a million 'a'", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sha256-file-"));
    const cases: Array<[string, string]> = [
      ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
      ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
      ["a".repeat(1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"],
    ];
    for (const [i, [text, digest]] of cases.entries()) {
      await writeFile(join(dir, `${i}.bin`), text);
      expect(await sha256File(join(dir, `${i}.bin`))).toBe(digest);
    }
  });

  it.skipIf(!hasSha256sum)("streams a file larger than it reads whole, to the same digest as sha256sum", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sha256-file-"));
    const path = join(dir, "large.bin");
    // 17 MiB of varied bytes: above the 16 MiB read whole.
    const block = Buffer.alloc(2 ** 20);
    for (let i = 0; i < 17; i++) {
      for (let j = 0; j < block.length; j++) block[j] = (j * 31 + i * 7) & 0xff;
      await appendFile(path, block);
    }
    const expected = execFileSync("sha256sum", [path], { encoding: "utf8" }).split(" ")[0];
    expect(await sha256File(path)).toBe(expected);
  });

  it("refuses a file that is not there", async () => {
    await expect(sha256File(join(tmpdir(), "no-such-file-for-sha256.bin"))).rejects.toThrow(/ENOENT/);
  });
});
