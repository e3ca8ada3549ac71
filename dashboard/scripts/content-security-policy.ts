/**
 * The dashboard's Content-Security-Policy, one string for both places that serve it: the local server
 * (serve.ts: `npm start`, and every end-to-end test, which so opens the pages under the policy users
 * get) and CloudFront (infra/lib/site-hosting.ts). Everything comes from the site itself: no other
 * origin may be loaded, fetched, posted to or frame the pages, so an injected script could not send
 * what a page shows elsewhere. Framework writes each page's code as an inline module script and Plot
 * styles its marks inline, hence 'unsafe-inline' for scripts and styles (hashes would change with
 * every build); data: and blob: images are the maps' and charts' exports.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");
