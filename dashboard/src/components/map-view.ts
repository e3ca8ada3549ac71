// What part of the world a map shows, in terms that do not depend on the window's width or on the
// cells of the month: the centre and the ground metres per pixel there. A view written into the
// address ("?view=23.3158,55.9341,12.5") opens the same place at the same scale on any screen.

/** A map view: centre longitude and latitude (degrees) and ground metres per pixel at the centre. */
export interface MapView {
  lon: number;
  lat: number;
  metresPerPixel: number;
}

/** A view as address text: "lon,lat,metres per pixel" at 5, 5 and 3 decimals (about 1 m and 1 mm/px). */
export function encodeView({ lon, lat, metresPerPixel }: MapView): string {
  return `${lon.toFixed(5)},${lat.toFixed(5)},${metresPerPixel.toFixed(3)}`;
}

/** The view in address text, or null when the text is not one (a hand-edited or truncated link): the map then opens on its default view. */
export function decodeView(text: unknown): MapView | null {
  if (typeof text !== "string") return null;
  const parts = text.split(",").map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return null;
  const [lon, lat, metresPerPixel] = parts as [number, number, number];
  if (Math.abs(lon) > 180 || Math.abs(lat) >= 85 || !(metresPerPixel > 0)) return null;
  return { lon, lat, metresPerPixel };
}

/** An element that holds a value for remember() (components/remember.ts) and announces changes with an "input" event; it shows nothing. */
export type ValueHolder<T> = HTMLElement & { value: T };

export function valueHolder<T>(value: T): ValueHolder<T> {
  const element = document.createElement("span") as unknown as ValueHolder<T>;
  element.hidden = true;
  element.value = value;
  return element;
}

/** Sets a holder's value and announces it, as an input does when its user changes it. */
export function setHeld<T>(holder: ValueHolder<T>, value: T): void {
  holder.value = value;
  holder.dispatchEvent(new Event("input"));
}
