import { html } from "npm:htl";
import type { Strings } from "./strings.js";

/** The strings of a month slider. */
export type MonthSliderStrings = Pick<Strings, "formatMonth"> & { slider: Strings["slider"] };

/** Time a month stays on screen during playback, in milliseconds: long enough to read the map's changes. */
export const PLAYBACK_MS = 1200;

/** The element of a month slider: an input whose value is the month shown ("YYYY-MM"). */
export type MonthSlider = HTMLElement & { value: string };

/**
 * A month picker for a long series of months: a range slider labelled `label` (its value read out as
 * the month's name, `aria-valuetext`), previous and next buttons, and play/pause, which steps a month
 * every PLAYBACK_MS until the last month. The element's value is the month; it announces every change
 * with an "input" event as Observable Inputs do, so `view()` and remember() (components/remember.ts)
 * take it like any input. Keyboard: the slider takes the arrow keys, Home and End; the buttons Enter
 * and Space. `months` are "YYYY-MM", ascending; `value` is one of them (default: the last).
 */
export function monthSlider(months: readonly string[], { label, value, tr }: { label: string; value?: string; tr: MonthSliderStrings }): MonthSlider {
  if (months.length === 0) throw new Error("monthSlider: no months to choose from (pass the months of the data, ascending)");
  let i = Math.max(0, months.indexOf(value ?? months.at(-1)!));
  if (value !== undefined && !months.includes(value)) i = months.length - 1;
  const id = `month-slider-${Math.random().toString(36).slice(2, 9)}`;
  const range = html`<input id=${id} type="range" min="0" max=${months.length - 1} step="1" value=${i} />` as HTMLInputElement;
  const shown = html`<output for=${id} class="dash-slider-month"></output>`;
  const previous = html`<button type="button" class="dash-download" aria-label=${tr.slider.previous} title=${tr.slider.previous}>◀</button>`;
  const next = html`<button type="button" class="dash-download" aria-label=${tr.slider.next} title=${tr.slider.next}>▶</button>`;
  const play = html`<button type="button" class="dash-download dash-slider-play" aria-pressed="false">${tr.slider.play}</button>`;
  const form = html`<form class="dash-month-slider" onsubmit=${(e: Event) => e.preventDefault()}>
    <label for=${id}>${label}</label>${previous}${range}${next}${play}${shown}
  </form>` as MonthSlider;
  let timer: ReturnType<typeof setInterval> | null = null;

  const set = (j: number, announce: boolean) => {
    i = Math.max(0, Math.min(months.length - 1, j));
    range.value = String(i);
    const text = tr.formatMonth(months[i]!);
    range.setAttribute("aria-valuetext", text);
    shown.textContent = text;
    (previous as HTMLButtonElement).disabled = i === 0;
    (next as HTMLButtonElement).disabled = i === months.length - 1;
    if (announce) form.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const stop = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
    play.textContent = tr.slider.play;
    play.setAttribute("aria-pressed", "false");
  };
  const start = () => {
    if (i === months.length - 1) set(0, true);
    play.textContent = tr.slider.pause;
    play.setAttribute("aria-pressed", "true");
    timer = setInterval(() => {
      set(i + 1, true);
      if (i === months.length - 1 || !form.isConnected) stop();
    }, PLAYBACK_MS);
  };

  Object.defineProperty(form, "value", {
    get: () => months[i],
    set: (v: string) => set(months.includes(v) ? months.indexOf(v) : i, false),
  });
  // The range's own input event bubbles to the form: its value is read from the range first.
  range.addEventListener("input", (event) => {
    event.stopPropagation();
    stop();
    set(Number(range.value), true);
  });
  previous.addEventListener("click", () => (stop(), set(i - 1, true)));
  next.addEventListener("click", () => (stop(), set(i + 1, true)));
  play.addEventListener("click", () => (timer === null ? start() : stop()));
  set(i, false);
  return form;
}
