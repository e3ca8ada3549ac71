// Lithuanian text of the dashboard. Same keys as strings-en.ts (TypeScript and a test check); pages reach both only
// through strings.ts. Functions take months as "YYYY-MM" keys and decline them as the sentence needs
// (grammar.ts); nouns after numbers agree with them through countPhrase or are avoided
// ("Karštieji langeliai: 12").
import { countPhrase, monthPhrase, monthRangePhrase, nounFor, type GrammaticalCase } from "./grammar.js";
import type { en } from "./strings-en.js";

const month = (m: string, grammaticalCase?: GrammaticalCase) => monthPhrase("lt", m, grammaticalCase);
// "mažiau nei 5 įvykiai", "mažiau nei 10 įvykių": the noun agrees with the number.
const incidents = (n: number) => `${n} ${nounFor("lt", n, "incident")}`;

/** The Lithuanian dictionary: the English one's shape, which TypeScript checks key by key and function by function. */
export const lt: typeof en = {
  lang: "lt",
  locale: "lt-LT",
  siteTitle: "Nusikalstamumo prevencijos skydelis",
  languageLabel: "Kalba",
  nav: {
    overview: "Apžvalga",
    hotspots: "Mėnesio karštieji taškai",
    emerging: "Besiformuojantys karštieji taškai",
    patrol: "Patruliavimo prioritetai",
    evaluation: "Projektų vertinimas",
    dataQuality: "Duomenų kokybė",
  },
  common: {
    downloadCsv: "CSV",
    downloadSvg: "SVG",
    downloadPng: "PNG",
    downloadCsvTitle: "Atsisiųsti šią lentelę CSV formatu",
    downloadSvgTitle: "Atsisiųsti šią diagramą SVG formatu",
    downloadPngTitle: "Atsisiųsti šią diagramą PNG formatu",
    chartSeries: (first, last, low, high, latest) =>
      `Nuo ${month(first, "genitive")} iki ${month(last, "genitive")}: mažiausiai ${low}, daugiausia ${high}; ${month(last)} – ${latest}.`,
    chartRange: (low, high) => `Reikšmės nuo ${low} iki ${high}.`,
    chartEmpty: "Nėra ką pavaizduoti.",
    chartTotal: "Visos pavaizduotos kategorijos kartu",
    chartData: "Diagramos skaičiai lentelėje",
    generated: (date) => `Duomenys paskelbti ${date}.`,
    lessThan: (amount) => `mažiau nei ${amount}`,
    suppressedFootnote: (k) =>
      `„Neskelbiama“: mažiau nei ${incidents(k)} arba skaičius, iš kurio kartu su kitais paskelbtais skaičiais atimtimi būtų galima apskaičiuoti tokį skaičių; neskelbiama dėl privatumo.`,
    withheld: "neskelbiama",
    sensitiveNote: (names, count, byMunicipality = true) =>
      `${count === 1 ? `Kategorija „${names}“ rodoma` : `${names} rodomi`} tik kaip ${byMunicipality ? "savivaldybių" : "visos tiriamosios teritorijos"} sumos (Apžvalga), niekada pagal langelius.`,
    and: "ir",
    month: "Mėnuo",
    category: "Kategorija",
    municipality: "Savivaldybė",
    count: "Įvykiai",
    notStated: "nenurodyta",
    noRows: "Nėra ko išvardyti.",
    none: "–",
    yes: "taip",
    no: "ne",
  },
  map: {
    zoomIn: "Priartinti",
    zoomOut: "Nutolinti",
    resetView: "Atkurti vaizdą",
    keys: "Žemėlapį stumkite pele arba rodyklių klavišais; artinkite ratuku, dviem pirštais arba klavišais + ir −; 0 atkuria vaizdą.",
    police: "Policijos įstaiga",
    policeKey: "policijos įstaiga",
    placeNames: "vietovių pavadinimai",
    extent: "Žemėlapio aprėptis",
    extentAll: "Visa tiriamoji teritorija",
    extentCells: "Rodomi langeliai",
    cell: "Langelis",
    place: "Vieta",
    hexagons: "šešiakampiai",
    outlines: "savivaldybių ribos",
    grid: (resolution, area, outlines) =>
      `${resolution} lygio H3 šešiakampiai (kiekvienas apie ${area} km²)${outlines ? " ant savivaldybių ribų" : ""}; užveskite žymeklį ant langelio arba pereikite į jį klavišu Tab, kad pamatytumėte jo duomenis.`,
    attribution: (outlines, places) =>
      outlines || places
        ? `${outlines && places ? "Savivaldybių ribos ir vietovardžiai" : outlines ? "Savivaldybių ribos" : "Vietovardžiai"} © OpenStreetMap bendraautoriai, ODbL`
        : "",
    pinnedTitle: (place) => `Pažymėtas langelis: ${place}`,
    pinnedNone: "Spustelėkite langelį žemėlapyje arba „Rodyti“ lentelėje – čia matysite jo duomenis.",
    unpin: "Atžymėti",
    show: "Rodyti",
    showColumn: "Žemėlapyje",
    showCell: (place) => `Rodyti ${place} žemėlapyje`,
  },
  slider: {
    play: "Leisti",
    pause: "Pristabdyti",
    previous: "Ankstesnis mėnuo",
    next: "Kitas mėnuo",
  },
  overview: {
    title: "Apžvalga",
    lead: (area, byMunicipality = true) =>
      `Užregistruoti įvykiai per mėnesį tiriamojoje teritorijoje (${area}) pagal kategoriją${byMunicipality ? " ir savivaldybę" : ""}.`,
    hullArea: (ring) => `įvykių gaubto H3 langeliai ir aplink jį esančių langelių žiedų: ${ring}`,
    rowsRead: "Perskaityta įrašų",
    rowsIngested: "Panaudota įrašų",
    rowsQuarantined: "Atidėta įrašų (netinkami)",
    months: "Apimta mėnesių",
    allMunicipalities: "Visos savivaldybės",
    monthlyTitle: (where) => `Įvykiai per mėnesį pagal kategoriją — ${where}`,
    trendTitle: (category, byMunicipality = true) => `Tendencija${byMunicipality ? " pagal savivaldybę" : ""} — ${category}`,
    trendNote:
      "Taškai: mėnesio skaičiai; linijos: 12 mėnesių slankusis vidurkis sveikais skaičiais, rodomas tik ten, kur paskelbti visi 12 mėnesių (vidurkis su neskelbiamu mėnesiu leistų jį apskaičiuoti). Neskelbiamas mėnuo taško neturi.",
    yearlyTitle: "Įvykiai per metus, visa tiriamoji teritorija",
    beforeAnalysis: (count, start) =>
      `${count === null ? `Įvykių, datuotų iki ${month(start, "genitive")} (vėlai praneštų arba su klaidingai įrašytais metais), skaičius neskelbiamas dėl privatumo.` : `Įvykiai, datuoti iki ${month(start, "genitive")} (vėlai pranešti arba su klaidingai įrašytais metais): ${count.toLocaleString("lt-LT")}.`} Jie yra tarp panaudotų įrašų, bet nerodomi grafikuose ir neįtraukti į mėnesio bei metų skaičius: šie, kaip ir karštieji taškai, tendencijos bei prognozės, prasideda nuo ${month(start, "genitive")} — pirmojo mėnesio, kuriame yra bent dešimtadalis įprasto mėnesio įvykių.`,
    notAnalysed: (m, reason, count) =>
      `${month(m)} neanalizuojamas: ${
        reason === "not_ended"
          ? "šis mėnuo dar nesibaigė"
          : `jame per mažai įvykių (${count === null ? "jų skaičius neskelbiamas dėl privatumo" : count.toLocaleString("lt-LT")}), kad tai būtų visas mėnuo`
      }. Jo įvykiai įtraukti į mėnesio skaičius, o karštieji taškai, tendencijos ir prognozės baigiasi ankstesniu mėnesiu.`,
    notAnalysedMark: (reason) => (reason === "not_ended" ? "neanalizuojamas: mėnuo dar nesibaigė" : "neanalizuojamas: per mažai įvykių"),
    suppressedNote: (suppressed, total, k, byMunicipality = true) =>
      suppressed === 0
        ? `Paskelbti visi mėnesio skaičiai.`
        : `Neskelbiamų mėnesio skaičių (pagal ${byMunicipality ? "savivaldybę ir " : ""}kategoriją): ${suppressed} iš ${total} — mažesni nei ${k} arba tokie, iš kurių atimtimi būtų galima apskaičiuoti mažesnį; į sumas jie neįtraukti, o mėnuo, kurio paskelbti tik neskelbiami skaičiai (ir nuliai), linijoje paliekamas tuščias, o ne rodomas kaip 0.`,
    year: "Metai",
    total: "Iš viso",
    suppressedCount: "Neskelbiami skaičiai",
    movingAverage: "12 mėn. vidurkis",
  },
  hotspots: {
    title: "Mėnesio karštieji taškai",
    pinnedNotSignificant: "Šį mėnesį ir šioje kategorijoje nereikšmingas.",
    hotMonths: (n, total, fdr) =>
      `Karštasis taškas (90 % ar didesnio patikimumo${fdr ? ", po FDR kontrolės" : ""}) ${n} iš ${total} šios kategorijos mėnesių. Kiekvienas mėnuo tikrinamas${fdr ? " ir koreguojamas" : ""} atskirai, todėl tai atskirų mėnesių rezultatų skaičius, o ne visų mėnesių bendras testas.`,
    lead: "Kur įvykiai telkėsi per mėnesį: H3 langeliai, kurių Getis-Ord Gi* statistika reikšminga, karštieji (langelyje ir jo kaimynuose įvykių daugiau, nei būtų, jei mėnesio įvykiai atsitiktinai pasiskirstytų po visus tiriamosios teritorijos langelius) arba šaltieji (mažiau). Lyginama su tolygiu pasiskirstymu, o ne su gyventojų skaičiumi ar veikla, todėl karštieji taškai iš dalies rodo, kur žmonės gyvena, dirba ir lankosi.",
    fdr: "Kontroliuoti klaidingų atradimų dalį (FDR)",
    mapTitle: (m, category, fdr) => `${category}, ${month(m)}${fdr ? " (po FDR kontrolės)" : ""}`,
    mapAriaLabel: "Karštųjų ir šaltųjų taškų žemėlapis",
    z: "z reikšmė",
    bin: "Patikimumas",
    legend: "Gi* patikimumo grupė",
    none: "Šį mėnesį šioje kategorijoje reikšmingų langelių nėra.",
    untested:
      "Šį mėnesį šioje kategorijoje įvykių per mažai, kad būtų galima tikrinti: visi jie viename langelyje arba jų tiek mažai, kad joks langelis negalėtų pasiekti 90 % patikimumo. Karštieji ir šaltieji taškai nerodomi.",
    noData: "Duomenyse nėra karštųjų taškų analizės (paleiskite analizės etapą).",
    summary: (hot, cold) => `Karštieji langeliai: ${hot}; šaltieji langeliai: ${cold}.`,
    tableTitle: "Reikšmingi šio mėnesio langeliai",
    countNote: (k) =>
      `Įvykiai: langelio skaičius tą mėnesį toje kategorijoje. Skaičius, mažesnis nei ${k}, arba skaičius, iš kurio atimtimi būtų galima apskaičiuoti mažesnį, rodomas kaip „neskelbiama“.`,
    allExcludes: (names) =>
      `„Visos kategorijos“ šiame puslapyje neapima šių kategorijų: ${names}. Šios grupės karštieji taškai ir skaičiai apskaičiuoti be jų, kad jokie langelio duomenys nuo jų nepriklausytų.`,
    withheld: (n, k) => `Dar reikšmingų langelių nerodoma: ${n}. Langelyje ir jo kaimynuose mažiau nei ${incidents(k)}, o patikimumo lygis tai atskleistų.`,
    fdrOff:
      "FDR kontrolė išjungta: kiekvienas langelis tikrinamas atskirai. Kas mėnesį tikrinant tūkstančius langelių, dalis 90 % ir 95 % patikimumo langelių tikėtina vien dėl atsitiktinumo. Įjunkite FDR kontrolę, kad liktų tik langeliai, išliekantys reikšmingi, kai Benjamini–Hochberg procedūra riboja tikėtiną klaidingų atradimų dalį kiekviename patikimumo lygyje.",
    fdrOn:
      "FDR kontrolė įjungta: Benjamini–Hochberg procedūra taikoma kiekvienam mėnesiui ir kategorijai atskirai, visiems tiriamosios teritorijos langeliams; rodomos po jos likusios grupės, o langeliai, reikšmingi tik be jos, nepiešiami. Tarp mėnesių ir kategorijų niekas nekoreguojama.",
    method: (k, resolution) =>
      `Gi* apskaičiuota kiekvienam langeliui su jo ${k}-ojo žiedo kaimynais, H3 lygis ${resolution}; grupės kaip ArcGIS (±3 = 99 %, ±2 = 95 %, ±1 = 90 %). Karštas langelis reiškia karštą kaimynystę: kur įvykių nedaug, karštas gali būti ir langelis, kuriame pačiame įvykių nėra, jei jų yra kaimyniniuose langeliuose.`,
    pValues: (used, permutations) => {
      // "iš 9 999 atsitiktinių perstatų", "iš 1 001 atsitiktinės perstatos": the noun agrees with the number.
      const sampled =
        permutations === null
          ? "atsitiktinių perstatų"
          : countPhrase("lt", permutations, ["atsitiktinės perstatos", "atsitiktinių perstatų", "atsitiktinės perstatos", "atsitiktinių perstatų"]);
      const how =
        used.exact + used.monte_carlo > 0
          ? " Sąlyginės atsitiktinės perstatos: langelio skaičius lieka, o kitų langelių skaičiai atsitiktinai perstatomi tiriamojoje teritorijoje."
          : "";
      const only = [
        [used.exact, "pagal sąlyginių atsitiktinių perstatų tikslųjį skirstinį"],
        [used.monte_carlo, `pagal sąlyginių atsitiktinių perstatų skirstinį, įvertintą iš ${sampled}`],
        [used.normal, "pagal normalųjį z reikšmės artinį, be perstatų"],
      ] as const;
      const present = only.filter(([n]) => n > 0);
      if (present.length === 1) return `Šio mėnesio p reikšmės apskaičiuotos ${present[0]![1]}.${how}`;
      // Several methods: "label – n" lists, so no noun has to agree with the counts.
      const labels = [
        [used.exact, "tikslusis sąlyginių atsitiktinių perstatų skirstinys"],
        [used.monte_carlo, `skirstinys, įvertintas iš ${sampled}`],
        [used.normal, "normalusis z reikšmės artinys"],
      ] as const;
      const tested = used.exact + used.monte_carlo + used.normal;
      return `Šį mėnesį tikrintos kategorijos (iš viso ${tested}) pagal tai, kaip apskaičiuotos p reikšmės: ${labels
        .filter(([n]) => n > 0)
        .map(([n, label]) => `${label} – ${n}`)
        .join("; ")}.${how}`;
    },
  },
  emerging: {
    title: "Besiformuojantys karštieji taškai",
    lead: (months, first, last) =>
      `Kaip kito kiekvieno langelio būsena per ${months} mėn. (${monthRangePhrase("lt", first, last)}): ArcGIS besiformuojančių karštųjų taškų analizės dėsningumai pagal mėnesio Gi* grupes ir Mann-Kendall langelio z reikšmių tendencijos testą.`,
    mapTitle: (category, last) => `${category}: dėsningumai iki ${month(last, "genitive")}`,
    mapAriaLabel: "Besiformuojančių karštųjų taškų žemėlapis",
    pattern: "Dėsningumas",
    meaning: "Reikšmė",
    colour: "Spalva ir ženklas žemėlapyje",
    cells: "Langeliai",
    hotMonths: "Karštų mėn.",
    coldMonths: "Šaltų mėn.",
    trendZ: "Tendencijos z",
    trendP: "Tendencijos p",
    meaningsTitle: "Ką reiškia dėsningumai",
    tableTitle: "Langeliai su dėsningumu",
    none: "Nė vienas langelis neturi dėsningumo.",
    pinnedNoPattern: "Šiam langeliui dėsningumas nepaskelbtas: langelis jo neturi arba jis neskelbiamas (žr. pastabą po žemėlapiu).",
    withheld: (n, k, more) =>
      `${more ? "Dar langelių" : "Langelių"}, kurių dėsningumas neskelbiamas: ${n}. Mėnesį, kai langelis buvo reikšmingas, jame ir jo kaimynuose buvo mažiau nei ${incidents(k)}, o dėsningumas tai atskleistų. Langelių skaičiai pagal dėsningumą jų neapima.`,
    noData: "Duomenyse nėra besiformuojančių karštųjų taškų analizės (paleiskite analizės etapą).",
    settings: (bin, fdr, alpha, window) =>
      `${
        window === null
          ? "Kiekvieno mėnesio grupės – to mėnesio Gi*, p reikšmės pagal normaliąją aproksimaciją"
          : `Kiekvieno mėnesio grupės – erdvės ir laiko Gi*: langelio kaimynystė yra ${window === 0 ? "tik jo žiedas tą mėnesį" : `jo žiedas tą mėnesį ir ${window === 1 ? "prieš tai buvusį mėnesį" : `${window} ankstesnius mėnesius`}`}, p reikšmės – sąlyginės atsitiktinės perstatos tarp visų langelių ir mėnesių (kiekvieno langelio to mėnesio skaičius lieka, kiti perstatomi tarp visų langelių ir mėnesių), todėl langelis tą mėnesį karštas tada, kai jo kaimynystėje įvykių daugiau, nei būtų, jei viso laikotarpio įvykiai būtų atsitiktinai išbarstyti po langelius ir mėnesius. Toks palyginimas neišlaiko kiekvieno mėnesio įvykių sumos: kai visos teritorijos mėnesio skaičius smarkiai auga ar mažėja, langeliai gali tapti naujais, nepertraukiamais ar svyruojančiais taškais be jokios vietinės sankaupos`
      }. Mėnuo laikomas karštu ar šaltu, kai langelio grupė yra ±${bin} ar stipresnė${fdr ? ` po FDR kontrolės (${window === null ? "kiekvieną mėnesį atskirai" : "iš karto visiems šios kategorijos langeliams ir mėnesiams"})` : ""}. Tendencijos testas (Mann-Kendall, jo dispersija pataisyta dėl gretimų mėnesių priklausomybės, Hamed–Rao metodu) atliekamas kiekvienam langeliui atskirai, α = ${alpha}, todėl maždaug tokia dalis langelių, neturinčių jokios tendencijos, ją parodo atsitiktinai.`,
    skipped: (categories, minimum, months) =>
      `Neanalizuota, per mažai duomenų šiam metodui: ${categories}. Tendencijos testui reikia, kad įvykių būtų bent ${minimum} mėnesių; iš ${months} analizuotų mėn. tokių buvo mažiau.`,
  },
  patrol: {
    title: "Patruliavimo prioritetai",
    lead: (m, share, from, to) =>
      `${month(m, "genitive")} langelių eilė: pirmieji langeliai, apimantys ${share} tiriamosios teritorijos pagal kiekvieną vertinimo metodą, remiantis ${month(from, "genitive")} – ${month(to, "genitive")} įvykiais.`,
    method: "Vertinimo metodas",
    mapTitle: (m, method) => `${month(m)}: ${method}`,
    mapAriaLabel: "Patruliavimo prioritetų žemėlapis",
    skipMap: "Praleisti žemėlapio langelius ir pereiti prie lentelės",
    rank: "Eilė",
    score: "Balas",
    area: "Plotas, km²",
    cumulativeShare: "Apimta teritorijos",
    tableTitle: "Langelių eilė",
    noForecast: "Duomenyse nėra patruliavimo prioritetų prognozės (paleiskite analizės etapą).",
    beyondData: (months, last) =>
      `Nerodoma ${months.map((m) => month(m, "genitive")).join(", ")} prognozė. Paskutinis duomenų mėnuo – ${month(last)}, todėl tarpinius mėnesius ji laikė mėnesiais be įvykių. Įkelkite tų mėnesių duomenis ir paleiskite skaičiavimą iš naujo; šiame puslapyje rodomas planas mėnesiui po paskutinio duomenų mėnesio.`,
    backtestTitle: "Kaip kiekvienas metodas prognozavo praėjusius mėnesius",
    measure: "Rodiklis",
    areaShare: "Teritorijos dalis",
    months: "Mėnesiai",
    meanTitle: "Vidutinis tikslumas pagal metodą ir teritorijos dalį",
    monthlyTitle: (share) => `Tikslumas kas mėnesį, kai apimama ${share} teritorijos`,
    monthlyTitleNoShare: "Tikslumas kas mėnesį",
    backtestNote: (first, last, months, history, withheld) =>
      `Slenkančios pradžios atgalinis testas: kiekvienas mėnuo nuo ${month(first, "genitive")} iki ${month(last, "genitive")} prognozuotas tik iš ankstesnių mėnesių (bent ${history} mėn. istorijos); stulpeliai — vidurkiai per mėnesius, kuriuos paskelbė visi pavaizduoti metodai: ${withheld ? "iki " : ""}${months} mėn. (kiek tiksliai, rodo stulpelio paaiškinimas).${withheld ? " Mėnuo, kurio rodikliai kartu su paskelbtu mėnesio skaičiumi atskleistų mažą skaičių (kiek įvykių pateko į sąrašą ar tarp dviejų ploto dalių), neskelbiamas: linijose jis — tarpas, į vidurkius neįskaičiuotas." : ""}`,
    noBacktestChart: "Nėra atgalinio testo mėnesių, kuriuos būtų galima pavaizduoti.",
    noBacktest:
      "Šios kategorijos atgalinio testo nėra: mėnesinis paleidimas tikrina tik „Visas kategorijas“ (kitą kategoriją prideda `hotspots backtest --category`).",
    noBacktestAll: "Atgalinio testo dar nėra: mėnesinis paleidimas (arba `hotspots backtest`) įvertina metodus pagal kiekvieno mėnesio ankstesnius mėnesius.",
    backtestTooFewMonths: (months, history, needed) =>
      `Atgalinio testo dar nėra: duomenys apima ${months} mėn., o atgalinis testas vertina mėnesį tik iš ${history} ankstesnių mėn., todėl reikia bent ${needed} mėn. duomenų.`,
    backtestNoScoredMonth: (months, history) =>
      `Atgalinio testo nėra: iš ${months} mėn. duomenų nė viename mėnesyje po pirmųjų ${history} mėn. nebuvo įvykių, pagal kuriuos būtų galima įvertinti prognozę.`,
    chosen: (m, method, margin, runnerUp, gain, months) =>
      `${month(m, "genitive")} prognozei naudojama: ${method}. ${method.includes(" + ") ? "Šie metodai (balų vidurkis)" : "Šis metodas"} geriausiai prognozavo ankstesnius ${months} atgalinio testo mėn., kai apimama 1 % ir 5 % teritorijos; geriausias lenkė metodą „${runnerUp}“ ${margin}, o bazinį 12 mėnesių metodą – ${gain}. Šie skirtumai išmatuoti tais pačiais mėnesiais, pagal kuriuos metodas pasirinktas, todėl ateinančiais mėnesiais pranašumas greičiausiai bus mažesnis; jo rezultatus mėnesiais, pagal kuriuos jis nebuvo pasirinktas, rodo atgalinio testo eilutė „Pasirinktas atgaliniu testu“.`,
    chosenBaseline: (margin, runnerUp) =>
      `Nė vienas metodas ankstesniais atgalinio testo mėnesiais nepranoko bazinio 12 mėnesių metodo daugiau, nei lemia jo svyravimai iš mėnesio į mėnesį, todėl prognozei naudojamas bazinis metodas (artimiausiam metodui „${runnerUp}“ pritrūko ${margin}).`,
    chosenWithheld: (m, method, runnerUp, months) =>
      `${month(m, "genitive")} prognozei naudojama: ${method}. ${method.includes(" + ") ? "Šie metodai (balų vidurkis)" : "Šis metodas"} geriausiai prognozavo ankstesnius ${months} atgalinio testo mėn., kai apimama 1 % ir 5 % teritorijos, ir lenkė metodą „${runnerUp}“ bei bazinį 12 mėnesių metodą. Skirtumai neskelbiami: iš jų būtų galima apskaičiuoti neskelbiamus atgalinio testo mėnesius.`,
    chosenBaselineWithheld: (runnerUp) =>
      `Nė vienas metodas ankstesniais atgalinio testo mėnesiais nepranoko bazinio 12 mėnesių metodo daugiau, nei lemia jo svyravimai iš mėnesio į mėnesį, todėl prognozei naudojamas bazinis metodas (artimiausias buvo metodas „${runnerUp}“; kiek jam pritrūko, neskelbiama: iš to būtų galima apskaičiuoti neskelbiamus atgalinio testo mėnesius).`,
    chosenTooShort: "Per trumpa istorija metodui pasirinkti: prognozei naudojamas bazinis 12 mėnesių metodas.",
    chosenNeverHit: (months) =>
      `Ankstesniais ${months} atgalinio testo mėn. bazinio 12 mėnesių metodo atrinktuose langeliuose nebuvo užregistruota nė vieno įvykio, todėl jokio metodo pranašumo prieš jį išmatuoti neįmanoma: prognozei naudojamas bazinis metodas.`,
    chosenBaselineAlone:
      "Nė vienas kitas metodas neturėjo atgalinio testo, su kuriuo būtų galima palyginti bazinį 12 mėnesių metodą (nėra antrojo geriausio), todėl prognozei naudojamas bazinis metodas.",
    noRunnerUp: "nėra antrojo geriausio",
    leadCut: (m, share, shown, from, to) =>
      `${month(m, "genitive")} langelių eilė, remiantis ${month(from, "genitive")} – ${month(to, "genitive")} įvykiais: kiekvienas vertinimo metodas išrikiuoja pirmuosius langelius, apimančius ${share} tiriamosios teritorijos. Šio metodo sąrašas baigiasi prieš pirmąją neskelbiamą vietą ir apima ${shown} tiriamosios teritorijos.`,
    withheldRanks: (n, first, last, below, k) =>
      `Neskelbiamų langelių eilėje: ${n}, pirmasis – ${first} vietoje: jo eilė remiasi 1–${k - 1} įvykiais, o eilė tai atskleistų. ${last === "0" ? "Todėl negalima parodyti nė vieno langelio" : `Todėl sąrašas baigiasi ties ${last} vieta`}${below === "0" ? "" : `: paskelbti langeliai žemiau ${first} vietos (${below}) nerodomi, kad nė vienas nebūtų palaikytas kitu prioritetu`}.`,
    leadNoShare: (m, from, to) =>
      `${month(m, "genitive")} langelių eilė pagal kiekvieną vertinimo metodą, remiantis ${month(from, "genitive")} – ${month(to, "genitive")} įvykiais.`,
    pinnedNotRanked: "Nėra tarp šio metodo ir kategorijos rodomų langelių.",
    categoryNote: (byMunicipality = true) =>
      `Kiekviena kategorija vertinama pagal jos pačios įvykius; „Visos kategorijos“ neapima kategorijų, rodomų tik ${byMunicipality ? "savivaldybių" : "visos tiriamosios teritorijos"} sumomis.`,
    compareTitle: "Kiekvienas metodas, palyginti su baziniu 12 mėnesių metodu",
    compareNote:
      "Tais pačiais mėnesiais: įvykiai 10 ir 20 pirmųjų langelių, PAI per paskutinius 12 mėnesių ir vidutinis PAI skirtumas nuo bazinio 12 mėnesių metodo su 95 % intervalu (pagal vienodo svorio kosinusų dispersiją ir Stjudento t skirstinį: intervalas atsižvelgia į gretimų mėnesių panašumą ir yra tuo platesnis, kuo mažiau mėnesių palyginta, todėl ir per metus ar dvejus apima tikrąjį skirtumą beveik 95 % atvejų; kai palyginta mažiau nei 6 mėnesiai, intervalo nėra) bei laimėti ir pralaimėti mėnesiai. Kiekvienas vidurkis skaičiuojamas per mėnesius, kuriuos paskelbė tas metodas („Mėnesiai“); skirtumas, jo intervalas ir laimėti bei pralaimėti mėnesiai – tik per mėnesius, kuriuos paskelbė ir metodas, ir bazinis metodas („Palyginta mėnesių“). Vien paskutinių 12 mėnesių per mažai, kad būtų galima atskirti metodus, kurių PAI skiriasi keliomis dešimtosiomis: per visą atgalinį testą pranašesnis metodas gali metus atsilikti nuo bazinio, pavyzdžiui, kai įvykių daugėja naujose vietose, o ten, kur jų buvo daug prieš dvejus metus, sumažėja; to negalėjo numatyti joks pasirinkimas iš ankstesnių mėnesių. Kai intervalas apima 0, atgalinis testas jų neatskiria.",
    top10: "Įvykiai 10 pirmųjų langelių",
    top20: "Įvykiai 20 pirmųjų langelių",
    recentPai: "PAI, paskutiniai 12 mėn.",
    difference: "PAI − bazinis",
    interval: "95 % intervalas",
    winsLosses: "Mėnesiai laimėti / pralaimėti",
    pairedMonths: "Palyginta mėnesių",
    measures: {
      hit_rate: { label: "Pataikymo dalis", description: "Mėnesio įvykių dalis, patekusi į pasirinktus langelius." },
      pai: {
        label: "PAI",
        description:
          "Prognozės tikslumo indeksas: pataikymo dalis, padalyta iš pasirinktos teritorijos dalies (1 = ne geriau nei atsitiktinai; daugiau yra geriau).",
      },
      pei_star: {
        label: "PEI*",
        description: "Prognozės efektyvumo indeksas: PAI, padalytas iš geriausio PAI, kurį galėjo pasiekti bet kuris toks pat langelių skaičius (1 = tobula).",
      },
    },
    // Parametrizuotų prognozės metodų pavadinimai pagal šeimą (identifikatoriai kaip „ewma(h=12)“, žr. strings.ts methodLabel).
    families: {
      window: (p) => `Paskutinių ${p.w} mėnesių įvykiai`,
      ewma: (p) => (p.h === "∞" ? "Visa istorija, sverta pagal senumą, be senėjimo" : `Visa istorija, sverta pagal senumą (pusėjimo trukmė ${p.h} mėn.)`),
      kde: (p) => `Išlyginta per kaimyninius langelius (branduolio plotis ${p.b}, ${p.h === "∞" ? "be senėjimo" : `pusėjimo trukmė ${p.h} mėn.`})`,
      "self-exciting": (p) => `Pasikartojančių įvykių modelis (sužadinimo svoris ${p.theta}, fono pusėjimo trukmė ${p.h} mėn.)`,
      "seasonal-kde": (p) => `Išlyginta, su tuo pačiu ankstesnių metų sezonu (sezono svoris ${p.gamma})`,
      ensemble: () => "Keturių metodų vidurkis (ansamblis)",
      stacked: (p, partner) =>
        p.w === "0"
          ? `Paskutinių 12 mėnesių įvykiai, vienodus skaičius rikiuojant pagal metodą „${partner ?? "?"}“`
          : `Paskutinių 12 mėnesių įvykiai kartu su metodu „${partner ?? "?"}“ (jo svoris ${p.w})`,
    },
    methods: {
      selected: {
        label: "Pasirinktas atgaliniu testu",
        description:
          "Kiekvieną mėnesį — metodas, geriausiai prognozavęs ankstesnius mėnesius atgaliniame teste (bazinis 12 mėnesių metodas, nebent kitas jį pranoko, kai apimama 1 % ir 5 % teritorijos).",
      },
      "ewma-ring": {
        label: "Naujausi įvykiai su kaimynais (EWMA)",
        description:
          "Paskutinių 12 mėnesių įvykiai, sveriami eksponentiškai mažėjančiais svoriais (pusėjimo trukmė 3 mėn.), pridedant pusę kaimynų svertinių įvykių.",
      },
      "gi-star-mean": {
        label: "Vidutinė Gi* z reikšmė",
        description: "Paskutinių 12 mėnesių vidutinė mėnesio Gi* z reikšmė: kaip nuosekliai langelis buvo karštajame taške.",
      },
      "last-month": { label: "Praėjusio mėnesio įvykiai (bazinis)", description: "Langelio įvykiai praėjusį mėnesį." },
      "last-12-months": { label: "Paskutinių 12 mėnesių įvykiai (bazinis)", description: "Langelio įvykiai per paskutinius 12 mėnesių." },
      "ewma-fitted": {
        label: "Visa istorija, sverta pagal senumą (pusėjimo trukmė pritaikyta miestui)",
        description: "Langelio įvykiai, sveriami pagal senumą, su pusėjimo trukme, geriausiai prognozavusia ankstesnius mėnesius, mėnuo po mėnesio.",
      },
    },
  },
  evaluation: {
    title: "Projektų vertinimas",
    lead: "Kiekvienam projektui: ką jis ketino padaryti ir ką pasiekė (rodikliai, palyginti su tikslais), o kai įvykių duomenys apima jo teritoriją — palyginimas prieš ir po su pasikliautinaisiais intervalais ir kontekstu.",
    project: "Projektas",
    promoter: "Vykdytojas",
    programme: "Programa",
    funding: "Finansavimas",
    period: "Laikotarpis",
    country: "Šalis",
    dataLanguage: (translated) =>
      translated
        ? "Projektų ir rodiklių pavadinimai išversti iš šaltinių (jie parengti anglų kalba)."
        : "Projektų ir rodiklių pavadinimai cituojami taip, kaip pateikta šaltiniuose (anglų kalba).",
    indicatorsSummary: (n) => `Rodikliai (${n}): skaičiai, tikslai ir pradinės reikšmės`,
    evaluationDetails: "Išsamiau: vertinimas, istorija per metus, kontekstas ir išlygos",
    baselinePeriod: "Pradinės reikšmės laikotarpis",
    achievedQualifier: "Pasiekta: kaip nurodyta",
    qualifiers: { exact: "tiksliai", approximate: "apie", more_than: "daugiau nei" },
    changeFromBaseline: "Pokytis nuo pradinės reikšmės",
    percentChangeFromBaseline: "Pokytis nuo pradinės reikšmės, %",
    desiredDirection: "Pageidaujama kryptis",
    indicatorsTitle: "Rodikliai",
    indicator: "Rodiklis",
    kind: "Rūšis",
    kinds: { process: "Proceso rodiklis", outcome: "Rezultato rodiklis" },
    unit: "Vienetai",
    baseline: "Pradinė reikšmė",
    target: "Tikslas",
    achieved: "Pasiekta",
    percentOfTarget: "% tikslo",
    status: "Būsena",
    targetsTitle: "Rodikliai, palyginti su tikslais",
    targetsNote: "Stulpeliai: kiek pasiekta, kaip tikslo dalis (tarpinių patikrų suma, kai bendra suma nenurodyta); linija žymi 100 %.",
    noTargets: "Nė vienas šio projekto rodiklis nenurodo ir tikslo, ir rezultato.",
    baselineTitle: "Rodikliai, palyginti su pradine reikšme",
    noBaselines: "Nė vienas šio projekto rodiklis nenurodo ir pradinės reikšmės, ir rezultato.",
    statuses: {
      exceeded: "Tikslas viršytas",
      met: "Tikslas pasiektas",
      notReached: "Tikslas nepasiektas",
      checkpoints: (pct) => `Bendra suma nenurodyta; tarpinės patikros sudaro ≈ ${pct} tikslo`,
      noResult: "Tikslas nustatytas; rezultatas nenurodytas",
      // Prasideda žodžiu: CSV langelis, prasidedantis „+“, būtų apsaugotas kaip formulė.
      change: (change, pct) => `Pokytis nuo pradinės reikšmės: ${change} (${pct})`,
      achievedOnly: "Pasiekta; tikslas nenurodytas",
      nothing: "Skaičius nenurodytas",
    },
    qualified: { approximate: (v) => `apie ${v}`, more_than: (v) => `daugiau nei ${v}` },
    verdict: {
      title: "Išvada",
      targetedTitle: "Kas buvo siekta",
      reachedTitle: "Kas pasiekta",
      outcomeTitle: "Ką įvykių duomenys gali ir ko negali parodyti",
      can: "Ką rodo skaičiai",
      cannot: "Ko jie negali parodyti",
      noTargets: "Projekto dokumentuose skaitinis tikslas nenurodytas.",
      target: (name, target, period) => `${name}: ${target}${period ? ` (${period})` : ""}.`,
      reached: (name, value, target, pct, status) => `${name}: ${value} iš ${target} (${pct}) – ${status.toLocaleLowerCase("lt")}.`,
      checkpoints: (name, value, target, pct) => `${name}: bendra suma nenurodyta; tarpinių patikrų suma – ${value} iš ${target} (≈ ${pct}).`,
      noResult: (name) => `${name}: rezultatas nenurodytas.`,
      others: (n, withBaseline, desired) => {
        const moved =
          withBaseline === 0
            ? ""
            : desired === withBaseline
              ? `; visi su pradine reikšme (${withBaseline}) pasikeitė pageidaujama kryptimi`
              : `; iš ${withBaseline} su pradine reikšme pageidaujama kryptimi pasikeitė ${desired}`;
        return `Be tikslo nurodytų rezultatų: ${n}${moved} (žr. rodiklius toliau).`;
      },
      noFigure: (n) => `Rodiklių, kuriems nenurodytas joks skaičius: ${n}.`,
      measured: (what, area, before, beforeLabel, after, afterLabel, way) => `${what}, ${area}: ${before} (${beforeLabel}) → ${after} (${afterLabel}), ${way}.`,
      desired: (direction) => `pageidaujama kryptimi (${direction})`,
      against: (direction) => `priešinga pageidaujamai kryptimi (${direction})`,
      noChange: "pokyčio nėra",
      significant: (p) => `Pokytis didesnis, nei galėtų paaiškinti vien atsitiktinumas (tiksliojo testo p = ${p}).`,
      tooSmall: "Tokie maži skaičiai negali atskirti tokio dydžio pokyčio nuo atsitiktinumo: tai įrodymų nebuvimas, o ne įrodymas, kad poveikio nėra.",
      chance: "Pokytį galėtų paaiškinti vien atsitiktinumas.",
      borderline: (p, alpha, level, low, high) =>
        `Ribinis atvejis: tiksliojo testo p = ${p} mažesnė nei ${alpha}, tačiau jo ${level} pasikliautinasis dažnių santykio intervalas (nuo ${low} iki ${high}) apima ir „pokyčio nėra“: ties šia riba du tikslieji metodai nesutaria, todėl pokytis laikytinas nepatvirtintu.`,
      noControl: "Kas būtų buvę be projekto: palyginamosios teritorijos nėra.",
      controlLimits: "Kas būtų buvę be projekto, išskyrus apytiksliai: žr. pastabą apie palyginamąją teritoriją.",
      registered: "Kiek pasikeitė pats nusikalstamumas: registruoti atvejai atspindi ir pranešimus, ir policijos veiklą.",
      design: (level, atBest, meaning) =>
        `Kiek stiprus vertinimo planas: Merilendo mokslinių metodų skalės ${level} lygis iš 5${atBest ? " (geriausiu atveju)" : ""} – ${meaning}.`,
      detectable: (power, rise, fall) =>
        `Ką šie skaičiai galėjo aptikti su ${power} galia: ${rise ? `ne mažesnį kaip ${rise} padidėjimą` : "jokio padidėjimo"}${fall ? ` arba ne mažesnį kaip ${fall} sumažėjimą` : "; jokio sumažėjimo aptikti nebuvo įmanoma"}.`,
      placeboSpace: (rank, n, p, minP) =>
        `Tas pats palyginimas kitose duomenų vietovėse (placebo testas): pagal pokyčio dydį ši teritorija yra ${rank} vietoje iš ${n} (p = ${p}; kai vietovių ${n}, p negali būti mažesnė nei ${minP}).`,
      noEvaluation: "Įvykių duomenys neapima šio projekto teritorijos, todėl apie jo rezultatą nieko negali parodyti; skaičiai – paties projekto.",
      evaluationError: (title) => `${title}: vertinimo atlikti nepavyko (priežastis nurodyta toliau).`,
    },
    noProjects: "Duomenyse nėra projektų",
    projectsInData: "Projektų duomenyse",
    noProjectsWhy:
      "Šiems duomenims nepateiktas joks projektų failas: pridėtiniai projektai priklauso tik demonstraciniams duomenims. Norėdami čia įvertinti projektą, pateikite jo dokumentus ir rodiklius komanda `hotspots context --projects <failas>`.",
    noEvaluation: "Įvykių duomenys neapima šio projekto teritorijos, todėl rodomi tik jo rodikliai.",
    evaluationTitle: (title) => `Prieš ir po: ${title}`,
    evaluationError: (message) => `Šio vertinimo atlikti nepavyko: ${message}`,
    areas: (area, control) => (control ? `Teritorija: ${area}. Palyginamoji teritorija: ${control}.` : `Teritorija: ${area}. Palyginamosios teritorijos nėra.`),
    periods: (before, after) => `Prieš: ${before}. Po: ${after}.`,
    caseType: "Bylos rūšis",
    before: "Prieš",
    after: "Po",
    change: "Pokytis",
    rateRatio: "Dažnių santykis",
    interval: (level) => `${level} PI`,
    intervalLow: (level) => `${level} PI, apatinė riba`,
    intervalHigh: (level) => `${level} PI, viršutinė riba`,
    exactP: "p (tikslusis testas)",
    eTestP: "p (E testas)",
    comparison: "Palyginamoji teritorija",
    beforeAfterTitle: (level) => `Skaičiai prieš ir po su ${level} pasikliautinaisiais intervalais`,
    beforeAfterNote: "Tikslieji Puasono kiekvieno skaičiaus intervalai; skaičius „prieš“ perskaičiuotas laikotarpio „po“ trukmei.",
    rateRatioTitle: (level) => `Dažnių santykis po / prieš su ${level} pasikliautinuoju intervalu`,
    rateRatioNote: "1 = pokyčio nėra. Kai intervalas apima 1, pokytį galėjo lemti vien atsitiktinumas.",
    readingTitle: "Vertinimas",
    reading: {
      counts: (what, before, after, change, pct) => `${what}: ${before} → ${after} (${change}, ${pct})`,
      desired: (direction) => `pageidaujama kryptimi (${direction})`,
      against: (direction) => `priešinga pageidaujamai kryptimi (${direction})`,
      noChange: "pokyčio nėra",
      significant: (p) => `Pokytis statistiškai reikšmingas (tiksliojo testo p = ${p}).`,
      tooSmall: (p) => `Tokie maži skaičiai negali parodyti reikšmingo pokyčio (p = ${p}): tai įrodymų nebuvimas, o ne įrodymas, kad poveikio nėra.`,
      notSignificant: (p) => `Statistiškai nereikšminga (p = ${p}); pokytį gali paaiškinti atsitiktinumas.`,
      wdd: (wdd, low, high, p) => `Palyginti su palyginamąja teritorija, svertinis perkėlimo skirtumas yra ${wdd} (nuo ${low} iki ${high}, p = ${p}).`,
      exposure: (before, after, per, what, p) => `Atvejai per metus, tenkantys ${per} ${what}: ${before} → ${after} (p = ${p}).`,
    },
    directions: { increase: "didėjimas", decrease: "mažėjimas" },
    // Merilendo mokslinių metodų skalė (Sherman ir kt., 1997; Farrington ir kt., 2002) pagal lygį.
    smsLevels: {
      1: "sąsaja viename laiko taške, be palyginimo laike",
      2: "prieš ir po projekto teritorijoje, be palyginamosios teritorijos",
      3: "prieš ir po projekto teritorijoje ir palyginamojoje teritorijoje",
      4: "prieš ir po keliose projekto ir palyginamosiose teritorijose, kontroliuojant kitus veiksnius",
      5: "teritorijos atsitiktinai priskirtos projektui ir kontrolei",
    },
    crossCheckTitle: "Duomenų ežero skaičiai, palyginti su paties projekto skaičiais",
    crossCheck: (what, seedBefore, seedAfter, lakeBefore, lakeAfter, reading, excluded) =>
      `${what}: projekto ${seedBefore} → ${seedAfter}, ežero ${lakeBefore} → ${lakeAfter} — ${
        reading === "agrees"
          ? "sutampa"
          : reading === "differs"
            ? "nesutampa"
            : `tai ne tie patys skaičiai: ežero skaičiai neapima šių kategorijų: ${excluded}, o projekto skaičiai jas gali apimti, todėl skirtumas gali būti vien dėl to`
      }.`,
    historyTitle: "Įvykiai per metus teritorijoje ir palyginamojoje teritorijoje",
    historyNote: "Pažymėti laikotarpiai „prieš“ ir „po“.",
    area: "Teritorija",
    contextTitle: (what, where) => `Kontekstas: ${what} per metus, ${where}`,
    contextSource: (source) => `Šaltinis: ${source}.`,
    exposures: { immigrants_registered: "registruoti imigrantai" },
    exposuresPer: { immigrants_registered: "registruotų imigrantų" },
    designTitle: "Vertinimo planas, galia ir placebo testai",
    designWhy: "Kodėl toks lygis ir kas jį pakeltų:",
    its: (category, month, ratio, low, high, p) =>
      `${category}: pertraukiamų laiko eilučių modelis rodo ${monthPhrase("lt", month, "accusative")} lygio pokytį ×${ratio} (${low}–${high}, p = ${p}).`,
    itsRefused: (category) => `${category}: laiko eilučių modelio pritaikyti nepavyko.`,
    placeboTime: (n, share) => `placebo testas laike (netikrų intervencijos mėnesių: ${n}): ${share} jų rodo ne mažesnį šuolį.`,
    monthsNeeded: (change, months) =>
      `vidutiniam pokyčiui (${change}) aptikti kiekvienas iš dviejų vienodų laikotarpių turėtų trukti ${months === null ? "daugiau nei 50 metų" : `${months} mėn.`}.`,
    synthetic: (category, donors, treated, expected, ratio, fit, weights) =>
      `${category}: sintetinė kontrolė iš kitų vietovių (${donors}), pasvertų taip, kad atitiktų teritorijos mėnesius iki intervencijos (atitikimo RMSPE ${fit}): po intervencijos atvejų – ${treated}, tikėtasi – ${expected} (×${ratio}); didžiausi svoriai: ${weights}. Ji tiek nepaveikta, kiek nepaveiktos ją sudarančios vietovės.`,
    syntheticPlacebo: (rank, n, p, smallest) =>
      `Sudarius kiekvienai donorei vietovei jos pačios sintetinę kontrolę, šios teritorijos atotrūkis po intervencijos (palyginti su atitikimu prieš ją) yra ${rank} vietoje iš ${n} (p = ${p}; kai placebo vietovių yra ${n - 1}, p reikšmė negali būti mažesnė nei ${smallest}).`,
    syntheticRefused: (category) => `${category}: sintetinės kontrolės sudaryti nepavyko.`,
    polygonArea: (file) => `daugiakampis ${file}`,
    excludingAreas: (area, excluded) => `${area} (neįskaitant: ${excluded.join(", ")})`,
    displacement: (what, before, after, wdq, wdqLow, wdqHigh, tne, tneLow, tneHigh) =>
      `${what}: buferinėje zonoje aplink teritoriją ${before} → ${after}; svertinis perkėlimo koeficientas ${wdq} (nuo ${wdqLow} iki ${wdqHigh}), bendras grynasis poveikis ${tne} (nuo ${tneLow} iki ${tneHigh}).`,
    caveatsTitle: "Išlygos",
    caveatsLanguage: "Kai kurias išlygas šie duomenys pateikia tik anglų kalba.",
  },
  quality: {
    title: "Duomenų kokybė",
    lead: "Ką davė kiekvienas įvesties failas: perskaityti, panaudoti ir atidėti (karantine) įrašai su priežastimi, įspėjimai ir kiek išsamūs buvo laikai ir koordinatės. Atidėti įrašai lieka duomenų ežere su eilute ir priežastimi: nieko neprarandama nepastebimai.",
    files: "Failai",
    filesTitle: "Įvesties failai",
    file: "Failas",
    source: "Šaltinio aprašas",
    read: "Perskaityta",
    ingested: "Panaudota",
    quarantined: "Atidėta",
    quarantinedShare: "Atidėta, %",
    withoutCoordinates: "Be koordinačių, %",
    months: "Mėnesiai",
    first: "Pirmas mėnuo",
    last: "Paskutinis mėnuo",
    precision: "Laiko tikslumas",
    bounds: "Ribos (tiriamosios teritorijos; kur įvykių yra už jos – sveikais laipsniais)",
    boundsValue: (latitudes, longitudes) => `${latitudes}, ${longitudes}`,
    hemispheres: { north: "š. pl.", south: "p. pl.", east: "r. ilg.", west: "v. ilg." },
    degreeRange: (from, fromSide, to, toSide) => (fromSide === toSide ? `${from}–${to}° ${toSide}` : `${from}° ${fromSide} – ${to}° ${toSide}`),
    records: "Įrašai",
    checksum: "SHA-256 (pradžia)",
    reason: "Priežastis",
    code: "Kodas",
    reasonsTitle: "Atidėti įrašai pagal priežastį",
    noQuarantine: "Nė vienas įrašas nebuvo atidėtas.",
    warningsTitle: "Įrašai, palikti su įspėjimu",
    noWarnings: "Nė vienam įrašui įspėjimo neprireikė.",
    warning: "Įspėjimas",
    monthlyTitle: "Panaudoti įrašai per mėnesį pagal failą",
    reasons: {
      malformed_record: "Netaisyklingas įrašas",
      invalid_encoding: "Netinkama teksto koduotė",
      invalid_timestamp: "Netinkamas arba neįmanomas laikas",
      nonexistent_local_time: "Neegzistuojantis vietos laikas (pavasario laiko perėjimas)",
      missing_coordinates: "Trūksta koordinačių",
      invalid_coordinates: "Netinkamos koordinatės",
      swapped_coordinates: "Sukeistos platuma ir ilguma",
      outside_study_area: "Už šaltinio ribų",
      outside_municipality: "Už nurodytos savivaldybės ribų",
      missing_value: "Trūksta privalomos reikšmės",
      unknown_case_type: "Nežinoma bylos rūšis",
      unmapped_offence: "Nusižengimas nepriskirtas kategorijai",
      excluded_offence: "Ne teisės pažeidimas (atmestas pagal šaltinio aprašą)",
      formula_text: "Skaičiuoklės formulė lauke",
      exact_duplicate: "Tiksli eilutės kopija",
      repeated_id: "Pakartotas identifikatorius su kitu turiniu",
      id_in_other_export: "Įvykis jau įskaitytas iš kito eksporto",
    },
    warnings: { ambiguous_local_time: "Dviprasmis vietos laikas (rudens laiko perėjimas; paimtas pirmasis)" },
    precisions: { second: "sekundė", minute: "minutė", hour: "valanda", day: "diena", month: "mėnuo" },
  },
  binLabels: {
    3: "Karštasis taškas 99 %",
    2: "Karštasis taškas 95 %",
    1: "Karštasis taškas 90 %",
    0: "Nereikšminga",
    [-1]: "Šaltasis taškas 90 %",
    [-2]: "Šaltasis taškas 95 %",
    [-3]: "Šaltasis taškas 99 %",
  },
  caseTypes: { all: "visos bylų rūšys", pre_trial_investigation: "ikiteisminiai tyrimai", administrative_offence: "administraciniai nusižengimai" },
  categories: {
    all: "Visos kategorijos",
    theft: "Vagystės",
    burglary: "Įsilaužimai",
    robbery: "Plėšimai",
    homicide: "Nužudymai",
    assault: "Užpuolimai",
    domestic_violence: "Smurtas artimoje aplinkoje",
    sexual_offence: "Seksualiniai nusikaltimai",
    drug_possession: "Narkotikų laikymas",
    public_order: "Viešosios tvarkos pažeidimai",
    vehicle_crime: "Nusikaltimai, susiję su transporto priemonėmis",
    fraud: "Sukčiavimas",
    criminal_damage: "Turto sugadinimas",
    other: "Kita",
  },
  patterns: {
    new_hot_spot: [
      "Naujas karštasis taškas",
      "Karštas paskutinį mėnesį ir niekada anksčiau (taip pat ir anksčiau buvęs šaltas: toks langelis laikomas nauju, ne svyruojančiu).",
    ],
    consecutive_hot_spot: [
      "Nepertraukiamas karštasis taškas",
      "Vienas nenutrūkstamas karštų mėnesių ruožas iki paskutinio mėnesio, prieš jį karštas nebuvo (net jei buvo šaltas), karštas mažiau nei 90 % mėnesių.",
    ],
    intensifying_hot_spot: [
      "Stiprėjantis karštasis taškas",
      "Karštas bent 90 % mėnesių, įskaitant paskutinį, ir vis karštėja (reikšminga didėjimo tendencija).",
    ],
    persistent_hot_spot: ["Nuolatinis karštasis taškas", "Karštas bent 90 % mėnesių, įskaitant paskutinį, be reikšmingos tendencijos."],
    diminishing_hot_spot: ["Silpstantis karštasis taškas", "Karštas bent 90 % mėnesių, įskaitant paskutinį, bet vėsta (reikšminga mažėjimo tendencija)."],
    sporadic_hot_spot: ["Protarpinis karštasis taškas", "Karštas paskutinį mėnesį ir protarpiais anksčiau, mažiau nei 90 % mėnesių, niekada nebuvo šaltas."],
    oscillating_hot_spot: [
      "Svyruojantis karštasis taškas",
      "Karštas paskutinį mėnesį ir dar prieš paskutinį karštų mėnesių ruožą, o kurį nors ankstesnį mėnesį buvo šaltas; karštas mažiau nei 90 % mėnesių.",
    ],
    historical_hot_spot: ["Istorinis karštasis taškas", "Karštas bent 90 % mėnesių, bet ne paskutinį mėnesį."],
    new_cold_spot: [
      "Naujas šaltasis taškas",
      "Šaltas paskutinį mėnesį ir niekada anksčiau (taip pat ir anksčiau buvęs karštas: toks langelis laikomas nauju, ne svyruojančiu).",
    ],
    consecutive_cold_spot: [
      "Nepertraukiamas šaltasis taškas",
      "Vienas nenutrūkstamas šaltų mėnesių ruožas iki paskutinio mėnesio, prieš jį šaltas nebuvo (net jei buvo karštas), šaltas mažiau nei 90 % mėnesių.",
    ],
    intensifying_cold_spot: ["Stiprėjantis šaltasis taškas", "Šaltas bent 90 % mėnesių, įskaitant paskutinį, ir vis šaltėja (reikšminga mažėjimo tendencija)."],
    persistent_cold_spot: ["Nuolatinis šaltasis taškas", "Šaltas bent 90 % mėnesių, įskaitant paskutinį, be reikšmingos tendencijos."],
    diminishing_cold_spot: ["Silpstantis šaltasis taškas", "Šaltas bent 90 % mėnesių, įskaitant paskutinį, bet šyla (reikšminga didėjimo tendencija)."],
    sporadic_cold_spot: ["Protarpinis šaltasis taškas", "Šaltas paskutinį mėnesį ir protarpiais anksčiau, mažiau nei 90 % mėnesių, niekada nebuvo karštas."],
    oscillating_cold_spot: [
      "Svyruojantis šaltasis taškas",
      "Šaltas paskutinį mėnesį ir dar prieš paskutinį šaltų mėnesių ruožą, o kurį nors ankstesnį mėnesį buvo karštas; šaltas mažiau nei 90 % mėnesių.",
    ],
    historical_cold_spot: ["Istorinis šaltasis taškas", "Šaltas bent 90 % mėnesių, bet ne paskutinį mėnesį."],
    no_pattern: ["Dėsningumo nėra", "Nė vienas iš aukščiau nurodytų dėsningumų."],
  },
  monthsShort: ["saus.", "vas.", "kov.", "bal.", "geg.", "birž.", "liep.", "rugp.", "rugs.", "spal.", "lapkr.", "gruod."],
};
