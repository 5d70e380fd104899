// The explorer's page: reads its address (/MODEL/VARIANT/PATH?set=k=v&loop=L#tab),
// asks the server's JSON and SVG endpoints, and draws. No library, no network
// beyond the server that served it.
'use strict';

const $ = (id) => document.getElementById(id);
let meta = null; // GET /api/models
let cur = null; // {model, variant, sets, path, loop, mark, prop, kind}
let tab = 'explore';
let doc = null; // the last GET /api/state
let running = {}; // tab -> AbortController of its running request

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}

function showError(msg) {
  const e = $('error');
  e.textContent = msg;
  e.hidden = !msg;
}

async function get(url, signal) {
  const r = await fetch(url, { signal });
  if (!r.ok) throw new Error((await r.text()).trim() || r.statusText);
  return r;
}

function modelOf(name) { return meta.models.find((m) => m.name === name); }
function variantOf(m, name) { return m.variants.find((v) => v.name === name) || m.variants[0]; }

// query is the target's query string (model, variant, sets) plus extra.
function query(c, extra) {
  const q = new URLSearchParams();
  q.set('model', c.model);
  q.set('variant', c.variant);
  for (const s of c.sets) q.append('set', s);
  for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
  return q.toString();
}

// href is a position's page address.
function href(c, t) {
  let u = `/${encodeURIComponent(c.model)}/${encodeURIComponent(c.variant)}`;
  if (c.path) u += '/' + c.path;
  const q = new URLSearchParams();
  for (const s of c.sets) q.append('set', s);
  if (c.loop >= 0) q.set('loop', c.loop);
  if (c.mark >= 0) q.set('mark', c.mark);
  if (c.prop) { q.set('prop', c.prop); q.set('kind', c.kind || ''); }
  const qs = q.toString();
  return u + (qs ? '?' + qs : '') + '#' + (t || 'explore');
}

function parseLocation() {
  const parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const q = new URLSearchParams(location.search);
  tab = (location.hash || '#explore').slice(1);
  if (parts[0] === 'validate') { tab = 'validate'; parts.length = 0; }
  const m = modelOf(parts[0]) || modelOf(meta.default) || meta.models[0];
  const v = variantOf(m, parts[1]);
  const num = (k) => (q.has(k) ? parseInt(q.get(k), 10) : -1);
  return {
    model: m.name, variant: v.name, sets: q.getAll('set'), path: parts[2] === undefined ? null : parts[2],
    loop: num('loop'), mark: num('mark'), prop: q.get('prop') || '', kind: q.get('kind') || '',
  };
}

function go(c, t, replace) {
  const u = href(c, t || tab);
  if (replace) history.replaceState(null, '', u); else history.pushState(null, '', u);
  load();
}

// --- picker ---------------------------------------------------------------

function fillPicker() {
  const ms = $('model');
  ms.replaceChildren(...meta.models.map((m) => el('option', { value: m.name, selected: m.name === cur.model }, m.name)));
  const m = modelOf(cur.model);
  $('variant').replaceChildren(...m.variants.map((v) => el('option', { value: v.name, selected: v.name === cur.variant }, v.name)));
  const v = variantOf(m, cur.variant);
  $('variant-about').textContent = v.description || m.description;
  const given = {};
  for (const s of cur.sets) { const [k, val] = s.split('='); given[k] = val; }
  $('params').replaceChildren(...v.params.map((p) => el('label', { title: p.Description },
    p.Name + ' ', el('input', { type: 'number', min: p.Min, max: p.Max, value: given[p.Name] ?? p.Default, 'data-param': p.Name, 'data-default': p.Default }))));
  $('graph-lane').replaceChildren(...(m.projects ? m.lanes.map((l) => el('option', { value: l }, l)) : []),
    el('option', { value: '' }, '(whole graph)'));
  $('validate-tab').hidden = !meta.validate;
}

function pickerTarget(model, variant) {
  const sets = [];
  if (model === cur.model && variant === cur.variant) {
    for (const i of $('params').querySelectorAll('input')) {
      if (i.value !== i.dataset.default) sets.push(`${i.dataset.param}=${i.value}`);
    }
  }
  return { model, variant, sets, path: null, loop: -1, mark: -1, prop: '' };
}

