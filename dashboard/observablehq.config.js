// Observable Framework 1.13.4 configuration of the offline dashboard. The build must never need the
// network: no Google Fonts (the stylesheet imports only Framework's own CSS), no DuckDB extensions, and
// every npm library comes from the cache that scripts/prefill-npm-cache.ts fills from node_modules (run
// scripts/build.ts, not a bare `observable build`). Navigation is each page's own bilingual header
// (components/page-header.ts), so Framework's sidebar, pager and footer are off.
export default {
  root: "src",
  output: "dist",
  title: "Crime-prevention dashboard",
  pages: [
    {name: "Overview", path: "/"},
    {name: "Monthly hot spots", path: "/hotspots"},
    {name: "Emerging hot spots", path: "/emerging"},
    {name: "Patrol priorities", path: "/patrol"},
    {name: "Project evaluation", path: "/evaluation"},
    {name: "Data quality", path: "/data-quality"}
  ],
  style: "style.css",
  // An inline icon: browsers ask for /favicon.ico otherwise, a 404 on every page.
  head: '<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 16 16%22%3E%3Cpath d=%22M8 1l6 3.5v7L8 15l-6-3.5v-7z%22 fill=%22%23b2182b%22/%3E%3C/svg%3E">',
  globalStylesheets: [],
  duckdb: {extensions: {json: null, parquet: null}},
  sidebar: false,
  search: false,
  toc: false,
  pager: false,
  footer: ""
};
