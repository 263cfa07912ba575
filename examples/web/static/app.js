// PolicyChat web example: plain JavaScript, no build step, no external code.
// Every text from the engine or the person is shown with textContent, never innerHTML.
'use strict';

const PURPOSES = ['analytics', 'marketing', 'personalisation', 'improvement', 'session_logging'];
const app = {
  config: { purposes: PURPOSES.map((p) => ({ purpose: p, title: p, description: '' })) },
  generation: null, // the engine child that holds our session
  state: {},        // the last Turn's state
  consents: {},     // state.consents, per purpose
  pendingGrants: [],
  opening: null,
  busy: 0,
};
const $ = (id) => document.getElementById(id);

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

// ----- talking to the web server -----

async function post(path, body) {
  app.busy += 1;
  document.body.dataset.busy = String(app.busy);
  try {
    const response = await fetch(path, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    let json = {};
    try { json = await response.json(); } catch (_) { /* not JSON */ }
    return { status: response.status, json };
  } finally {
    app.busy -= 1;
    document.body.dataset.busy = String(app.busy);
  }
}

// Calls a PolicyChat method for this browser's session; returns the result, or null on error.
async function call(method, params) {
  const generation = app.generation;
  let answer;
  try {
    answer = await post('/api/call', { method, params: params || {} });
  } catch (_) {
    showError('The web server cannot be reached. Please try again.');
    return null;
  }
  const { status, json } = answer;
  if (status === 200) { hideError(); return json.result; }
  const error = json.error || {};
  const reason = error.reason || (error.data && error.data.reason);
  document.body.dataset.lastReason = reason || String(status);
  if (reason === 'session_reset' || reason === 'engine_restarted' || reason === 'unknown_session' ||
      reason === 'engine_restarting') {
    if (app.generation === generation) await restarted(); // else already reopened
    else if (restarting) await restarting;
    if (reason === 'engine_restarted') showError('The assistant stopped before it answered your last step; please send it again.');
    return null;
  }
  if (reason === 'invalid_params' && error.data && error.data.field) {
    showError(`That was not accepted (${error.data.field}). Please check it and try again.`);
  } else {
    showError(error.message || `Something went wrong (${status}).`);
  }
  return null;
}

function showError(text) { const box = $('error-banner'); box.textContent = text; box.hidden = false; }
function hideError() { $('error-banner').hidden = true; }

// ----- the session -----

function browserSignals() {
  return { dnt: navigator.doNotTrack === '1', gpc: navigator.globalPrivacyControl === true };
}

async function openSession() {
  let answer;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    try {
      answer = await post('/api/session', { signals: browserSignals() });
    } catch (_) { answer = { status: 0, json: {} }; }
    if (answer.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!answer || answer.status !== 200) { showError('The assistant is not available. Please reload the page later.'); return; }
  hideError();
  const turn = answer.json.result;
  app.generation = answer.json.generation;
  app.opening = turn;
  document.body.dataset.generation = String(app.generation);
  $('disclosure-text').textContent = (turn.replies || []).map((r) => r.text).join('\n\n');
  $('disclosure').classList.remove('compact');
  $('disclosure-toggle').hidden = true;
  app.state = {};
  applyState(turn.state || {});
  document.body.dataset.session = 'open';
  await refreshConsents();
}

let restarting = null;
async function restarted() {
  if (restarting) return restarting;
  restarting = (async () => {
    const banner = $('restart-banner');
    banner.textContent = 'The assistant restarted; your conversation was reset. Your privacy choices and requests are kept.';
    banner.hidden = false;
    $('log').replaceChildren();
    resetRequestForms();
    resetParentForms();
    document.body.dataset.session = 'reopening';
    await openSession();
    document.body.dataset.restarted = String(Number(document.body.dataset.restarted || 0) + 1);
  })();
  try { await restarting; } finally { restarting = null; }
}

// ----- the conversation -----

// The disclosure stays on screen; once the conversation starts it shrinks to its first line.
function compactDisclosure(compact) {
  $('disclosure').classList.toggle('compact', compact);
  $('disclosure-toggle').hidden = false;
  $('disclosure-toggle').textContent = compact ? 'Show the full notice' : 'Show less';
}

function addPerson(text) {
  if (!$('disclosure').classList.contains('compact') && $('disclosure-toggle').hidden) compactDisclosure(true);
  $('log').append(el('li', { class: 'msg person' }, el('span', { class: 'who', text: 'You' }), el('p', { class: 'text', text })));
  scrollDown();
}

function addSystem(text, kind) {
  $('log').append(el('li', { class: `msg system ${kind || ''}`, text }));
  scrollDown();
}

function scrollDown() { const log = $('log'); log.scrollTop = log.scrollHeight; }

// Shows a Turn: each reply, its citation line and sources, a decision, and the host's events.
function renderTurn(turn) {
  if (!turn || !Array.isArray(turn.replies)) return;
  for (const old of document.querySelectorAll('.why-link')) old.remove(); // chat.explain explains the last answer
  const item = el('li', { class: 'msg assistant', dataset: { intent: turn.intent || '' } });
  item.append(el('span', { class: 'who', text: 'Assistant (automated)' }));
  for (const reply of turn.replies) {
    const text = String(reply.text || '');
    const match = text.match(/\n\s*(From: [^\n]+)\s*$/);
    item.append(el('p', { class: 'text', text: match ? text.slice(0, match.index) : text }));
    if (match) item.append(el('p', { class: 'citation', text: match[1] }));
  }
  if (Array.isArray(turn.sources) && turn.sources.length) {
    const list = el('ul', { class: 'sources', 'aria-label': 'Cited sections' });
    for (const source of turn.sources) list.append(el('li', { text: `§ ${source.title || source.id}`, dataset: { id: source.id || '' } }));
    item.append(list);
  }
  if (turn.decision) item.append(renderDecision(turn.decision));
  for (const event of turn.events || []) renderEvent(event, item);
  const why = el('a', { href: '#', class: 'why-link', text: 'Why this answer?' });
  why.addEventListener('click', (e) => { e.preventDefault(); explain(item, why); });
  item.append(why);
  $('log').append(item);
  scrollDown();
  applyState(turn.state || {});
}

function renderDecision(decision) {
  const box = el('div', { class: 'decision' });
  box.append(el('strong', { text: 'Automated decision: ' }), document.createTextNode(String(decision.explanation || decision.kind || '')));
  if (decision.consequence) box.append(el('div', { text: `What follows: ${decision.consequence}` }));
  if (decision.contest) box.append(el('div', { text: `To contest it: ${decision.contest}` }));
  return box;
}

function renderEvent(event, item) {
  const data = event.data || {};
  switch (event.type) {
    case 'verification.send':
      item.append(el('div', { class: 'decision', text: `A code has been sent by e-mail${/^(PC|RQ)-/.test(data.reference || '') ? ` (reference ${data.reference})` : ''}. Development: see the outbox.` }));
      break;
    case 'request.export':
      item.append(download(`Download your data (${data.reference || 'export'}.json)`, `${data.reference || 'export'}.json`, data.json));
      break;
    case 'consent.receipt':
      item.append(download('Download your consent receipt (JSON)', 'consent-receipt.json', data.receipt));
      break;
    case 'policy.archive':
      item.append(download(`Download policy version ${data.version}`, `policy-v${data.version}.txt`, data.text, 'text/plain'));
      break;
    default:
      break;
  }
}

function download(label, name, content, type) {
  const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2);
  const url = URL.createObjectURL(new Blob([text], { type: type || 'application/json' }));
  return el('a', { class: 'download', href: url, download: name, text: label });
}

