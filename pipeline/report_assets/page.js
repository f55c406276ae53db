/* The review page of `extract-agreements report`: plain JS, no build step.
   Reads the inline JSON (#report-data), draws the summary, a filterable and paginated table
   (each value coloured by its confidence, an analyst's corrections in place of the extractor's
   values and marked), a document dialog with every field's evidence highlighted, a Chart.js timeline, a
   Cytoscape.js network and the error records. Data only ever reaches the page as text nodes
   (textContent), never as HTML. */
"use strict";

const DATA = JSON.parse(document.getElementById("report-data").textContent);
const PAGE_SIZE = 50;
const MAX_NODES = 150; // a bigger network is an unreadable hairball and a slow layout
const MONTHLY_YEARS = 5; // signing dates spread over fewer years are binned by month
const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
const number = (n) => n.toLocaleString("en");
const plural = (n, noun) => `${number(n)} ${noun}${n === 1 ? "" : "s"}`;
const typeLabel = (kind) => (kind ? kind.charAt(0).toUpperCase() + kind.slice(1).replaceAll("_", " ") : "No type");
const orgLabel = (o) => (o.acronym ? `${o.name} (${o.acronym})` : o.name);
const dateLabel = (d) => `${d.value} (${d.precision})`;
const THRESHOLD = DATA.summary.review.threshold;
/** Three bands an analyst can act on: trust (≥ the review threshold), glance (≥ 0.5), check. */
const band = (confidence) =>
  confidence === null || confidence === undefined ? "none" : confidence >= THRESHOLD ? "high" : confidence >= 0.5 ? "mid" : "low";
const confidenceText = (confidence) => (band(confidence) === "none" ? "not calibrated" : `confidence ${confidence.toFixed(2)}`);
const correctionsOf = (record) => Object.fromEntries((record.corrections || []).map((c) => [c.field, c]));
const correctedText = (c) => `corrected by an analyst${c.note ? `: ${c.note}` : ""}${c.at ? ` (${c.at})` : ""}`;
/** A warning as text, whether a record holds it as a string or as `{code, message}`. */
const warningText = (w) => (typeof w === "string" ? w : `${w.message} (${w.code})`);

/* The record fields that carry evidence, in legend order. `one`: a single quoted value with
   `span`; otherwise a list of items with `spans`. */
const FIELDS = [
  { key: "agreement_type", label: "Agreement type", one: true, value: (v) => typeLabel(v.value) },
  { key: "signing_date", label: "Signing date", one: true, value: dateLabel },
  { key: "publication_date", label: "Publication date", one: true, value: dateLabel },
  { key: "signing_place", label: "Signing place", one: true, value: (v) => v.value },
  { key: "parties", label: "Party", value: orgLabel },
  { key: "organizations", label: "Other organisation", value: orgLabel },
  {
    key: "people",
    label: "Person",
    value: (p) => `${p.name} (${[p.title, p.affiliation, p.role].filter(Boolean).join("; ")})`,
  },
  { key: "themes", label: "Theme", value: (t) => t.value },
];
const TYPE_COLOURS = {
  memorandum_of_understanding: "#2563eb",
  cooperation_agreement: "#16a34a",
  framework_agreement: "#d97706",
  partnership_agreement: "#9333ea",
  letter_of_intent: "#db2777",
  joint_declaration: "#0891b2",
  contract: "#4d7c0f",
  other: "#64748b",
  "": "#cbd5e1",
};

/** An element with properties (`class`, `text`, `data`, `style`, attributes) and children. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "data") Object.assign(node.dataset, value);
    else if (name === "style") for (const [prop, v] of Object.entries(value)) node.style.setProperty(prop, v);
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

const fieldColours = (key) => ({ "--bg": `var(--f-${key})`, "--ul": `var(--u-${key})` });
const itemsOf = (record, field) => (field.one ? (record[field.key] ? [record[field.key]] : []) : record[field.key] || []);
const spansOf = (item) => (item.span ? [item.span] : item.spans);

/** Every piece of evidence of a record: one entry per span, in record order. */
function evidenceOf(record) {
  const found = [];
  FIELDS.forEach((field, order) => {
    itemsOf(record, field).forEach((item, i) => {
      for (const [start, end] of spansOf(item)) {
        const confidence = band(item.confidence) === "none" ? "" : ` · ${confidenceText(item.confidence)}`;
        found.push({ field, order, item: `${field.key}:${i}`, value: field.value(item) + confidence, start, end });
      }
    });
  });
  return found;
}

