// Types of the `npm:` imports the components make. Framework resolves `npm:` specifiers itself (from
// node_modules, see dashboard/scripts/prefill-npm-cache.ts); TypeScript does not know the protocol,
// so each module here takes the types of the package installed in node_modules, or, for the two
// packages that ship none (htl, @observablehq/inputs), declares the part the components use.

declare module "npm:@observablehq/plot" {
  export * from "@observablehq/plot";
}

declare module "npm:htl" {
  /**
   * Hypertext literal: HTML from a template, with interpolated values escaped (nodes and arrays of
   * nodes inserted as they are). Every template in the components has one root element, for which
   * htl returns that element.
   */
  export function html(strings: TemplateStringsArray, ...values: unknown[]): HTMLElement;
}

declare module "npm:@observablehq/inputs" {
  /** The options of Inputs.table that the components pass (https://github.com/observablehq/inputs#table). */
  export interface TableOptions<T> {
    columns?: string[];
    header?: Record<string, string>;
    format?: Record<string, (value: unknown, i: number, data: readonly T[]) => string | Node>;
    width?: Record<string, number | string>;
    align?: Record<string, "left" | "right" | "center">;
    locale?: string;
    sort?: string;
    reverse?: boolean;
    rows?: number;
    height?: number;
    select?: boolean;
    layout?: "auto" | "fixed";
  }
  /** A sortable table of `data`; its value is the selected rows. */
  export function table<T>(data: readonly T[], options?: TableOptions<T>): HTMLElement;
}

declare module "npm:d3" {
  export { geoMercator, type GeoProjection } from "d3-geo";
  export { select } from "d3-selection";
  export { zoom, type ZoomTransform } from "d3-zoom";
}
