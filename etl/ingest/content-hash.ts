/**
 * 64-bit string hashes for the repeated-id check, as two unsigned 32-bit halves: cyrb53's two
 * multiplicative lanes, kept at full 32 bits each, with its cross-mixing finaliser. Not
 * cryptographic — it only has to tell apart rows that share an incident number, where two different
 * rows hashing alike has a chance of about 2⁻⁶⁴ — and about twenty times cheaper than SHA-1.
 */
export interface Hash64 {
  high: number;
  low: number;
}

/** Hash of one string. */
export function hashString(text: string, out: Hash64): Hash64 {
  return finish(0xdeadbeef, 0x41c6ce57, text, out);
}

/**
 * Hash of a sequence of strings, injective in the sequence: each value is preceded by its length
 * shifted past every UTF-16 code unit, so ["ab", "c"] and ["a", "bc"] differ.
 */
export function hashStrings(values: readonly string[], out: Hash64): Hash64 {
  let h1 = 0x9e3779b9;
  let h2 = 0x85ebca6b;
  for (const value of values) {
    const separator = 0x10000 + value.length;
    h1 = Math.imul(h1 ^ separator, 2654435761);
    h2 = Math.imul(h2 ^ separator, 1597334677);
    // Two UTF-16 units per step; the length before each value says where a lone last unit is.
    let i = 0;
    for (; i + 1 < value.length; i += 2) {
      const c = value.charCodeAt(i) | (value.charCodeAt(i + 1) << 16);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    if (i < value.length) {
      const c = value.charCodeAt(i) | 0xffff0000;
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
  }
  return mix(h1, h2, out);
}

function finish(h1: number, h2: number, text: string, out: Hash64): Hash64 {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  return mix(h1, h2, out);
}

function mix(h1: number, h2: number, out: Hash64): Hash64 {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  out.high = h2 >>> 0;
  out.low = h1 >>> 0;
  return out;
}
