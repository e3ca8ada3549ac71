import type { S3Event } from "aws-lambda";

/** The tasks the schedules start (the schedule's input is `{"task": ...}`). */
export const SCHEDULED_TASKS = ["ingest-sweep", "analyse-publish"] as const;
export type ScheduledTask = (typeof SCHEDULED_TASKS)[number];

/** An invocation of the ETL function, as the dispatcher understands it. */
export type EtlEvent =
  | { kind: "objects-created"; objects: Array<{ bucket: string; key: string }> }
  | { kind: "scheduled"; task: ScheduledTask; lookbackHours?: number; recentMonths?: number }
  /** Sent by S3 once when a notification is configured; nothing to do. */
  | { kind: "s3-test-event" };

/** The invocation is none of the events the ETL function handles; says what was received. */
export class MalformedEventError extends Error {
  constructor(reason: string, event: unknown) {
    super(`malformed ETL event: ${reason}; received ${preview(event)}`);
    this.name = "MalformedEventError";
  }
}

/**
 * Classifies an invocation: an S3 object-created notification (keys URL-decoded, `+` as space, as
 * S3 encodes them), a schedule's `{"task": "ingest-sweep" | "analyse-publish"}` (optionally with
 * `lookbackHours` for the sweep, `recentMonths` for the analysis: 0 = the whole history), or S3's
 * test event. Anything else throws a {@link MalformedEventError}.
 */
export function parseEtlEvent(event: unknown): EtlEvent {
  if (!event || typeof event !== "object" || Array.isArray(event)) throw new MalformedEventError("expected a JSON object", event);
  const e = event as Record<string, unknown>;
  if (e.Event === "s3:TestEvent") return { kind: "s3-test-event" };
  if ("Records" in e) return { kind: "objects-created", objects: objectsOf(e as unknown as S3Event, event) };
  if ("task" in e) {
    if (!SCHEDULED_TASKS.includes(e.task as ScheduledTask)) {
      throw new MalformedEventError(`unknown task ${JSON.stringify(e.task)} (expected ${SCHEDULED_TASKS.join(" or ")})`, event);
    }
    if (e.lookbackHours !== undefined && !(typeof e.lookbackHours === "number" && e.lookbackHours > 0)) {
      throw new MalformedEventError("lookbackHours must be a positive number", event);
    }
    if (e.recentMonths !== undefined && !(Number.isInteger(e.recentMonths) && (e.recentMonths as number) >= 0)) {
      throw new MalformedEventError("recentMonths must be a whole number (0 = the whole history)", event);
    }
    return {
      kind: "scheduled",
      task: e.task as ScheduledTask,
      ...(e.lookbackHours !== undefined ? { lookbackHours: e.lookbackHours as number } : {}),
      ...(e.recentMonths !== undefined ? { recentMonths: e.recentMonths as number } : {}),
    };
  }
  throw new MalformedEventError("neither an S3 notification (Records) nor a scheduled task (task)", event);
}

function objectsOf(s3: S3Event, event: unknown): Array<{ bucket: string; key: string }> {
  if (!Array.isArray(s3.Records) || s3.Records.length === 0) throw new MalformedEventError("Records must be a non-empty array", event);
  return s3.Records.map((record, i) => {
    if (record?.eventSource !== "aws:s3")
      throw new MalformedEventError(`record ${i} is not from aws:s3 (eventSource ${JSON.stringify(record?.eventSource)})`, event);
    if (typeof record.eventName !== "string" || !record.eventName.startsWith("ObjectCreated:")) {
      throw new MalformedEventError(`record ${i} is ${JSON.stringify(record.eventName)}, not an ObjectCreated event`, event);
    }
    const bucket = record.s3?.bucket?.name;
    const key = record.s3?.object?.key;
    if (typeof bucket !== "string" || bucket === "" || typeof key !== "string" || key === "") {
      throw new MalformedEventError(`record ${i} has no s3.bucket.name or s3.object.key`, event);
    }
    return { bucket, key: decodeS3Key(key) };
  });
}

/** Decodes an object key as it appears in S3 event notifications (URL-encoded, spaces as `+`). */
export function decodeS3Key(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, " "));
  } catch {
    throw new MalformedEventError(`object key ${JSON.stringify(key)} is not validly URL-encoded`, { key });
  }
}

function preview(event: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(event) ?? String(event);
  } catch {
    text = String(event);
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
