// Spellings of "no value" that exports write into a column a row has nothing for: blank, NA, NULL,
// a dash, Buenos Aires' S/D (sin dato), NYC's (null).
const NO_VALUE = new Set(["", "na", "n/a", "nan", "null", "(null)", "none", "-", "s/d", "sin dato"]);

/** Whether `text` says the row has no value; none of the spellings starts with a digit, as almost every number does. */
export const isNoValue = (text: string) => !(text.charCodeAt(0) >= 48 && text.charCodeAt(0) <= 57) && NO_VALUE.has(text.trim().toLowerCase());