async function explain(item, link) {
  const result = await call('chat.explain');
  if (!result) return;
  const trace = result.trace || {};
  const list = el('dl', { class: 'explain' });
  const add = (term, value) => { if (value !== undefined && value !== null && value !== '') list.append(el('dt', { text: term }), el('dd', { text: String(value) })); };
  add('How it was chosen', trace.method);
  add('Intent', trace.intent);
  add('Confidence', trace.confidence);
  add('Rule', trace.rule);
  add('Words that mattered', (trace.terms || []).join(', '));
  add('Sources', (trace.sources || []).join(', '));
  add('Other candidates', (trace.candidates || []).slice(0, 3).map((c) => `${c.intent} (${Number(c.score).toFixed(2)})`).join(', '));
  if (trace.decision) add('Decision', trace.decision.explanation || trace.decision.kind);
  link.replaceWith(list);
}

async function sendChat(text) {
  addPerson(text);
  const turn = await call('chat.send', { text });
  if (turn) { renderTurn(turn); noteReferences(turn); }
  if (turn && /^consent\./.test(String(turn.intent || ''))) bannerFromConsents(false); // choices made in words
}

// ----- state: age screen, parental consent -----

function applyState(state) {
  app.state = state;
  document.body.dataset.ageGate = state.ageGate || '';
  document.body.dataset.parentalConsent = state.parentalConsent || '';
  if (state.consents) app.consents = state.consents;
  const asking = state.ageGate === 'asking';
  $('age-panel').hidden = !asking;
  $('age-country-row').hidden = Boolean(state.country);
  if (asking) {
    $('age-question').textContent = 'Some requests keep information about you, so we ask your date of birth first. You can also answer in the chat.';
  }
  const child = state.ageGate === 'needs_parental_consent' || state.ageGate === 'below_service_age';
  $('parent-ask-panel').hidden = !(child && !state.parentalConsent);
}