/** A tooltip owned by one container (a modal dialog's content must live inside the dialog). */
class Tip {
  constructor(parent) {
    this.node = el("div", { class: "tip", role: "tooltip", hidden: true });
    parent.append(this.node);
  }
  show(lines, x, y) {
    this.node.replaceChildren(...lines.map((line) => el("div", { text: line })));
    this.node.hidden = false;
    const { width, height } = this.node.getBoundingClientRect();
    this.node.style.left = `${Math.max(4, Math.min(x + 14, innerWidth - width - 8))}px`;
    this.node.style.top = `${y + height + 24 > innerHeight ? y - height - 10 : y + 18}px`;
  }
  hide() {
    this.node.hidden = true;
  }
}

/* ------------------------------------------------------------------ summary */

function renderSummary() {
  const s = DATA.summary;
  const range = (r) => (r ? (r[0] === r[1] ? r[0] : `${r[0]} – ${r[1]}`) : "none");
  const cards = [
    ["Documents", number(s.documents)],
    ["Agreements found", number(s.agreements), `records with an agreement type, of ${number(s.records)}`],
    ["Errors", number(s.errors)],
    ["Warnings", number(s.warnings)],
    ["Signing dates", range(s.signing_dates)],
    ["Publication dates", range(s.publication_dates)],
    [
      "Values to review",
      s.review.calibrated ? `${Math.round((100 * s.review.below) / s.review.calibrated)}%` : "none",
      `${number(s.review.below)} of ${number(s.review.calibrated)} calibrated values under ${THRESHOLD}; ` +
        `${number(s.review.not_calibrated)} not calibrated, ${number(s.review.corrected)} corrected`,
    ],
    ["Records to review", number(DATA.records.filter((r) => r.review).length), `records with a value under ${THRESHOLD}`],
  ];
  document.getElementById("summary-cards").replaceChildren(
    ...cards.map(([term, value, title]) => el("div", { title }, el("dt", { text: term }), el("dd", { text: value }))),
  );
  const without = DATA.records.filter((r) => r.text === null).length;
  const extractor = s.extractor ? `Extractor ${s.extractor.version}, spaCy model ${s.extractor.spacy_model}. ` : "";
  document.getElementById("summary-meta").textContent =
    `${extractor}Records from ${s.outputs_dir}/, texts from ${s.inputs.length ? s.inputs.join(", ") : "nowhere: the inputs are unknown"}` +
    (without ? `; ${plural(without, "record")} shown without text (see each record's note).` : ".");
  const figure = document.getElementById("summary-diagram");
  figure.hidden = !s.diagram;
  if (s.diagram) figure.querySelector("img").src = s.diagram;
}

function renderConfidenceLegend() {
  const bands = [
    ["conf-high", `confidence ≥ ${THRESHOLD}`],
    ["conf-mid", `0.5 – ${THRESHOLD}`],
    ["conf-low", "< 0.5"],
    ["conf-none", "not calibrated"],
    ["corrected", "corrected by an analyst"],
  ];
  document.getElementById("confidence-legend").replaceChildren(
    "Values: ",
    ...bands.map(([cls, text]) => el("span", { class: `chip ${cls}`, text })),
  );
}

/* ------------------------------------------------------------------ tables */

/** One table's pages: its rows `PAGE_SIZE` at a time, a status line and page buttons. */
class Pager {
  constructor(table, nav, status, row, noun) {
    Object.assign(this, { tbody: table.tBodies[0], nav, status, row, noun, items: [], total: 0, page: 0 });
  }
  show(items, total) {
    Object.assign(this, { items, total, page: 0 });
    this.draw();
  }
  draw() {
    const count = this.items.length;
    const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
    this.page = Math.min(this.page, pages - 1);
    const first = this.page * PAGE_SIZE;
    this.tbody.replaceChildren(...this.items.slice(first, first + PAGE_SIZE).map(this.row));
    const filtered = count === this.total ? "" : ` (filtered from ${number(this.total)})`;
    this.status.textContent = count
      ? `Showing ${number(first + 1)}–${number(Math.min(first + PAGE_SIZE, count))} of ${plural(count, this.noun)}${filtered}.`
      : `No ${this.noun}s match${filtered}.`;
    const buttons = [
      ["First", 0, this.page > 0],
      ["Previous", this.page - 1, this.page > 0],
      ["Next", this.page + 1, this.page < pages - 1],
      ["Last", pages - 1, this.page < pages - 1],
    ].map(([label, page, enabled]) => {
      const button = el("button", { type: "button", text: label, disabled: !enabled, "aria-label": `${label} page` });
      button.addEventListener("click", () => {
        this.page = page;
        this.draw();
      });
      return button;
    });
    const where = el("span", { text: `Page ${number(this.page + 1)} of ${number(pages)}` });
    this.nav.replaceChildren(buttons[0], buttons[1], where, buttons[2], buttons[3]);
    this.nav.hidden = pages === 1;
  }
}

