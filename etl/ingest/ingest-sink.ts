import type { IncidentStage } from "../lake/write-incidents.ts";
import { IdFilter } from "./id-filter.ts";
import type { TimePrecision } from "./parse-time.ts";
import type { QualityTally } from "./quality-report.ts";
import type { BatchSummary, RecordBatch } from "./record-batch.ts";

/**
 * Takes RecordBatches in file order and does what needs the whole file: absolute line numbers, one
 * dictionary for every reader's texts, the row accounting, the staging of kept and refused rows, and
 * the first half of the repeated-id check — every kept row whose id the IdFilter may have seen
 * before is staged as a suspect with its text, for `IncidentStage.takeRepeats` to decide exactly.
 * It also notes, per month, whether rows arrived ordered by (id, line) already, which lets the
 * partition writer skip a sort.
 */
export class IngestSink {
  private readonly codeOfText = new Map<string, number>();
  private readonly texts: string[] = [];
  /** Per reader: its dictionary indices → global codes. */
  private readonly codes: Array<{ codes: Uint32Array; used: number }> = [];
  private readonly filter: IdFilter | undefined;
  private lineBase = 0;
  /** Per month dictionary code: the last (id, line) appended, or null once rows came out of order. */
  private readonly lastOfMonth = new Map<number, { id: string; line: number } | null>();
  /** Seconds the reader threads spent on H3 indexing and on everything else. */
  h3Seconds = 0;
  readSeconds = 0;
  /** Seconds this thread spent consuming batches (tally, filter, staging). */
  stageSeconds = 0;
  /** Kept rows staged as possible repeats. */
  suspects = 0;

  constructor(
    private readonly stage: IncidentStage,
    private readonly tally: QualityTally,
    private readonly fileName: string,
    checkIds: boolean,
    expectedRows: number,
  ) {
    this.filter = checkIds ? new IdFilter(expectedRows) : undefined;
  }

  /** The dictionary text of a code. */
  text(code: number): string {
    return this.texts[code]!;
  }

  /** The file's dictionary: code → text. */
  dictionary(): readonly string[] {
    return this.texts;
  }

  /** Months as dictionary codes, with whether their rows came ordered by (id, line). */
  monthsInOrder(): Map<string, { code: number; inOrder: boolean }> {
    return new Map([...this.lastOfMonth].map(([code, last]) => [this.texts[code]!, { code, inOrder: last !== null }]));
  }

  /**
   * Consumes the next batch. `reader` names the reader whose dictionary the batch uses; `chunk` is
   * the bytes it was read from, for quoting a suspect (rawStart/rawEnd). Lines of a batch with
   * `lines` > 0 are relative to it; others are absolute.
   */
  consume(batch: RecordBatch, reader: number, chunk?: Buffer): void {
    const started = performance.now();
    this.take(batch, reader, chunk);
    this.stageSeconds += (performance.now() - started) / 1000;
  }

  /** Lines before the first batch's first line (the header's, for a CSV read in chunks). */
  skipLines(lines: number): void {
    this.lineBase += lines;
  }

  private take(batch: RecordBatch, reader: number, chunk?: Buffer): void {
    const codes = this.translate(batch, reader);
    const offset = batch.lines > 0 ? this.lineBase : 0;
    this.lineBase += batch.lines;
    this.h3Seconds += batch.h3Seconds;
    this.readSeconds += batch.readSeconds;
    this.tally.rowRead(batch.records);
    for (const r of batch.rejections) {
      this.tally.quarantined(r.code, r.line + offset, r.reason);
      this.stage.addQuarantined(this.fileName, r.line + offset, r.code, r.reason, r.raw);
    }
    if (batch.kept === 0) return;
    this.tallyKept(batch.summary, codes);
    this.noteOrder(batch.summary, codes, offset);
    if (this.filter) {
      for (let i = 0; i < batch.kept; i++) {
        if (!this.filter.testAndAdd(batch.idHash[2 * i]!, batch.idHash[2 * i + 1]!)) continue;
        const raw = batch.raws.length > 0 ? batch.raws[i]! : clip(chunk!.toString("utf8", batch.rawStart[i], batch.rawEnd[i]));
        const start = idStart(batch, i);
        this.stage.addSuspect(batch.line[i]! + offset, batch.ids.slice(start, start + batch.idLengths[i]!), batch.ambiguous[i] === 1, raw);
        this.suspects++;
      }
    }
    this.stage.append(batch, codes, offset);
  }

  private translate(batch: RecordBatch, reader: number): Uint32Array {
    const map = (this.codes[reader] ??= { codes: new Uint32Array(64), used: 0 });
    if (map.used + batch.strings.length > map.codes.length) {
      const grown = new Uint32Array(2 * (map.used + batch.strings.length));
      grown.set(map.codes);
      map.codes = grown;
    }
    for (const text of batch.strings) {
      let code = this.codeOfText.get(text);
      if (code === undefined) {
        code = this.texts.length;
        this.codeOfText.set(text, code);
        this.texts.push(text);
      }
      map.codes[map.used++] = code;
    }
    return map.codes;
  }

  private tallyKept(s: BatchSummary, codes: Uint32Array): void {
    const precision: Partial<Record<TimePrecision, number>> = {};
    for (const [code, n] of s.precision) {
      const p = this.texts[codes[code]!] as TimePrecision;
      precision[p] = (precision[p] ?? 0) + n;
    }
    const months = new Map(s.months.map((m) => [this.texts[codes[m.code]!]!, m.count]));
    const count = s.months.reduce((sum, m) => sum + m.count, 0);
    this.tally.keepMany({
      count,
      first: s.first,
      last: s.last,
      west: s.west,
      east: s.east,
      south: s.south,
      north: s.north,
      precision,
      months,
      ambiguous: s.ambiguous,
    });
  }

  private noteOrder(s: BatchSummary, codes: Uint32Array, offset: number): void {
    for (const m of s.months) {
      const month = codes[m.code]!;
      const last = this.lastOfMonth.get(month);
      if (last === null) continue;
      const follows = last === undefined || last.id < m.firstId || (last.id === m.firstId && last.line < m.firstLine + offset);
      this.lastOfMonth.set(month, follows && m.inOrder ? { id: m.lastId, line: m.lastLine + offset } : null);
    }
  }
}

/** Where the id of kept record i starts in `batch.ids` (computed once per batch). */
function idStart(batch: RecordBatch, i: number): number {
  let starts = idStartCache.get(batch);
  if (!starts) {
    starts = new Int32Array(batch.kept);
    for (let k = 0, at = 0; k < batch.kept; k++) {
      starts[k] = at;
      at += batch.idLengths[k]!;
    }
    idStartCache.set(batch, starts);
  }
  return starts[i]!;
}

const idStartCache = new WeakMap<RecordBatch, Int32Array>();

const RAW_KEPT = 2_000;
const clip = (text: string) => (text.length > RAW_KEPT ? `${text.slice(0, RAW_KEPT)}… (${text.length} characters)` : text);