async function submitAge(event) {
  event.preventDefault();
  const country = $('age-country').value;
  if (!$('age-country-row').hidden && country && country !== 'decline') {
    const turn = await call('country.set', { country });
    if (!turn) return;
    applyState(turn.state || {});
  } else if (!$('age-country-row').hidden && country === 'decline') {
    addPerson("I'd rather not say");
    const turn = await call('chat.send', { text: "I'd rather not say" });
    if (turn) renderTurn(turn);
  }
  const dateOfBirth = $('age-dob').value;
  const turn = await call('age.declare', { dateOfBirth });
  if (!turn) return;
  $('age-dob').value = '';
  renderTurn(turn);
  noteReferences(turn);
  if (app.requestActive || /^request\./.test(String(turn.intent || ''))) requestNext(turn, 'age');
  if (turn.state && turn.state.ageGate === 'adult' && app.pendingGrants.length) {
    const grants = app.pendingGrants;
    app.pendingGrants = [];
    await setConsents(grants);
  } else {
    app.pendingGrants = [];
    bannerFromConsents(false);
  }
}

async function askParent(event) {
  event.preventDefault();
  const turn = await call('parental.request', { contact: $('parent-contact').value });
  if (!turn) return;
  $('parent-contact').value = '';
  renderTurn(turn);
}

function resetParentForms() {
  $('parent-start-form').hidden = false;
  $('parent-verify-form').hidden = true;
  $('parent-confirm-row').hidden = true;
}

async function parentStart(event) {
  event.preventDefault();
  const reference = $('parent-reference').value.trim().toUpperCase();
  const turn = await call('parental.start', { reference });
  if (!turn) return;
  renderTurn(turn);
  app.parentReference = reference;
  $('parent-verify-form').hidden = false;
}

async function parentVerify(event) {
  event.preventDefault();
  const turn = await call('parental.verify', { reference: app.parentReference, code: $('parent-code').value.trim() });
  if (!turn) return;
  $('parent-code').value = '';
  renderTurn(turn);
  if (!turn.decision) { $('parent-verify-form').hidden = true; $('parent-confirm-row').hidden = false; }
}

async function parentConfirm(consent) {
  const turn = await call('parental.confirm', { reference: app.parentReference, consent });
  if (!turn) return;
  renderTurn(turn);
  resetParentForms();
}

// ----- rights requests -----

function resetRequestForms() {
  for (const id of ['request-identify-form', 'request-verify-form', 'request-details-form', 'request-confirm-row']) $(id).hidden = true;
}

function noteReferences(turn) {
  const text = (turn.replies || []).map((r) => r.text).join('\n');
  const match = text.match(/\bRQ-[A-Z0-9]{4,}\b/);
  if (match && !/can't find/i.test(text)) {
    const box = $('request-reference');
    box.textContent = `Your request reference: ${match[0]}`;
    box.dataset.reference = match[0];
    box.hidden = false;
  }
}

// After a step, show the fields the flow may ask for next; the engine says which it waits for.
function requestNext(turn, step) {
  resetRequestForms();
  const intent = String(turn.intent || '');
  if (turn.state && turn.state.ageGate === 'asking') return; // the age screen first
  if (step === 'start' && !/done|recorded/.test(intent)) $('request-identify-form').hidden = false;
  if (step === 'identify' || step === 'status') $('request-verify-form').hidden = false;
  if (intent.includes('code_wrong')) $('request-verify-form').hidden = false;
  if (intent.includes('details')) $('request-details-form').hidden = false;
  if (intent.includes('confirm')) $('request-confirm-row').hidden = false;
  if (step === 'age' && turn.state && turn.state.ageGate === 'adult' && !/done|recorded/.test(intent)) {
    $('request-identify-form').hidden = false;
  }
  if (step === 'start') app.requestActive = true;
  if (step === 'cancel' || /done|recorded|status/.test(intent)) app.requestActive = false;
}