/** A value in the table: coloured by its confidence band, or marked as an analyst's correction. */
const cellNode = (cell, chip) =>
  el("span", {
    class: `${chip ? "chip " : "value "}${cell.correction ? "corrected" : `conf-${band(cell.confidence)}`}`,
    title: cell.correction ? correctedText(cell.correction) : confidenceText(cell.confidence),
    text: cell.text,
  });
const none = () => el("span", { class: "none", text: "—" });
const chips = (cells, limit) => {
  if (!cells.length) return none();
  const shown = cells.slice(0, limit).map((cell) => cellNode(cell, true));
  if (cells.length > limit) shown.push(el("span", { class: "chip", text: `+${cells.length - limit} more` }));
  return el("div", { class: "chips" }, ...shown);
};
const single = (cells) => (cells.length ? cellNode(cells[0], false) : none());

/** A field's values as the table shows them: the analyst's correction if there is one, else the
    extractor's values with their confidences. */
function cellsOf(record, fixed, key, label, fromCorrected) {
  const correction = fixed[key];
  if (correction) {
    const values = correction.value === null ? [] : Array.isArray(correction.value) ? correction.value : [correction.value];
    return values.map((value) => ({ text: fromCorrected(value), correction }));
  }
  const value = record[key];
  const items = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
  return items.map((item) => ({ text: label(item), confidence: item.confidence }));
}
const valueOf = (record, fixed, key) => (fixed[key] ? fixed[key].value || "" : record[key] ? record[key].value : "");

/* Organisations resolved across the run and agreements reported by several records (pipeline/grouping.py). */
const ORGS = (DATA.organizations || []).map(([name, acronym]) => ({ name, acronym }));
const GROUPS = DATA.agreements || {};
/** The rows that count: one per agreement, however many records report it. */
const oneRowPerAgreement = (rows) => [...new Map(rows.map((r) => [r.agreement, r])).values()];

/** What the table shows, filters and sorts on for each record, computed once. */
const ROWS = DATA.records.map((record, index) => {
  const fixed = correctionsOf(record);
  const name = (value) => value;
  const cells = {
    parties: cellsOf(record, fixed, "parties", orgLabel, name),
    type: cellsOf(record, fixed, "agreement_type", (t) => typeLabel(t.value), typeLabel),
    date: cellsOf(record, fixed, "signing_date", (d) => d.value, name),
    place: cellsOf(record, fixed, "signing_place", (p) => p.value, name),
    themes: cellsOf(record, fixed, "themes", (t) => t.value, name),
    people: cellsOf(record, fixed, "people", (p) => p.name, (p) => p.name),
  };
  const partyIds = record.party_ids || [];
  const canonicalNames = partyIds.flatMap((id) => [ORGS[id].name, ORGS[id].acronym]);
  const partyKeys = (fixed.parties ? fixed.parties.value : (record.parties || []).flatMap((p) => [p.name, p.acronym, orgLabel(p)]))
    .concat(canonicalNames)
    .filter(Boolean)
    .map((s) => s.toLowerCase());
  const date = valueOf(record, fixed, "signing_date");
  return {
    index,
    record,
    fixed,
    cells,
    parties: cells.parties.map((c) => c.text),
    partyKeys,
    partyIds,
    agreement: record.agreement || `record:${index}`,
    kind: valueOf(record, fixed, "agreement_type"),
    date,
    year: date.slice(0, 4),
    place: valueOf(record, fixed, "signing_place"),
    themes: cells.themes.map((c) => c.text),
    people: cells.people.map((c) => c.text),
    source: record.source.path,
  };
});
const SORT_KEYS = {
  parties: (r) => r.parties[0] || "",
  type: (r) => (r.kind ? typeLabel(r.kind) : ""),
  date: (r) => r.date,
  place: (r) => r.place,
  themes: (r) => r.themes[0] || "",
  people: (r) => r.people[0] || "",
  source: (r) => r.source,
};