// --- explore --------------------------------------------------------------

async function loadExplore() {
  const c = cur;
  let path = c.path;
  if (path === null) {
    // The start: explore's home (the initial state when there is one).
    const start = await (await get('/api/state?' + query(c, { path: '' }))).json();
    path = start.home;
    cur.path = path;
    history.replaceState(null, '', href(cur, tab));
  }
  doc = await (await get('/api/state?' + query(c, { path }))).json();
  $('path').textContent = doc.path || '(start)';
  $('path-link').href = href(cur, 'explore');
  const steps = doc.steps.length;
  // The banner: what this path is.
  const b = $('banner');
  b.className = '';
  b.textContent = '';
  if (c.prop && c.kind === 'violated') {
    b.className = 'violation';
    b.textContent = `counterexample of ${c.prop}` + (c.mark >= 0 ? `: step ${c.mark} violates it` : '') + loopText(c.loop, steps);
  } else if (c.prop) {
    b.className = 'witness';
    b.textContent = `witness of ${c.prop}` + (c.mark >= 0 ? `: step ${c.mark} shows it` : '');
  }
  // The last step and its events.
  const last = $('last-step');
  last.replaceChildren();
  if (steps > 0) {
    const st = doc.steps[steps - 1];
    last.append(el('div', {}, el('b', {}, `step ${steps - 1}: `), st.action || 'initial state'));
    if (st.events.length) last.append(el('ul', {}, ...st.events.map((e) => el('li', {}, e))));
  }
  // The state, lane by lane.
  const tbl = $('state');
  tbl.replaceChildren(...doc.rows.map((r) => el('tr', { class: (r.lane ? 'lane' : 'other') + (r.changed ? ' changed-row' : ' unchanged'), 'data-name': r.name, id: r.lane ? 'lane-' + r.name : null },
    el('th', {}, r.name), el('td', {}, ...r.words.flatMap((w) => [w.changed ? el('span', { class: 'changed' }, w.text) : w.text, ' '])))));
  tbl.classList.toggle('folded', $('fold').checked);
  // What the shown state is in the trace being followed: the violating
  // (or witnessing) step, where a lasso's loop starts.
  const shown = steps - 1;
  tbl.classList.toggle('marked', !!c.prop && c.mark === shown);
  if (c.prop && c.mark === shown) {
    last.prepend(el('div', { class: 'state-mark ' + (c.kind === 'violated' ? 'violation' : 'witness'), id: 'state-mark' },
      c.kind === 'violated' ? `\u2716 this state (after step ${shown}) violates ${c.prop}` : `\u2714 this step shows ${c.prop}`));
  }
  if (c.loop >= 0 && c.loop <= shown) {
    last.prepend(el('div', { class: 'state-mark loop', id: 'state-loop' }, c.loop === shown ?
      `\u27f2 loop starts here: the behaviour stays in this state forever` :
      `\u27f2 the loop starts at step ${c.loop}: after this step the behaviour returns there, forever`));
  }
  // What can happen next.
  const sl = $('status-line');
  sl.className = doc.deadlock ? 'deadlock' : '';
  sl.textContent = steps === 0 ? 'choose an initial state:' : doc.deadlock ? 'DEADLOCK: no action enabled, and not an end state' :
    doc.end ? 'an end state of the model: no action enabled' : doc.choices.length === 0 ? 'no action enabled' : '';
  $('choices').replaceChildren(...doc.choices.map((ch) => el('li', {},
    el('button', { class: 'choice', 'data-index': ch.index, disabled: ch.pruned, title: ch.pruned ? "pruned by the model's constraints" : null,
      onclick: () => go({ ...cur, path: doc.path === '' ? String(ch.index) : doc.path + '.' + ch.index, loop: -1, mark: -1, prop: '' }) },
    el('span', { class: 'n' }, String(ch.index)), ' ' + ch.action))));
  $('back').disabled = doc.path.split('.').length <= doc.home.split('.').length || doc.path === '';
  // The diagram.
  const d = $('diagram');
  if (steps === 0) { d.replaceChildren(); return; }
  const extra = { path: doc.path };
  if (c.loop >= 0 && c.loop < steps) extra.loop = c.loop;
  if (c.mark >= 0 && c.mark < steps) extra.mark = c.mark;
  d.innerHTML = await (await get('/api/diagram.svg?' + query(c, extra))).text();
}