async function requestStep(method, params, step, echo) {
  if (echo) addPerson(echo);
  const turn = await call(method, params);
  if (!turn) return;
  renderTurn(turn);
  noteReferences(turn);
  requestNext(turn, step);
}

// ----- the cookie banner -----

// A call whose Turn is not shown: "Why this answer?" would now explain that one, so it goes.
async function quietCall(method, params) {
  const turn = await call(method, params);
  if (turn) for (const old of document.querySelectorAll('.why-link')) old.remove();
  return turn;
}

// The banner's state comes from the engine: consent.status when a session opens, and after
// the banner's own changes.
async function refreshConsents() {
  const turn = await quietCall('consent.status');
  if (!turn) return;
  app.consents = (turn.state && turn.state.consents) || {};
  bannerFromConsents(true);
}

function bannerFromConsents(openIfUndecided) {
  document.body.dataset.consents = JSON.stringify(app.consents);
  const undecided = PURPOSES.some((p) => !app.consents[p] || app.consents[p] === 'expired');
  if (!undecided) closeBanner();
  else if (openIfUndecided) openBanner(false);
}

function buildPurposes() {
  const list = $('purpose-list');
  list.replaceChildren();
  for (const purpose of app.config.purposes) {
    const id = `purpose-${purpose.purpose}`;
    const status = app.consents[purpose.purpose];
    const box = el('input', { type: 'checkbox', id, dataset: { purpose: purpose.purpose } });
    box.checked = status === 'given'; // nothing pre-ticked: only what the person turned on
    const item = el('li', {}, box, el('label', { for: id, text: purpose.title }), el('span', { class: 'desc', text: purpose.description }));
    if (status === 'refused_by_signal') {
      box.disabled = true;
      item.append(el('span', { class: 'signal', text: "Off: your browser's privacy signal (Do Not Track or Global Privacy Control) refuses it." }));
    }
    list.append(item);
  }
}

function openBanner(withSettings) {
  buildPurposes();
  $('cookie-settings').hidden = !withSettings;
  $('cookie-save').hidden = !withSettings;
  $('cookie-settings-toggle').hidden = withSettings;
  $('cookie-banner').hidden = false;
}

function closeBanner() { $('cookie-banner').hidden = true; }

// Records a choice per purpose; granting runs the age screen first when the engine asks for it.
async function setConsents(choices) {
  const refusals = choices.filter((c) => !c.granted);
  const grants = choices.filter((c) => c.granted);
  for (const { purpose } of refusals) {
    if (app.consents[purpose] === 'refused_by_signal') continue;
    const turn = await quietCall('consent.set', { purpose, granted: false });
    if (!turn) return;
    if (turn.decision) renderTurn(turn);
  }
  for (let i = 0; i < grants.length; i += 1) {
    const { purpose } = grants[i];
    if (app.consents[purpose] === 'refused_by_signal') continue;
    const turn = await quietCall('consent.set', { purpose, granted: true });
    if (!turn) return;
    if (turn.state && turn.state.ageGate === 'asking') {
      renderTurn(turn);
      app.pendingGrants = grants.slice(i);
      closeBanner();
      return; // submitAge() goes on with the rest
    }
    if (turn.decision) renderTurn(turn);
  }
  await refreshConsents();
  const on = PURPOSES.filter((p) => app.consents[p] === 'given');
  addSystem(on.length ? `Your choices are saved: on: ${on.join(', ')}; everything else off.` : 'Your choices are saved: everything beyond the essential is off.');
}

// ----- the development outbox -----

const shown = new Set();
async function pollOutbox() {
  let data;
  try {
    const response = await fetch('/api/outbox', { credentials: 'same-origin' });
    data = await response.json();
  } catch (_) { return; }
  if (app.generation !== null && data.generation !== app.generation && document.body.dataset.session === 'open') {
    await restarted();
  }
  $('outbox-panel').hidden = !data.enabled;
  const list = $('outbox');
  for (const item of (data.items || []).slice().reverse()) {
    if (shown.has(item.id)) continue;
    shown.add(item.id);
    list.prepend(renderMail(item));
  }
  $('outbox-empty').hidden = list.children.length > 0;
}

