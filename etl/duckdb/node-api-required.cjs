// DuckDB's Node API as every bundle of the product loads it (the CLI's, the bench child's, the
// Lambda's: etl/build/bundle-options.ts aliases "@duckdb/node-api" to this file): with require(), not
// imported as an ES module. Imported, Node first lexes each of the package's CommonJS files for its
// export names (364-412 ms of CPU against 162 ms to require it, three runs each). The name is held in
// a variable because the alias applies to this file too: the bundler leaves the call to the require()
// the bundle's banner defines at run time. The sources (through tsx) import the package itself.
const name = "@duckdb/node-api";
module.exports = require(name);