// loopText explains a lasso's loop for the banner ('' without one).
function loopText(loop, steps) {
  if (loop < 0 || loop >= steps) return '';
  if (loop === steps - 1) return `; from step ${loop} on the behaviour stays in that state forever (a lasso)`;
  return `; after step ${steps - 1} the behaviour returns to step ${loop}, forever (a lasso)`;
}

// --- check ----------------------------------------------------------------

// stream reads a server-sent event stream with fetch (so that a 4xx's message
// can be shown and the request aborted), calling on(event, data).
async function stream(name, url, on) {
  if (running[name]) running[name].abort();
  const ac = new AbortController();
  running[name] = ac;
  $(name + '-cancel').disabled = false;
  $(name + '-run').disabled = true;
  try {
    const r = await get(url, ac.signal);
    const rd = r.body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done } = await rd.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const chunk = buf.slice(0, i);
        buf = buf.slice(i + 2);
        let ev = 'message'; let data = '';
        for (const line of chunk.split('\n')) {
          if (line.startsWith('event: ')) ev = line.slice(7);
          else if (line.startsWith('data: ')) data += line.slice(6);
        }
        on(ev, JSON.parse(data || 'null'));
      }
    }
  } catch (e) {
    if (e.name === 'AbortError') $(name + '-progress').textContent = 'cancelled';
    else { $(name + '-progress').textContent = ''; showError(e.message); }
  } finally {
    if (running[name] === ac) delete running[name];
    $(name + '-cancel').disabled = true;
    $(name + '-run').disabled = false;
  }
}

function cancel(name) {
  if (running[name]) running[name].abort();
  delete running[name];
}

// traceTarget is the position showing a verdict's trace.
function traceTarget(c, variant, sets, v) {
  const steps = v.path.split('.').length - 1;
  const mark = v.status === 'violated' && v.loop < 0 && !v.stutter ? steps : (v.status === 'holds' ? steps : -1);
  return { model: c.model, variant, sets, path: v.path, loop: v.loop, mark, prop: v.name, kind: v.status };
}

function showVerdicts(res) {
  const c = cur;
  const head = el('tr', {}, ...['property', 'kind', 'verdict', 'expected', 'trace (click to step through it)'].map((h) => el('th', {}, h)));
  const rows = res.properties.map((v) => {
    let link = '';
    if (v.path) {
      const what = v.status === 'violated' ? 'counterexample' : 'witness';
      link = el('a', { href: href(traceTarget(c, c.variant, c.sets, v)), class: 'trace', id: 'trace-' + v.name,
        onclick: (e) => { e.preventDefault(); go(traceTarget(c, c.variant, c.sets, v), 'explore'); } },
      `${what} (${v.steps} steps${v.loop >= 0 ? ', lasso' : ''})`);
    }
    const word = v.status === 'violated' ? 'VIOLATED' : v.status;
    return el('tr', { 'data-property': v.name }, el('td', { title: v.description || '' }, v.name), el('td', {}, v.kind),
      el('td', { class: v.status + (v.status !== v.expected && v.status !== 'not checked' ? ' unexpected' : '') }, word),
      el('td', {}, v.expected), el('td', {}, link));
  });
  $('verdicts').replaceChildren(head, ...rows);
  // The summary: what failed, each a link to its trace.
  const bad = res.properties.filter((v) => v.status === 'violated' && !v.kind.startsWith('sometimes'));
  const sum = $('check-summary');
  if (bad.length === 0) sum.replaceChildren(res.complete ? 'every safety and liveness property holds' : '');
  else {
    sum.replaceChildren(`${bad.length} violated: `, ...bad.flatMap((v, i) => [i ? ', ' : '', v.path ?
      el('a', { href: href(traceTarget(c, c.variant, c.sets, v)), onclick: (e) => { e.preventDefault(); go(traceTarget(c, c.variant, c.sets, v), 'explore'); } }, v.name) : v.name]),
    ' (click one to step through its counterexample)');
  }
  $('check-progress').textContent = `${res.complete ? 'complete' : 'INCOMPLETE (' + res.reason + ')'}: ${res.distinct.toLocaleString()} states, depth ${res.depth}, ${res.seconds.toFixed(2)} s`;
}

