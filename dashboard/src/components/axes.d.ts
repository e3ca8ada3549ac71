// Types of axes.js, for the TypeScript tests (the pages use the JavaScript as is).
import type { Strings } from "./strings.js";

export function monthAxis(tr: Strings, count: number): { type: "utc"; label: null; ticks: string; tickFormat: (date: Date) => string };
export function countTicks(max: number): number[] | undefined;
export function ratioTicks(min: number, max: number): number[];
export function capitalize(text: string): string;
