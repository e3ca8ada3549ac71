/**
 * The two number texts of a pair written in one text ("41.87, -87.62", "54,6872; 25,2797"), in the
 * order written. With a decimal point the pair is split at a comma, a semicolon or spaces. With a
 * decimal comma (European exports) a comma may be a decimal mark or the separator, so every place
 * the text splits into two decimal-comma numbers is tried: "(54,6872; 25,2797)", "54,6872 25,2797",
 * "(54,6872, 25,2797)" and even "54,6872,25,2797" split one way only and are read; "54,68,25"
 * splits two ways (54,68 and 25, or 54 and 68,25) and is refused with both readings, never guessed.
 */
export type PairTexts = { kind: "pair"; a: string; b: string } | { kind: "invalid"; why?: string };

const COMMA_NUMBER = /^[+-]?\d+(,\d+)?$/;

export function pairTexts(inner: string, decimal: "." | ","): PairTexts {
  if (decimal === ".") {
    const parts = inner.split(/\s*[,;]\s*|\s+/);
    if (parts.length === 2) return { kind: "pair", a: parts[0]!, b: parts[1]! };
    // A pair that reads only with decimal commas: say what to write rather than "not a point".
    const comma = commaReadings(inner);
    return comma.length === 1
      ? { kind: "invalid", why: `its numbers are written with decimal commas (${comma[0]!.join(" and ")}); write decimal: "," in the source description` }
      : { kind: "invalid" };
  }
  const readings = commaReadings(inner);
  if (readings.length === 1) return { kind: "pair", a: readings[0]![0], b: readings[0]![1] };
  if (readings.length === 0) return { kind: "invalid" };
  return {
    kind: "invalid",
    why: `with decimal commas it reads ${readings.length} ways (${readings.map(([a, b]) => `${a} and ${b}`).join(", or ")}); the export must separate the two numbers by ";" or a space`,
  };
}

/** Every distinct split of `inner` at one ";", "," or space into two decimal-comma numbers. */
function commaReadings(inner: string): Array<[string, string]> {
  const found = new Map<string, [string, string]>();
  for (let i = 0; i < inner.length; i++) {
    if (!/[;,\s]/.test(inner[i]!)) continue;
    const [a, b] = [inner.slice(0, i).trim(), inner.slice(i + 1).trim()];
    if (COMMA_NUMBER.test(a) && COMMA_NUMBER.test(b)) found.set(`${a} ${b}`, [a, b]);
  }
  return [...found.values()];
}
