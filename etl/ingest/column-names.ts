/**
 * Column names that say what a column holds, for `hotspots describe`. Names are compared in one
 * normal form (normalName: accents dropped, lower case, every run of spaces and punctuation one
 * `_`), so `X koordinatė`, `x_koordinate` and `X-Koordinate` are one name and each word is listed
 * once, whatever the export's spelling. English, Spanish, German, Polish, Lithuanian, Latvian and
 * Estonian words and the usual abbreviations.
 */

/** `Įvykio Nr.` → `ivykio_nr`, `Längengrad` → `langengrad`, `X Coordinate` → `x_coordinate`. */
export function normalName(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "_")
    .replace(/^_+|_+$/g, "");
}

const named = (re: RegExp) => (name: string) => re.test(normalName(name));

// ilguma/platuma (lt), garums/platums (lv), pikkus/laius (et), Länge/Breite and Längengrad/Breitengrad,
// Rechtswert/Hochwert (de: Gauss-Krüger), este/norte (es: UTM), X/Y koordinatė (lt), X/Y Coordinate (Chicago),
// długość/szerokość (geograficzna) (pl; ł has no accent to drop).
// Dallas spells its northing "Y Cordinate".
const COORDINATE = "(coord(inate)?s?|cordinates?|koordinate|koordinat(e|a)s?)";
// A grid's name before the axis: Estonia's Lest_X/Lest_Y (L-EST97), an LKS94_X, UTM_X, GK_X, RD_X, MTM_X.
const GRID = "(l_?est(_?97)?|lks(_?9[24])?|utm|tm|gk|rd|mtm|sweref(_?99)?|etrs(_?89)?|puwg(_?92|_?1992)?)";
// Denver's GEO_LON/GEO_LAT (beside its State Plane GEO_X/GEO_Y), a GPS_LAT, a WGS84_LON, and run
// together in camel case, as Houston's MapLongitude/MapLatitude (normalName splits no words).
const PREFIX = "((geo|gps|gis|map|wgs_?84)_?)?";
/** The longitude or easting. */
export const isXName = named(
  new RegExp(
    `^${PREFIX}(x|lon|lng|long|longitude|longitud|easting|este|point_x|${GRID}_x|${COORDINATE}_x|x_${COORDINATE}|x_coord|(lon|lng|long|longitude)_wgs_?84|ilguma|garums|pikkus|lange|laenge|langengrad|laengengrad|rechtswert|d[lł]ugosc(_geograficzna)?)$`,
  ),
);
/** The latitude or northing. */
export const isYName = named(
  new RegExp(
    `^${PREFIX}(y|lat|latitude|latitud|northing|norte|point_y|${GRID}_y|${COORDINATE}_y|y_${COORDINATE}|y_coord|(lat|latitude)_wgs_?84|platuma|platums|laius|breite|breitengrad|hochwert|szerokosc(_geograficzna)?)$`,
  ),
);

/**
 * The incident number: `id`, `*_id`, case/report/incident numbers in their usual forms (`Case
 * Number`, `Crime ID`, `INCIDENT_KEY`, LAPD's `DR_NO`, NYPD's `CMPLNT_NUM`), `Įvykio Nr.` (lt), `Vorgangsnummer`/`Aktenzeichen` (de),
 * `Número de caso`/`caso` (es), `Nr sprawy` (pl). Not every `*nummer`: `Hausnummer` is an address.
 */
export const isIdName = named(
  /^(id|uid|.*_id|.*_key|key|no|nr|num|number|case|(incident|case|report|crime|event|complaint|cmplnt|occurrence|dr|rd|ccn|ivykio|bylos|vorgangs|fall)_?(no|nr|num|number|id|nummer|numeris)|ccn|vorgangsnummer|fallnummer|aktenzeichen|tagebuchnummer|numero(_de)?_(caso|incidente|denuncia|expediente)|caso|expediente|radicado|(nr|numer)_(sprawy|zdarzenia|postepowania))$/,
);

/**
 * Words of an offence column's name, most telling first: Toronto's LOCATION_TYPE comes before its
 * MCI_CATEGORY and must not be taken for the offence; a Lithuanian register's Veika (the act) before
 * its Straipsnis (the article of the code, "BK 178", which no word maps). Matched anywhere in the
 * normal name.
 */
export const OFFENCE_NAME_WORDS: ReadonlyArray<(name: string) => boolean> = [
  /categor|crime|crm|mci/,
  /offen[cs]e|modalidad|delito|delikt|straftat|tatbestand|infraccion|nusikalt|veika|parkap|nozieg|noziedz|nodarijum|kurite/,
  /type|nature|desc/,
  /straipsnis|article|paragraf|paragrahv/,
].map(named);

/**
 * The municipality a row names, checked against the project's boundaries and shown per municipality
 * in the Overview: `municipality`, `Savivaldybė` (lt), `Gemeinde`/`Kommune` (de), `municipio` (es),
 * `novads`/`pašvaldība` (lv), `omavalitsus` (et), a local authority or council; also as `*_name`.
 */
export const isMunicipalityName = named(
  /^(municipality|municipal|municipio|municipalidad|savivaldybe|savivaldybes|gemeinde|kommune|gemeindename|novads|pasvaldiba|omavalitsus|local_authority|council|lga)(_(name|nm|pavadinimas))?$/,
);

/** A neighbourhood, district or town (shown with the incidents), also as `*_name` (`BORO_NM`, `Neighborhood Name`). */
export const isLocalityName = named(
  /^(analysis_)?(neighbou?rhood|boro|borough|district|locality|barrio|comuna|localidad|corregimiento|colonia|location|area|ward|beat|sector|precinct|city|town|seniunija|vietove|gyvenviete|miestas|stadtteil|stadtbezirk|bezirk|ortsteil|ortschaft|ort|pagasts|ciems|pilseta|linnaosa|asula|dzielnica|osiedle)(_(name|nm|pavadinimas))?$/,
);
