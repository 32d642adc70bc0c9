// Temporary checker for draft record files (issue 13 work in progress); removed when drafts are merged.
// Usage: node prisma/seed/drafts/check-draft.mjs prisma/seed/drafts/<file>.jsonl
import { readFileSync } from 'node:fs';
const KINDS = ['summit','state_visit','ministerial_visit','ministerial_talks','strategic_dialogue','leader_call','courtesy_call','military_talks','working_group','working_level_consultation','joint_statement','signing_ceremony','track_1_5_dialogue','track_2_dialogue','unilateral_announcement'];
const CHANNELS = ['military','crisis_communication','maritime_security','arms_control_nonproliferation','ai','technology','commerce_export_controls','trade_economic','finance_macro','climate','counternarcotics','law_enforcement','migration_repatriation','cyber','health','people_to_people','consular','human_rights','regional_security','strategic_diplomatic'];
const STATUSES = ['agreed','planned','implemented','discussed','declined','suspended'];
const RELATIONS = ['follow_up_of','implements_outcome_of','same_series','same_trip','reverses'];
const ASSERTED = ['us','cn','joint','third_party'];
const OPTIONAL = ['summary'];
const KEYS = ['id','title','startDate','endDate','datePrecision','kind','track','mode','city','region','country','countryCode','venue','summary','hosts','participants','channels','outcomes','sources','parent','related','uncertain','uncertaintyNotes'];
const file = process.argv[2];
const ids = new Set(readFileSync(new URL('../engagements.jsonl', import.meta.url), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).id));
const lines = readFileSync(file, 'utf8').split('\n');
const own = new Set();
let errors = 0, count = 0;
const err = (n, m) => { errors++; console.log(`line ${n}: ${m}`); };
const isDay = (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(v + 'T00:00:00Z').toISOString().slice(0, 10) === v;
const isMonth = (v) => /^\d{4}-(0[1-9]|1[0-2])$/.test(v);
const records = [];
lines.forEach((text, i) => {
  const n = i + 1;
  if (!text.trim()) return;
  let r; try { r = JSON.parse(text); } catch (e) { return err(n, 'bad JSON ' + e.message); }
  count++; records.push([n, r]);
  for (const k of Object.keys(r)) if (!KEYS.includes(k)) err(n, `unknown key ${k}`);
  for (const k of KEYS) if (!(k in r) && !OPTIONAL.includes(k)) err(n, `missing key ${k}`);
  if (!/^[a-z0-9]+(-[a-z0-9_]+)*$/.test(r.id)) err(n, 'bad id');
  if (ids.has(r.id)) err(n, `id ${r.id} already in engagements.jsonl`);
  if (own.has(r.id)) err(n, `id ${r.id} twice`); own.add(r.id);
  const valid = r.datePrecision === 'day' ? isDay : r.datePrecision === 'month' ? isMonth : () => false;
  if (!valid(r.startDate)) err(n, 'bad startDate for precision');
  if (r.endDate != null && !valid(r.endDate)) err(n, 'bad endDate');
  if (r.endDate != null && r.endDate < r.startDate) err(n, 'endDate before startDate');
  if (!r.id.startsWith(r.startDate.slice(0, 7))) err(n, 'id should start with the date');
  if (!KINDS.includes(r.kind)) err(n, 'bad kind ' + r.kind);
  if (!['1', '1.5', '2'].includes(r.track)) err(n, 'bad track');
  if (!['in_person', 'video', 'phone', 'statement'].includes(r.mode)) err(n, 'bad mode');
  if (r.countryCode != null && !/^[A-Z]{2}$/.test(r.countryCode)) err(n, 'bad countryCode');
  if (!Array.isArray(r.hosts)) err(n, 'hosts not array');
  for (const c of r.channels ?? []) if (!CHANNELS.includes(c)) err(n, 'bad channel ' + c);
  if (new Set(r.channels).size !== r.channels.length) err(n, 'channel twice');
  for (const p of r.participants ?? []) {
    for (const k of Object.keys(p)) if (!['name','role','organization','side','delegation','headcount','note'].includes(k)) err(n, 'participant key ' + k);
    if (!['US', 'CN', 'other'].includes(p.side)) err(n, 'bad side');
    if (p.name == null && p.delegation == null) err(n, 'participant without name or delegation');
  }
  if (!r.sources?.length) err(n, 'no sources');
  for (const s of r.sources ?? []) {
    for (const k of Object.keys(s)) if (!['publisher','title','url','publishedDate','note'].includes(k)) err(n, 'source key ' + k);
    if (!s.publisher) err(n, 'source without publisher');
    if (s.url != null && !/^https?:\/\//.test(s.url)) err(n, 'bad url');
    if (s.url == null && !s.note) err(n, 'source without url needs a note saying why');
    if (s.publishedDate != null && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(s.publishedDate)) err(n, 'bad publishedDate');
  }
  (r.outcomes ?? []).forEach((o, j) => {
    for (const k of Object.keys(o)) if (!['channel','description','status','note','assertedBy','sources'].includes(k)) err(n, 'outcome key ' + k);
    if (!r.channels.includes(o.channel)) err(n, `outcome ${j} channel not among channels`);
    if (!STATUSES.includes(o.status)) err(n, 'bad status');
    if (o.assertedBy != null && (!Array.isArray(o.assertedBy) || !o.assertedBy.every((a) => ASSERTED.includes(a)))) err(n, 'bad assertedBy');
    if (o.sources != null && (!Array.isArray(o.sources) || !o.sources.every((x) => Number.isInteger(x) && x >= 0 && x < r.sources.length))) err(n, 'bad outcome sources (indexes into record sources)');
  });
  for (const l of r.related ?? []) if (!RELATIONS.includes(l.relation)) err(n, 'bad relation');
  if (typeof r.uncertain !== 'boolean') err(n, 'uncertain not boolean');
  if (r.uncertain && !r.uncertaintyNotes) err(n, 'uncertain without notes');
});
for (const [n, r] of records) for (const l of r.related ?? []) if (!ids.has(l.id) && !own.has(l.id)) console.log(`line ${n}: note: related id ${l.id} is not in engagements.jsonl or this file (fine only if another draft file has it)`);
console.log(`${count} records, ${errors} errors`);
process.exit(errors ? 1 : 0);
