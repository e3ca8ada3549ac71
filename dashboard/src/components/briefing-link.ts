// The patrol page's link to the printable briefing of the coming month (issue 15), in the page's
// language and the other one. The publish step writes the files into data/ under fixed names
// (etl/briefing/site-briefing.ts): Framework copies a file into the built site only where a
// FileAttachment names it literally, so the month is read from briefing.json, not from the names.
// The pages are self-contained HTML: they open offline, and the browser's Print gives the A4 page.
import { FileAttachment } from "observablehq:stdlib";
import { html } from "npm:htl";
import { monthPhrase } from "./grammar.js";

type Language = "en" | "lt";

const FILES = {
  index: FileAttachment("../data/briefing.json"),
  en: FileAttachment("../data/briefing.en.html"),
  lt: FileAttachment("../data/briefing.lt.html"),
};

/** What briefing.json says (SiteBriefingIndex in etl/briefing/site-briefing.ts). */
interface BriefingIndex {
  month: string | null;
  areas: number;
  unavailable: "no_incidents" | "no_forecast" | null;
  sha256: Record<Language, string>;
}

/**
 * Whether the built page `href` is the one briefing.json describes. Built names carry the first 8 hex
 * digits of the content's SHA-256 (Framework's build, and etl/handlers/publish-site.ts for data files):
 * a site whose briefing.json was replaced without its pages would otherwise link another month's
 * page under this month's name. An address without such a hash (Framework's preview) is taken as is.
 */
function isDescribedPage(href: string, sha256: string | undefined): boolean {
  const hash = /\.([0-9a-f]{8})\.html$/.exec(href)?.[1];
  return hash === undefined || hash === sha256;
}

const WORDS = {
  en: {
    link: (month: string) => `Printable patrol briefing for ${monthPhrase("en", month)}`,
    note: "A4 page: where, when and why to patrol; opens in a new tab, print it from there.",
    other: "Lithuanian version",
    none: (month: string | null) =>
      month === null
        ? "No printable briefing: the lake holds no incidents yet."
        : `No printable briefing for ${monthPhrase("en", month)}: the lake holds no forecast for it.`,
    stale: (month: string) => `The printable briefing for ${monthPhrase("en", month)} is not in this build of the site yet: build the site again.`,
  },
  lt: {
    link: (month: string) => `Spausdinamas patruliavimo instruktažas: ${monthPhrase("lt", month, "genitive")} mėn.`,
    note: "A4 puslapis: kur, kada ir kodėl patruliuoti; atsidaro naujame skirtuke, iš ten jį galima atspausdinti.",
    other: "Versija anglų kalba",
    none: (month: string | null) =>
      month === null
        ? "Spausdinamo instruktažo nėra: duomenyse dar nėra įvykių."
        : `Spausdinamo instruktažo ${monthPhrase("lt", month, "genitive")} mėn. nėra: duomenyse nėra to mėnesio prognozės.`,
    stale: (month: string) =>
      `Spausdinamo ${monthPhrase("lt", month, "genitive")} mėn. instruktažo šioje svetainės versijoje dar nėra: svetainę reikia sukurti iš naujo.`,
  },
} satisfies Record<Language, unknown>;

/** A paragraph linking the briefing in `lang` (and the other language), or saying why there is none. */
export async function briefingLink(lang: Language): Promise<HTMLElement> {
  const index = (await FILES.index.json()) as BriefingIndex;
  const words = WORDS[lang];
  if (index.month === null || index.unavailable !== null) return html`<p id="patrol-briefing" class="dash-note">${words.none(index.month)}</p>`;
  if (!isDescribedPage(FILES[lang].href, index.sha256?.[lang])) return html`<p id="patrol-briefing" class="dash-note">${words.stale(index.month)}</p>`;
  const other: Language = lang === "en" ? "lt" : "en";
  return html`<p id="patrol-briefing" class="dash-lead">
    <a href=${FILES[lang].href} target="_blank" hreflang=${lang}>${words.link(index.month)}</a>
    (<a href=${FILES[other].href} target="_blank" hreflang=${other} lang=${other}>${words.other}</a>). ${words.note}
  </p>`;
}