function agreementRow(row) {
  const r = row.record;
  const badges = [];
  if (r.warnings.length) badges.push(el("span", { class: "badge", text: plural(r.warnings.length, "warning") }));
  if (r.text === null) badges.push(el("span", { class: "badge", text: "no text" }));
  if (r.review) badges.push(el("span", { class: "badge review", text: `${r.review} to review` }));
  const group = GROUPS[row.agreement];
  if (group) {
    const others = group.records.filter((id) => id !== r.id);
    badges.push(el("span", { class: "badge", text: `1 of ${group.records.length} sources`, title: `The same agreement is also reported by: ${others.join(", ")}` }));
    if (group.conflicts.length) badges.push(el("span", { class: "badge review", text: `sources disagree: ${group.conflicts.join(", ").replaceAll("_", " ")}` }));
  }
  return el(
    "tr",
    { data: { index: row.index, id: r.id } },
    el("td", {}, chips(row.cells.parties, 4)),
    el("td", {}, single(row.cells.type)),
    el("td", {}, single(row.cells.date)),
    el("td", {}, single(row.cells.place)),
    el("td", {}, chips(row.cells.themes, 4)),
    el("td", {}, chips(row.cells.people, 3)),
    el("td", {}, el("button", { type: "button", class: "link", text: row.source, "aria-haspopup": "dialog" }), ...badges),
  );
}

const errorRow = (e) => el("tr", {}, el("td", { text: e.path }), el("td", { text: e.type }), el("td", { text: e.message }));

/* ------------------------------------------------------------------ filters */

const form = document.getElementById("filters");
const inputs = {
  party: document.getElementById("filter-party"),
  type: document.getElementById("filter-type"),
  year: document.getElementById("filter-year"),
  theme: document.getElementById("filter-theme"),
  review: document.getElementById("filter-review"),
};
const sort = { key: null, descending: false };

function fillFilterChoices() {
  const unique = (values) => [...new Set(values)].sort(collator.compare);
  const kinds = unique(ROWS.map((r) => r.kind));
  inputs.type.append(...kinds.map((k) => el("option", { value: k || "-", text: typeLabel(k) })));
  const years = unique(ROWS.map((r) => r.year)).reverse();
  inputs.year.append(...years.map((y) => el("option", { value: y || "-", text: y || "No signing date" })));
  document.getElementById("party-names").append(...unique(ROWS.flatMap((r) => r.parties)).map((v) => el("option", { value: v })));
  document.getElementById("theme-names").append(...unique(ROWS.flatMap((r) => r.themes)).map((v) => el("option", { value: v })));
}

/** The rows the filters keep, in the chosen order. */
function selectedRows() {
  const party = inputs.party.value.trim().toLowerCase();
  const theme = inputs.theme.value.trim().toLowerCase();
  const kind = inputs.type.value === "-" ? "" : inputs.type.value || null;
  const year = inputs.year.value === "-" ? "" : inputs.year.value || null;
  const review = inputs.review.checked;
  const rows = ROWS.filter(
    (r) =>
      (!review || r.record.review > 0) &&
      (!party || r.partyKeys.some((k) => k.includes(party))) &&
      (!theme || r.themes.some((t) => t.toLowerCase().includes(theme))) &&
      (kind === null || r.kind === kind) &&
      (year === null || r.year === year),
  );
  if (sort.key) {
    const key = SORT_KEYS[sort.key];
    const sign = sort.descending ? -1 : 1;
    // Empty values last in both directions: they are what a reviewer looks at least.
    rows.sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      return x && y ? sign * collator.compare(x, y) : !x - !y;
    });
  }
  return rows;
}

let chartTimer = null;
function applyFilters() {
  const rows = selectedRows();
  agreementsPager.show(rows, ROWS.length);
  clearTimeout(chartTimer); // typing in a filter redraws the table at once, the charts once typing pauses
  chartTimer = setTimeout(() => {
    timeline.update(rows);
    network.update(rows);
  }, 150);
}

function setFilter(input, value) {
  input.value = value;
  applyFilters();
  document.getElementById("agreements").scrollIntoView({ behavior: "smooth" });
}

/* ------------------------------------------------------------------ CSV download */

/** The columns of `agreements.csv` (pipeline/export.py), each read from a table row: an analyst's
    correction where there is one, lists as names joined with "; ", warnings as a count. The page
    holds agreement records only, so `error` stays empty. */
