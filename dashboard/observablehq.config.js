// Observable Framework 1.13.4 configuration of the offline dashboard. The build must never need the
// network: no Google Fonts (globalStylesheets), no DuckDB extensions, and every npm library comes from
// the cache that scripts/prefill-npm-cache.ts fills from node_modules (run scripts/build.ts, not a bare
// `observable build`).
export default {
  root: "src",
  output: "dist",
  title: "Šiauliai crime-prevention dashboard",
  pages: [
    {name: "Overview", path: "/"},
    {name: "Monthly hot spots", path: "/hotspots"}
  ],
  globalStylesheets: [],
  duckdb: {extensions: {json: null, parquet: null}},
  search: false,
  toc: false,
  pager: false,
  footer: "Map outlines © OpenStreetMap contributors, ODbL"
};