function runCheck() {
  const c = cur;
  $('verdicts').replaceChildren();
  $('check-summary').replaceChildren();
  $('check-progress').textContent = 'starting…';
  stream('check', '/api/check?' + query(c), (ev, d) => {
    if (ev === 'progress') $('check-progress').textContent = `${d.phase}: ${d.distinct.toLocaleString()} states, queue ${d.queue.toLocaleString()}, depth ${d.depth}, ${d.seconds.toFixed(1)} s`;
    if (ev === 'result') showVerdicts(d);
  });
}

// --- matrix ---------------------------------------------------------------

function showMatrix(m) {
  const head = el('tr', {}, el('th', {}, 'variant'), ...m.columns.map((c) => el('th', { class: 'col' }, c)));
  const rows = m.rows.map((r) => el('tr', {}, el('th', { title: r.complete ? `${r.distinct} states, ${r.seconds.toFixed(2)} s` : r.reason }, r.variant),
    ...r.cells.map((cell, i) => {
      let word = cell.status === 'violated' ? 'VIOLATED' : cell.status;
      if (cell.violated > 1) word += ` ${cell.violated}/${cell.members}`;
      let content = word;
      if (cell.path) {
        const t = traceTarget(cur, r.variant, [], { name: cell.property, status: cell.status === 'violated' ? 'violated' : 'holds', path: cell.path, loop: cell.loop, stutter: false });
        content = el('a', { href: href(t), onclick: (e) => { e.preventDefault(); go(t, 'explore'); }, title: cell.property }, word);
      }
      return el('td', { class: cell.status + ' ' + cell.outcome, 'data-column': m.columns[i] }, content);
    })));
  $('matrix').replaceChildren(head, ...rows);
}

function runMatrix() {
  $('matrix').replaceChildren();
  $('matrix-progress').textContent = 'starting…';
  stream('matrix', '/api/matrix?model=' + encodeURIComponent(cur.model), (ev, d) => {
    if (ev === 'progress') $('matrix-progress').textContent = d.line;
    if (ev === 'result') { showMatrix(d); $('matrix-progress').textContent = 'done: cells as expected are plain, unexpected ones red'; }
    if (ev === 'failure') showError(d.error);
  });
}

// --- graph ----------------------------------------------------------------

async function runGraph() {
  if (running.graph) running.graph.abort();
  const ac = new AbortController();
  running.graph = ac;
  $('graph-progress').textContent = 'exploring…';
  try {
    const r = await get('/api/graph.svg?' + query(cur, { lane: $('graph-lane').value }), ac.signal);
    $('graph').innerHTML = await r.text();
    $('graph-progress').textContent = '';
  } catch (e) {
    $('graph-progress').textContent = '';
    if (e.name !== 'AbortError') showError(e.message);
  } finally {
    if (running.graph === ac) delete running.graph;
  }
}

// --- validate -------------------------------------------------------------

async function upload(e) {
  e.preventDefault();
  const f = $('capture-file').files[0];
  if (!f) { showError('choose a capture file first'); return; }
  const fd = new FormData();
  fd.append('capture', f);
  if ($('keylog-file').files[0]) fd.append('keylog', $('keylog-file').files[0]);
  if ($('server-key-file').files[0]) fd.append('server-key', $('server-key-file').files[0]);
  fd.append('capture-point', $('capture-point').value);
  $('upload-progress').textContent = 'validating…';
  $('connections').replaceChildren();
  try {
    const r = await fetch('/api/validate', { method: 'POST', body: fd });
    if (!r.ok) throw new Error((await r.text()).trim());
    const res = await r.json();
    $('upload-progress').textContent = `${res.connections.length} connection(s)`;
    $('connections').replaceChildren(...res.connections.map((c) => {
      const box = el('div', { class: 'conn' }, el('h3', { class: c.accepted ? 'accepted' : 'rejected' }, c.headline));
      const svg = el('div', { class: 'svgbox' });
      svg.innerHTML = c.svg;
      box.append(svg);
      if (c.details) box.append(el('pre', {}, c.details));
      return box;
    }));
    showError('');
  } catch (err) {
    $('upload-progress').textContent = '';
    showError(err.message);
  }
}