const CSV_COLUMNS = [
  ["id", (r) => r.record.id],
  ["source_path", (r) => r.record.source.path],
  ["title", (r) => r.record.source.title],
  ["language", (r) => r.record.source.language],
  ["agreement_type", (r) => r.kind],
  ["signing_date", (r) => r.date],
  ["signing_place", (r) => r.place],
  ["publication_date", (r) => valueOf(r.record, r.fixed, "publication_date")],
  ["parties", (r) => namesOf(r, "parties", "name")],
  ["people", (r) => namesOf(r, "people", "name")],
  ["themes", (r) => namesOf(r, "themes", "value")],
  ["warnings", (r) => r.record.warnings.length],
  ["error", () => null],
  ["corrected", (r) => Object.keys(r.fixed)],
];
/** A list field's names: the analyst's list (names, or objects with a name), else the extractor's items. */
function namesOf(row, key, name) {
  const correction = row.fixed[key];
  const items = correction ? correction.value || [] : row.record[key] || [];
  return items.map((item) => (typeof item === "object" ? item[name] : item));
}
/** A CSV cell as Python's csv module writes it: quoted when it holds a comma, a quote or a line break. */
function csvCell(value) {
  const text = Array.isArray(value) ? value.join("; ") : value === null || value === undefined ? "" : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
function rowsAsCsv(rows) {
  const lines = [CSV_COLUMNS.map(([name]) => name), ...rows.map((row) => CSV_COLUMNS.map(([, read]) => csvCell(read(row))))];
  return lines.map((cells) => `${cells.join(",")}\n`).join("");
}
function downloadCsv() {
  const link = el("a", { href: URL.createObjectURL(new Blob([rowsAsCsv(selectedRows())], { type: "text/csv;charset=utf-8" })), download: "agreements.csv" });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

/* ------------------------------------------------------------------ document dialog */

const dialog = document.getElementById("document");
const docText = document.getElementById("document-text");
const docTip = new Tip(dialog);

/** The UTF-16 index of each code-point offset: records count code points (Python), JS strings count UTF-16 units. */
function utf16Offsets(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (offset) => offset;
  const table = [0];
  for (const char of text) table.push(table[table.length - 1] + char.length);
  return (offset) => table[offset];
}

/** Evidence spans as a tree of properly nested ranges; a span crossing its parent's end is cut there
    and its rest placed again, so every mark wraps exactly its characters. */
function nestSpans(evidence, length) {
  const queue = evidence
    .filter((e) => e.start >= 0 && e.start < e.end && e.end <= length)
    .sort((a, b) => a.start - b.start || b.end - a.end || a.order - b.order);
  const root = { start: 0, end: length, children: [] };
  const stack = [root];
  while (queue.length) {
    const node = { ...queue.shift(), children: [] };
    while (stack[stack.length - 1].end <= node.start) stack.pop();
    const parent = stack[stack.length - 1];
    if (node.end > parent.end) {
      const rest = { ...node, start: parent.end };
      const at = queue.findIndex((e) => e.start > rest.start || (e.start === rest.start && e.end < rest.end));
      queue.splice(at === -1 ? queue.length : at, 0, rest);
      node.end = parent.end;
    }
    parent.children.push(node);
    stack.push(node);
  }
  return root;
}

function renderSpans(node, text, into) {
  let at = node.start;
  for (const child of node.children) {
    if (child.start > at) into.append(text.slice(at, child.start));
    const mark = el("mark", {
      class: "ev",
      style: fieldColours(child.field.key),
      data: { field: child.field.key, item: child.item, label: `${child.field.label}: ${child.value}` },
    });
    renderSpans(child, text, mark);
    into.append(mark);
    at = child.end;
  }
  if (at < node.end) into.append(text.slice(at, node.end));
}

function openRecord(index) {
  const record = DATA.records[index];
  const text = record.text === null ? null : DATA.texts[record.text];
  const toUnits = text === null ? null : utf16Offsets(text);
  const evidence = evidenceOf(record).map((e) => (toUnits ? { ...e, start: toUnits(e.start), end: toUnits(e.end) } : e));
  const source = record.source;
  document.getElementById("document-title").textContent = source.title || record.id;
  document.getElementById("document-meta").textContent = [
    source.path,
    source.format && `format ${source.format}`,
    source.language && `language ${source.language}`,
    `record ${record.id}`,
  ]
    .filter(Boolean)
    .join(" · ");
  const note = document.getElementById("document-note");
  note.hidden = !record.note;
  note.textContent = record.note ? `Text not shown: ${record.note}. The values below are the record's.` : "";

  const legend = document.getElementById("document-legend");
  legend.replaceChildren(legend.firstElementChild);
  for (const field of FIELDS) {
    const count = evidence.filter((e) => e.field === field).length;
    if (!count || text === null) continue;
    const box = el("input", { type: "checkbox", checked: true });
    box.addEventListener("change", () =>
      docText.querySelectorAll(`mark[data-field="${field.key}"]`).forEach((m) => m.classList.toggle("off", !box.checked)),
    );
    legend.append(el("label", {}, box, el("span", { class: "swatch", style: fieldColours(field.key) }), `${field.label} (${count})`));
  }
  legend.hidden = legend.children.length === 1;

  docText.replaceChildren();
  docText.hidden = text === null;
  if (text !== null) renderSpans(nestSpans(evidence, text.length), text, docText);
  docText.scrollTop = 0;

  const fieldRows = FIELDS.flatMap((field) =>
    itemsOf(record, field).map((item, i) => {
      const [start, end] = spansOf(item)[0];
      const words = text === null ? item.text : text.slice(toUnits(start), toUnits(end));
      const more = spansOf(item).length > 1 ? ` (+${spansOf(item).length - 1} more)` : "";
      const show = el("button", { type: "button", class: "link", text: field.value(item), disabled: text === null });
      show.addEventListener("click", () => flash(`${field.key}:${i}`));
      return el(
        "tr",
        {},
        el("td", {}, el("span", { class: "swatch", style: fieldColours(field.key) }), ` ${field.label}`),
        el("td", {}, show),
        el("td", {}, el("span", { class: `value conf-${band(item.confidence)}`, text: band(item.confidence) === "none" ? "—" : item.confidence.toFixed(2) })),
        el("td", { text: words ? `“${words}”${more}` : `characters ${start}–${end}${more}` }),
      );
    }),
  );
  const corrections = (record.corrections || []).map((c) => {
    const field = FIELDS.find((f) => f.key === c.field);
    const values = c.value === null ? ["none"] : [].concat(c.value).map((v) => (typeof v === "object" ? v.name : v));
    return el(
      "tr",
      { class: "correction-row" },
      el("td", { text: `${field.label}, corrected` }),
      el("td", {}, el("span", { class: "value corrected", text: values.join("; ") })),
      el("td", { text: "—" }),
      el("td", { text: correctedText(c) }),
    );
  });
  document.getElementById("document-fields").tBodies[0].replaceChildren(...corrections, ...fieldRows);
  const warnings = record.warnings.length ? record.warnings.map(warningText) : ["None."];
  document.getElementById("document-warnings").replaceChildren(...warnings.map((w) => el("li", { text: w })));
  if (!dialog.open) dialog.showModal();
}

/** Scroll to an item's marks and outline them for a moment. */
function flash(item) {
  const marks = [...docText.querySelectorAll(`mark[data-item="${item}"]`)];
  if (!marks.length) return;
  marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
  marks.forEach((m) => m.classList.add("flash"));
  setTimeout(() => marks.forEach((m) => m.classList.remove("flash")), 1500);
}

docText.addEventListener("mousemove", (event) => {
  const marks = [];
  for (let node = event.target.closest("mark"); node && docText.contains(node); node = node.parentElement.closest("mark")) {
    marks.push(node.dataset.label);
  }
  if (marks.length) docTip.show(marks, event.clientX, event.clientY);
  else docTip.hide();
});
docText.addEventListener("mouseleave", () => docTip.hide());
document.getElementById("document-close").addEventListener("click", () => dialog.close());
dialog.addEventListener("click", (event) => event.target === dialog && dialog.close()); // the backdrop
dialog.addEventListener("close", () => docTip.hide());

/* ------------------------------------------------------------------ timeline */

/** Agreements per signing month (or year, over a long span), stacked by agreement type. */
const timeline = {
  chart: null,
  canvas: document.getElementById("timeline-chart"),
  bins(rows) {
    const dated = oneRowPerAgreement(rows).filter((r) => r.date);
    const years = dated.map((r) => Number(r.year));
    const [low, high] = [Math.min(...years), Math.max(...years)];
    const monthly = high - low < MONTHLY_YEARS && dated.some((r) => r.date.length >= 7);
    const labels = [];
    for (let y = low; y <= high; y++) {
      if (!monthly) labels.push(String(y));
      else for (let m = 1; m <= 12; m++) labels.push(`${y}-${String(m).padStart(2, "0")}`);
    }
    const keyOf = (r) => (monthly ? r.date.slice(0, 7) : r.year);
    const used = dated.filter((r) => !monthly || r.date.length >= 7);
    const keys = used.map(keyOf).sort();
    const shown = monthly ? labels.slice(labels.indexOf(keys[0]), labels.indexOf(keys[keys.length - 1]) + 1) : labels;
    const position = new Map(shown.map((label, i) => [label, i]));
    const kinds = [...new Set(used.map((r) => r.kind))].sort(collator.compare);
    const datasets = kinds.map((kind) => {
      const data = new Array(shown.length).fill(0);
      for (const r of used) if (r.kind === kind) data[position.get(keyOf(r))] += 1;
      return { label: typeLabel(kind), data, backgroundColor: TYPE_COLOURS[kind] || TYPE_COLOURS.other };
    });
    return { labels: shown, datasets, monthly, dated: used.length, yearOnly: dated.length - used.length };
  },
  update(rows) {
    const empty = !rows.some((r) => r.date);
    document.getElementById("timeline-empty").hidden = !empty;
    this.canvas.parentElement.hidden = empty;
    if (empty) return;
    const { labels, datasets, monthly, dated, yearOnly } = this.bins(rows);
    const unit = monthly ? "month" : "year";
    const skipped = yearOnly ? ` ${plural(yearOnly, "date")} known only to the year not shown.` : "";
    this.canvas.setAttribute(
      "aria-label",
      `Bar chart: ${plural(dated, "agreement")} by ${unit} of signing, ${labels[0]} to ${labels[labels.length - 1]}.${skipped}`,
    );
    if (this.chart) {
      Object.assign(this.chart.data, { labels, datasets });
      this.chart.options.scales.x.title.text = `Signing ${unit}${skipped ? ` (${skipped.trim()})` : ""}`;
      this.chart.update("none");
      return;
    }
    this.chart = new Chart(this.canvas, {
      type: "bar",
      data: { labels, datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          x: { stacked: true, title: { display: true, text: `Signing ${unit}` } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "Agreements" } },
        },
        plugins: { legend: { position: "bottom" } },
        onClick: (_, elements) => {
          if (elements.length) setFilter(inputs.year, this.chart.data.labels[elements[0].index].slice(0, 4));
        },
      },
    });
  },
};

