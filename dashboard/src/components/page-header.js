import {html} from "npm:htl";
import {LANGUAGES, strings} from "./strings.js";

const STORAGE_KEY = "dashboard-language";

/** The pages in navigation order: key of `nav` in the dictionaries → relative link. */
export const PAGES = [
  ["overview", "./"],
  ["hotspots", "./hotspots"],
  ["emerging", "./emerging"],
  ["patrol", "./patrol"],
  ["evaluation", "./evaluation"],
  ["dataQuality", "./data-quality"]
];

/**
 * The language to start with: `?lang=lt|en` in the address (which is then remembered), else the
 * language chosen before on this computer, else Lithuanian when the browser prefers it, else English.
 */
export function initialLanguage() {
  const asked = new URLSearchParams(location.search).get("lang");
  if (LANGUAGES.includes(asked)) {
    remember(asked);
    return asked;
  }
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (LANGUAGES.includes(stored)) return stored;
  } catch {
    // Storage can be disabled (private windows, strict policies): fall through to the browser's language.
  }
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  return preferred.some((l) => String(l).toLowerCase().startsWith("lt")) ? "lt" : "en";
}

function remember(lang) {
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
export function pageHeader(current, projectTitle = null) {
  let lang = initialLanguage();
  const title = html`<span class="dash-title"></span>`;
  const links = PAGES.map(([key, href]) => html`<a href=${href} data-page=${key} aria-current=${key === current ? "page" : null}></a>`);
  const buttons = LANGUAGES.map((code) => html`<button type="button" data-lang=${code} lang=${code}>${code.toUpperCase()}</button>`);
  const group = html`<div class="dash-language" role="group">${buttons}</div>`;
  const root = html`<header class="dash-header">${title}<nav class="dash-nav">${links}</nav>${group}</header>`;
  const render = () => {
    const tr = strings(lang);
    const siteTitle = (typeof projectTitle === "string" ? projectTitle : projectTitle?.[lang]) ?? tr.siteTitle;
    title.textContent = siteTitle;
    for (const a of links) a.textContent = tr.nav[a.dataset.page];
    group.setAttribute("aria-label", tr.languageLabel);
    for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
    document.documentElement.lang = lang;
    document.title = `${tr.nav[current]} | ${siteTitle}`;
  };
  for (const b of buttons) {
    b.onclick = () => {
      if (b.dataset.lang === lang) return;
      lang = b.dataset.lang;
      remember(lang);
      // A language in the address would win over the choice on the next load: keep it in step.
      const url = new URL(location.href);
      if (url.searchParams.has("lang")) {
        url.searchParams.set("lang", lang);
        history.replaceState(history.state, "", url);
      }
      root.value = lang;
      render();
      root.dispatchEvent(new Event("input", {bubbles: true}));
    };
  }
  root.value = lang;
  render();
  return root;
}
