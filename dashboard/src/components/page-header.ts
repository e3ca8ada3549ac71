import { html } from "npm:htl";
import type { DashboardMeta } from "../../data-contract.js";
import { LANGUAGES, strings, type Strings } from "./strings.js";

/** A language of the dashboard. */
export type Language = (typeof LANGUAGES)[number];

/** A page's key in the dictionaries' `nav`. */
export type PageKey = keyof Strings["nav"];

const STORAGE_KEY = "dashboard-language";

const isLanguage = (value: unknown): value is Language => (LANGUAGES as readonly unknown[]).includes(value);

/** The pages in navigation order: key of `nav` in the dictionaries → relative link. */
export const PAGES: ReadonlyArray<readonly [PageKey, string]> = [
  ["overview", "./"],
  ["hotspots", "./hotspots"],
  ["emerging", "./emerging"],
  ["patrol", "./patrol"],
  ["evaluation", "./evaluation"],
  ["dataQuality", "./data-quality"],
];

/**
 * The language to start with: `?lang=lt|en` in the address (which is then remembered), else the
 * language chosen before on this computer, else Lithuanian when the browser prefers it, else English.
 */
export function initialLanguage(): Language {
  const asked = new URLSearchParams(location.search).get("lang");
  if (isLanguage(asked)) {
    remember(asked);
    return asked;
  }
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage can be disabled (private windows, strict policies): fall through to the browser's language.
  }
  // Some embedded browsers leave navigator.languages undefined, whatever its type says.
  const preferred: readonly string[] = navigator.languages?.length ? navigator.languages : [navigator.language];
  return preferred.some((l) => String(l).toLowerCase().startsWith("lt")) ? "lt" : "en";
}

function remember(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered: the switch still works on this page.
  }
}

/**
 * The header of every page: the site title, links to the six pages (the current one marked) and the
 * LT | EN switch; `title` is the project's (meta.json: a text or `{lt, en}`; null: the generic one).
 * Use it with `view()`: its value is the language, and switching fires an input event,
 * so every cell that reads the language redraws. The header relabels itself.
 */
export function pageHeader(current: PageKey, projectTitle: DashboardMeta["title"] = null): HTMLElement & { value: Language } {
  let lang = initialLanguage();
  const title = html`<span class="dash-title"></span>`;
  const links = PAGES.map(([key, href]) => [key, html`<a href=${href} data-page=${key} aria-current=${key === current ? "page" : null}></a>`] as const);
  const buttons = LANGUAGES.map((code) => [code, html`<button type="button" data-lang=${code} lang=${code}>${code.toUpperCase()}</button>`] as const);
  const group = html`<div class="dash-language" role="group">${buttons.map(([, b]) => b)}</div>`;
  const root = Object.assign(html`<header class="dash-header">${title}<nav class="dash-nav">${links.map(([, a]) => a)}</nav>${group}</header>`, {
    value: lang,
  });
  const render = () => {
    const tr = strings(lang);
    const siteTitle = (typeof projectTitle === "string" ? projectTitle : projectTitle?.[lang]) ?? tr.siteTitle;
    title.textContent = siteTitle;
    for (const [key, a] of links) a.textContent = tr.nav[key];
    group.setAttribute("aria-label", tr.languageLabel);
    for (const [code, b] of buttons) b.setAttribute("aria-pressed", String(code === lang));
    document.documentElement.lang = lang;
    document.title = `${tr.nav[current]} | ${siteTitle}`;
  };
  for (const [code, b] of buttons) {
    b.onclick = () => {
      if (code === lang) return;
      lang = code;
      remember(lang);
      // A language in the address would win over the choice on the next load: keep it in step.
      const url = new URL(location.href);
      if (url.searchParams.has("lang")) {
        url.searchParams.set("lang", lang);
        history.replaceState(history.state, "", url);
      }
      root.value = lang;
      render();
      root.dispatchEvent(new Event("input", { bubbles: true }));
    };
  }
  root.value = lang;
  render();
  return root;
}
