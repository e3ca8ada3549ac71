/**
 * What an operator reads when an upload fails in AWS. The ingest's own messages are the command
 * line's: they start with the file's path (here the function's temporary copy) and advise flags
 * (`--replace`, `--export-id`, `--source`) that an upload cannot carry. The handler names the object
 * key instead, keeps what is wrong (an InputFileError's `reason`, without its `advice`), and says
 * what to do in AWS: which key to upload under, the source description to correct and redeploy, or
 * the CLI command to run on the S3 lake from a workstation for what no upload can say.
 */
import { posix } from "node:path";
import { DEFAULT_MAX_QUARANTINED_SHARE, quarantineFailure } from "../ingest/ingest-verdict.ts";
import { InputFileError } from "../ingest/open-input.ts";
import type { QualityReport } from "../ingest/quality-report.ts";

/** The upload a message is about: its object key, the lake it goes into and its source description. */
export interface Upload {
  /** The object key in the raw bucket (the export's identity). */
  key: string;
  /** The function's temporary copy of it. */
  file: string;
  /** The lake, as `s3://bucket/prefix`. */
  lakeUrl: string;
  /** The raw bucket's prefix, under which each source has its folder (`raw`). */
  rawPrefix: string;
  /** The source description's file (`<source-id>.yaml`). */
  sourcePath: string;
}

/** An upload the ingest refused or quarantined (wholly or mostly): Lambda's retries will not change it, only a new upload or the CLI. */
export class UploadRefusedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UploadRefusedError";
  }
}

/**
 * `error` restated for AWS: an ingest refusal of the upload's copy (InputFileError) becomes an
 * UploadRefusedError with what is wrong and what to do in AWS; any other error (S3, a timeout:
 * worth Lambda's retry) keeps its message, with the temporary path replaced by the key.
 */
export function uploadError(error: unknown, upload: Upload): unknown {
  if (!(error instanceof Error)) return error;
  if (!(error instanceof InputFileError) || error.file !== upload.file) {
    if (error.message.includes(upload.file)) error.message = error.message.replaceAll(upload.file, upload.key);
    return error;
  }
  return new UploadRefusedError(`${error.reason}. ${whatToDo(upload)}`, { cause: error });
}

/**
 * The failure for an upload whose rows were all, or more than the CLI's default share, quarantined
 * (the verdict the CLI exits 3 with, quarantineFailure), or undefined. Its version is in the lake
 * with its quarantine, as the CLI leaves it.
 */
export function quarantinedUploadError(report: QualityReport, upload: Upload): UploadRefusedError | undefined {
  // Without the example row's values: this message goes to CloudWatch Logs and the dead-letter queue (QuarantineFailureOptions).
  const failure = quarantineFailure([report], DEFAULT_MAX_QUARANTINED_SHARE, { rowValues: false });
  if (!failure) return undefined;
  // The verdict's first line is "<file>: <what>; likely cause: …"; its last names a CLI option.
  const line = failure.message.split("\n")[0]!;
  const what = line.startsWith(`${report.file}: `) ? line.slice(`${report.file}: `.length) : line;
  const quarantine = `${upload.lakeUrl}/quarantine/`;
  return new UploadRefusedError(
    `${what}. This version is in the lake with its quarantined rows and their reasons (${quarantine}); ` +
      `correct the file (or the source description ${posix.basename(upload.sourcePath)}, then redeploy) and upload it again under this key: ` +
      `the new version replaces this one (the nightly sweep does not retry a version the lake holds)`,
  );
}

/** What to do in AWS, for any refusal: the key to upload under, the source description to correct, or the CLI on the S3 lake for what an upload cannot say. */
function whatToDo({ key, lakeUrl, rawPrefix, sourcePath }: Upload): string {
  const source = posix.basename(sourcePath);
  return (
    `In AWS (an upload takes no options): upload a new export under a key of its own (e.g. ${rawPrefix}/${posix.basename(source, ".yaml")}/<year-month>.csv), not over another export's key; ` +
    `upload a corrected version of this export under this same key, or correct the source description data/sources/${source} where it misdescribes the export (its delimiter, encoding or time zone) and redeploy; ` +
    `a file of another layout needs a source description of its own ` +
    `(data/sources/<id>.yaml, redeployed) and goes under ${rawPrefix}/<id>/. ` +
    `To make this file replace its export although it lacks months or rows, or supersede the export it copies, ingest it from a workstation as the stack's maintainer role (output MaintainerRoleArn, assumed with MFA): ` +
    `hotspots --lake ${lakeUrl} ingest --source data/sources/${source} --export-id '${key}' --replace <the file>. ` +
    `The nightly sweep does not retry this version; a new upload under this key is tried again`
  );
}