/* ------------------------------------------------------------------ network */

/** Organisations as nodes (size: agreements signed), agreements as edges between co-signatories:
    each party is its canonical organisation and each agreement counts once, however many records report it. */
const network = {
  cy: null,
  box: document.getElementById("network-graph"),
  hint: document.getElementById("network-hint"),
  hintText: document.getElementById("network-hint").textContent,
  tip: new Tip(document.body),
  elements(rows) {
    const nodes = new Map(); // canonical id → {name, label, count}
    const pairs = new Map(); // "a\u0000b" → agreements together
    for (const row of oneRowPerAgreement(rows)) {
      const parties = [...new Set(row.partyIds)];
      for (const id of parties) {
        const org = ORGS[id];
        const node = nodes.get(id) || { key: id, name: org.name, label: org.acronym || org.name, count: 0 };
        node.count += 1;
        nodes.set(id, node);
      }
      const names = parties.sort((a, b) => a - b);
      for (let i = 0; i < names.length; i++)
        for (let j = i + 1; j < names.length; j++) {
          const key = `${names[i]}\u0000${names[j]}`;
          pairs.set(key, (pairs.get(key) || 0) + 1);
        }
    }
    const kept = [...nodes.values()].sort((a, b) => b.count - a.count || collator.compare(a.name, b.name)).slice(0, MAX_NODES);
    const ids = new Map(kept.map((node, i) => [String(node.key), `n${i}`]));
    const most = Math.max(1, ...kept.map((n) => n.count));
    const edges = [...pairs].filter(([key]) => key.split("\u0000").every((id) => ids.has(id)));
    const heaviest = Math.max(1, ...edges.map(([, weight]) => weight));
    return {
      total: nodes.size,
      shown: kept.length,
      elements: [
        ...kept.map((n) => ({
          data: { ...n, id: ids.get(String(n.key)), size: 16 + 40 * Math.sqrt((n.count - 1) / Math.max(1, most - 1)) },
        })),
        ...edges.map(([key, weight], i) => {
          const [a, b] = key.split("\u0000");
          return { data: { id: `e${i}`, source: ids.get(a), target: ids.get(b), weight, width: 1 + 5 * ((weight - 1) / Math.max(1, heaviest - 1)) } };
        }),
      ],
    };
  },
  update(rows) {
    const { total, shown, elements } = this.elements(rows);
    document.getElementById("network-empty").hidden = total > 0;
    this.box.hidden = total === 0;
    const cut = shown < total ? ` Showing the ${shown} organisations with the most agreements, of ${number(total)}.` : "";
    this.hint.textContent = this.hintText + cut;
    this.box.setAttribute("aria-label", `Network of ${plural(shown, "organisation")} and the agreements between them`);
    if (total === 0) return;
    if (!this.cy) this.create();
    this.cy.elements().remove();
    this.cy.add(elements);
    // cose from a circle rather than random positions: the same records always give the same picture
    this.cy.layout({ name: "circle" }).run();
    this.cy.layout({ name: "cose", animate: false, randomize: false, padding: 20, nodeDimensionsIncludeLabels: true, componentSpacing: 60 }).run();
  },
  create() {
    this.cy = cytoscape({
      container: this.box,
      boxSelectionEnabled: false,
      userZoomingEnabled: false, // the wheel scrolls the page; zoom with the buttons
      style: [
        {
          selector: "node",
          style: {
            width: "data(size)",
            height: "data(size)",
            "background-color": "#3b82f6",
            "border-color": "#1e3a8a",
            "border-width": 1,
            label: "data(label)",
            "font-size": 11,
            color: "#1f2933",
            "text-valign": "bottom",
            "text-margin-y": 3,
            "text-wrap": "wrap",
            "text-max-width": "120px",
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.8,
          },
        },
        { selector: "edge", style: { width: "data(width)", "line-color": "#9aa5b1", "curve-style": "haystack" } },
        { selector: "node:active, node:selected", style: { "background-color": "#f59e0b" } },
      ],
    });
    this.cy.on("tap", "node", (event) => setFilter(inputs.party, event.target.data("name")));
    this.cy.on("mouseover", "node", (event) => {
      const { name, count } = event.target.data();
      const { x, y } = event.renderedPosition;
      const box = this.box.getBoundingClientRect();
      this.tip.show([name, plural(count, "agreement")], box.left + x, box.top + y);
    });
    this.cy.on("mouseout", "node", () => this.tip.hide());
    const zoom = (factor) => () =>
      this.cy.zoom({ level: this.cy.zoom() * factor, renderedPosition: { x: this.box.clientWidth / 2, y: this.box.clientHeight / 2 } });
    const controls = el("div", { class: "pager", role: "group", "aria-label": "Network zoom" });
    for (const [text, action] of [["Zoom in", zoom(1.25)], ["Zoom out", zoom(0.8)], ["Fit", () => this.cy.fit(undefined, 24)]]) {
      const button = el("button", { type: "button", text });
      button.addEventListener("click", action);
      controls.append(button);
    }
    this.box.after(controls);
  },
};