// --- page -----------------------------------------------------------------

// autoDraw draws the state graph when its tab is shown empty (a projected
// graph is quick: one role's states).
function autoDraw() {
  if (tab === 'graph' && !$('graph').firstChild && !running.graph && modelOf(cur.model).projects) runGraph();
}

function showTab(t) {
  for (const b of document.querySelectorAll('nav .tab')) b.classList.toggle('active', b.dataset.tab === t);
  for (const p of document.querySelectorAll('.pane')) p.hidden = p.id !== 'tab-' + t;
}

let shownKey = '';
async function load() {
  showError('');
  const prev = cur;
  cur = parseLocation();
  const key = query({ ...cur });
  if (key !== shownKey) {
    // Another configuration: the results shown belong to the old one.
    for (const n of ['check', 'graph']) cancel(n);
    $('verdicts').replaceChildren();
    $('check-summary').replaceChildren();
    $('check-progress').textContent = '';
    $('graph').replaceChildren();
    if (!prev || prev.model !== cur.model) { cancel('matrix'); $('matrix').replaceChildren(); $('matrix-progress').textContent = ''; }
    shownKey = key;
  }
  fillPicker();
  showTab(tab);
  document.title = `${meta.name} explorer: ${cur.model} ${cur.variant}`;
  try {
    await loadExplore();
  } catch (e) {
    showError(e.message);
  }
  autoDraw();
}

async function main() {
  meta = await (await get('/api/models')).json();
  $('model').addEventListener('change', () => go(pickerTarget($('model').value, modelOf($('model').value).variants[0].name)));
  $('variant').addEventListener('change', () => go(pickerTarget(cur.model, $('variant').value)));
  $('picker').addEventListener('submit', (e) => { e.preventDefault(); go(pickerTarget(cur.model, cur.variant)); });
  for (const b of document.querySelectorAll('nav .tab')) {
    b.addEventListener('click', () => { tab = b.dataset.tab; history.replaceState(null, '', href(cur, tab)); showTab(tab); autoDraw(); });
  }
  $('back').addEventListener('click', () => {
    const p = doc.path.split('.');
    p.pop();
    // A lasso's loop is the end of its path: a prefix has none.
    go({ ...cur, path: p.join('.'), mark: cur.mark < p.length ? cur.mark : -1, loop: -1 });
  });
  $('reset').addEventListener('click', () => go({ ...cur, path: null, loop: -1, mark: -1, prop: '' }));
  $('fold').addEventListener('change', () => $('state').classList.toggle('folded', $('fold').checked));
  $('diagram').addEventListener('click', (e) => {
    const a = e.target.closest('a');
    if (!a) return;
    e.preventDefault();
    const step = parseInt(a.querySelector('g.step').dataset.step, 10);
    const p = doc.path.split('.').slice(0, step + 1).join('.');
    go({ ...cur, path: p, mark: cur.mark <= step ? cur.mark : -1, loop: p === doc.path ? cur.loop : -1 });
  });
  $('check-run').addEventListener('click', runCheck);
  $('check-cancel').addEventListener('click', () => cancel('check'));
  $('matrix-run').addEventListener('click', runMatrix);
  $('matrix-cancel').addEventListener('click', () => cancel('matrix'));
  $('graph-run').addEventListener('click', runGraph);
  $('graph-off').addEventListener('change', () => $('graph').classList.toggle('hide-off', !$('graph-off').checked));
  $('upload').addEventListener('submit', upload);
  window.addEventListener('popstate', load);
  await load();
}

main().catch((e) => showError(e.message));
