/**
 * How long a raw export is kept in the deployed product (a year, then 30 days as a noncurrent
 * version): the curated lake is the record. The quarantine's files keep the raw lines of the rows
 * they refuse, personal data as the exports are, so the lake bucket's lifecycle rule keeps them
 * exactly as long (an ingest rewrites its export's quarantine file, so both count from the same
 * upload). The one number for infra/'s lifecycle rules and for `hotspots check`, which must tell a
 * quarantine file the rule removed from one that went missing.
 */
export const RAW_RETENTION = { expireAfterDays: 365, noncurrentVersionDays: 30 } as const;