/* ------------------------------------------------------------------ start */

const agreementsPager = new Pager(
  document.getElementById("agreements-table"),
  document.getElementById("agreements-pager"),
  document.getElementById("agreements-status"),
  agreementRow,
  "record",
);
const errorsPager = new Pager(
  document.getElementById("errors-table"),
  document.getElementById("errors-pager"),
  document.getElementById("errors-status"),
  errorRow,
  "error",
);

renderSummary();
renderConfidenceLegend();
fillFilterChoices();
form.addEventListener("submit", (event) => event.preventDefault());
form.addEventListener("input", applyFilters);
document.getElementById("filter-clear").addEventListener("click", () => {
  Object.values(inputs).forEach((input) => (input.type === "checkbox" ? (input.checked = false) : (input.value = "")));
  applyFilters();
});
document.getElementById("download-csv").addEventListener("click", downloadCsv);
document.querySelectorAll("th[data-sort] button").forEach((button) =>
  button.addEventListener("click", () => {
    const th = button.parentElement;
    sort.descending = sort.key === th.dataset.sort && !sort.descending;
    sort.key = th.dataset.sort;
    document.querySelectorAll("th[data-sort]").forEach((h) => h.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", sort.descending ? "descending" : "ascending");
    applyFilters();
  }),
);
document.querySelector("#agreements-table tbody").addEventListener("click", (event) => {
  const row = event.target.closest("tr");
  if (row) openRecord(Number(row.dataset.index));
});
if (DATA.errors.length) errorsPager.show(DATA.errors, DATA.errors.length);
else {
  document.getElementById("errors-status").textContent = "No errors: every document was read.";
  document.getElementById("errors-table").parentElement.hidden = true;
}
applyFilters();
