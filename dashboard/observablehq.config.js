// Observable Framework 1.13.4 configuration of the offline dashboard. The build must never need the
// network: no Google Fonts (the stylesheet imports only Framework's own CSS), no DuckDB extensions, and
// every npm library comes from the cache that scripts/prefill-npm-cache.ts fills from node_modules (run
// scripts/build.ts, not a bare `observable build`). Navigation is each page's own bilingual header
// (components/page-header.js), so Framework's sidebar, pager and footer are off.
export default {
  root: "src",
  output: "dist",
  title: "Šiauliai crime-prevention dashboard",
  pages: [
    {name: "Overview", path: "/"},
    {name: "Monthly hot spots", path: "/hotspots"},
    {name: "Emerging hot spots", path: "/emerging"},
    {name: "Patrol priorities", path: "/patrol"},
    {name: "Project evaluation", path: "/evaluation"},
    {name: "Data quality", path: "/data-quality"}
  ],
  style: "style.css",
  globalStylesheets: [],
  duckdb: {extensions: {json: null, parquet: null}},
  sidebar: false,
  search: false,
  toc: false,
  pager: false,
  footer: ""
};