function renderMail(item) {
  const d = item.data || {};
  const li = el('li', { dataset: { type: item.type, reference: d.reference || '', purpose: d.purpose || '' } });
  const subjects = {
    'verification.send': `Your one-time code (${d.purpose || 'verification'})`,
    'parental_consent.confirmed': 'Your consent is confirmed',
    'parental_consent.revoked': 'Your consent is revoked',
    'parental_consent.deleted': "Your child's data is deleted",
    'transcript.deleted': 'Host action: delete any copy of the conversation',
  };
  li.append(el('span', { class: 'mail-head', text: `${item.at} · ${subjects[item.type] || item.type}` }));
  if (d.to) li.append(el('div', { text: `To: ${d.to}` }));
  if (d.reference) li.append(el('div', { text: `Reference: ${d.reference}` }));
  if (d.code) li.append(el('div', {}, document.createTextNode('Code: '), el('span', { class: 'code', text: d.code })));
  if (d.expiresAt) li.append(el('div', { text: `Expires: ${d.expiresAt}` }));
  if (d.method) li.append(el('div', { text: `Method: ${d.method}` }));
  if (d.lines !== undefined) li.append(el('div', { text: `Lines deleted: ${d.lines} (${d.note || ''})` }));
  return li;
}

// ----- wiring -----

function on(id, event, handler) { $(id).addEventListener(event, handler); }

async function start() {
  try {
    const response = await fetch('/api/config', { credentials: 'same-origin' });
    app.config = await response.json();
    const policy = app.config.policy || {};
    $('policy-line').textContent = `${policy.organisation || ''} privacy policy, version ${policy.version || '?'} (${policy.lastUpdated || ''})`;
  } catch (_) { /* defaults */ }

  on('chat-form', 'submit', async (e) => {
    e.preventDefault();
    const input = $('chat-input');
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    await sendChat(text);
  });
  on('age-form', 'submit', submitAge);
  on('disclosure-toggle', 'click', () => compactDisclosure(!$('disclosure').classList.contains('compact')));
  on('parent-ask-form', 'submit', askParent);
  on('parent-start-form', 'submit', parentStart);
  on('parent-verify-form', 'submit', parentVerify);
  on('parent-yes', 'click', () => parentConfirm(true));
  on('parent-no', 'click', () => parentConfirm(false));

  on('request-start-form', 'submit', (e) => { e.preventDefault(); const type = $('request-type').value; requestStep('request.start', { type }, 'start', `Request: ${$('request-type').selectedOptions[0].textContent}`); });
  on('request-identify-form', 'submit', (e) => { e.preventDefault(); const email = $('request-email').value.trim(); $('request-email').value = ''; requestStep('request.identify', { email }, 'identify'); });
  on('request-verify-form', 'submit', (e) => { e.preventDefault(); const code = $('request-code').value.trim(); $('request-code').value = ''; requestStep('request.verify', { code }, 'verify'); });
  on('request-details-form', 'submit', (e) => { e.preventDefault(); const text = $('request-details').value.trim(); $('request-details').value = ''; requestStep('request.details', { text }, 'details'); });
  on('request-confirm-yes', 'click', () => requestStep('request.confirm', { confirm: true }, 'confirm', 'Yes'));
  on('request-confirm-no', 'click', () => requestStep('request.confirm', { confirm: false }, 'confirm', 'No'));
  on('request-status-form', 'submit', (e) => { e.preventDefault(); const reference = $('status-reference').value.trim().toUpperCase(); requestStep('request.status', { reference }, 'status', `Status of ${reference}`); });
  on('request-cancel', 'click', () => { resetRequestForms(); requestStep('request.cancel', {}, 'cancel'); });

  on('cookie-reject', 'click', () => setConsents(PURPOSES.map((purpose) => ({ purpose, granted: false }))).then(closeBanner));
  on('cookie-accept', 'click', () => setConsents(PURPOSES.map((purpose) => ({ purpose, granted: true }))));
  on('cookie-settings-toggle', 'click', () => openBanner(true));
  on('cookie-save', 'click', () => {
    const choices = [...document.querySelectorAll('#purpose-list input')].map((box) => ({ purpose: box.dataset.purpose, granted: box.checked }));
    setConsents(choices).then(() => { if (!app.pendingGrants.length) closeBanner(); });
  });
  on('cookie-settings-link', 'click', (e) => { e.preventDefault(); openBanner(true); });

  await openSession();
  document.body.dataset.ready = 'true';
  await pollOutbox();
  setInterval(pollOutbox, 1500);
}

document.addEventListener('DOMContentLoaded', start);
