// Compliance desk page. Every value from the API (post ids, authorities, incident descriptions, lawful requests)
// reaches the DOM only through textContent, never innerHTML; the server's CSP (no inline script) is the second wall.
'use strict';

(() => {
  const { api, el } = window.ModerationPage;
  const $ = (id) => document.getElementById(id);
  const state = { me: null, canAct: false, pending: null, deciding: null };



  function link(text, href) {
    const a = el('a', text);
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener';
    return a;
  }

  function cell(row, content, className) {
    const td = el('td', typeof content === 'string' || typeof content === 'number' ? content : null, className);
    if (content instanceof Node) td.append(content);
    row.append(td);
    return td;
  }

  function say(message, isError) {
    $('status').textContent = message;
    $('status').classList.toggle('error', Boolean(isError));
  }

  function when(iso) {
    return iso ? iso.replace('T', ' ').replace(/\.\d+/, '').replace('+00:00', 'Z') : '—';
  }

  function span(seconds) {
    const s = Math.abs(seconds);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return (h >= 48 ? Math.floor(h / 24) + 'd ' + (h % 24) + 'h' : h + 'h ' + String(m).padStart(2, '0') + 'm');
  }

  function clock(item) {
    if (item.state !== 'open') return item.state;
    return item.overdue ? 'overdue by ' + span(item.secondsLeft) : span(item.secondsLeft) + ' left';
  }

  function button(text, onClick) {
    const b = el('button', text);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }

  async function loadCases() {
    const params = new URLSearchParams();
    if ($('case-state').value) params.set('state', $('case-state').value);
    if ($('case-platform').value.trim()) params.set('platform', $('case-platform').value.trim());
    const data = await api('GET', '/api/compliance/cases?' + params);
    const body = $('case-table').tBodies[0];
    body.replaceChildren();
    for (const c of data.cases) {
      const tr = el('tr');
      tr.dataset.caseId = c.caseId;
      if (c.overdue) tr.className = 'overdue';
      cell(tr, c.platform + ' / ' + c.contentId + ' v' + c.version);
      cell(tr, c.categories.join(', '));
      cell(tr, when(c.openedAt));
      cell(tr, when(c.dueAt));
      cell(tr, clock(c), 'clock');
      cell(tr, c.state + (c.reportedAt ? ' (' + c.authority + ', ' + c.authorityReference + ')' : ''), 'state');
      const docs = el('span');
      docs.append(link('print', '/api/compliance/cases/' + c.caseId + '/evidence.html'), ' · ', link('PDF', '/api/compliance/cases/' + c.caseId + '/evidence.pdf'));
      cell(tr, docs);
      const actions = el('span');
      if (state.canAct && c.state === 'open') {
        actions.append(button('Reported…', () => askReport('case', c.caseId, c.platform + ' / ' + c.contentId + ' v' + c.version)));
      }
      if (state.canAct && c.state === 'reported') {
        actions.append(button('Close', async () => {
          try { await api('POST', '/api/compliance/cases/' + c.caseId + '/close'); say('Case closed.'); await loadCases(); } catch (e) { say(e.message, true); }
        }));
      }
      cell(tr, actions);
      body.append(tr);
    }
    if (data.cases.length === 0) {
      const tr = el('tr');
      const td = cell(tr, 'No cases.');
      td.colSpan = 8;
      body.append(tr);
    }
  }

  function scope(i) {
    let s = 'platform ' + i.platform;
    if (i.authorId) s += ', author ' + i.authorId;
    if (i.contentId) s += ', content ' + i.contentId;
    if (i.from) s += ', from ' + when(i.from);
    if (i.to) s += ', to ' + when(i.to);
    return s;
  }

  async function loadIncidents() {
    const data = await api('GET', '/api/compliance/incidents');
    const body = $('incident-table').tBodies[0];
    body.replaceChildren();
    for (const i of data.incidents) {
      const tr = el('tr');
      tr.dataset.incidentId = i.incidentId;
      if (i.overdue) tr.className = 'overdue';
      cell(tr, when(i.declaredAt) + ' by ' + i.declaredBy);
      cell(tr, scope(i));
      cell(tr, i.description, 'description');
      cell(tr, when(i.dueAt));
      cell(tr, clock(i), 'clock');
      cell(tr, String(i.frozenRecords), 'frozen');
      cell(tr, i.state + (i.reportedAt ? ' (' + i.authority + ', ' + i.authorityReference + ')' : ''), 'state');
      const docs = el('span');
      docs.append(link('print', '/api/compliance/incidents/' + i.incidentId + '/report.html'), ' · ', link('PDF', '/api/compliance/incidents/' + i.incidentId + '/report.pdf'));
      cell(tr, docs);
      const actions = el('span');
      if (state.canAct && i.state === 'open') actions.append(button('Reported…', () => askReport('incident', i.incidentId, 'incident on ' + i.platform)));
      cell(tr, actions);
      body.append(tr);
    }
  }

  function requestScope(s) {
    let text = 'platform ' + s.platform;
    if (s.authorId) text += ', author ' + s.authorId;
    if (s.contentIds && s.contentIds.length) text += ', ' + s.contentIds.length + ' content id(s)';
    if (s.sourceIp) text += ', IP ' + s.sourceIp;
    if (s.from) text += ', from ' + when(s.from);
    if (s.to) text += ', to ' + when(s.to);
    return text;
  }

  function requestState(r) {
    let text = r.status;
    if (r.decidedBy) text += ' by ' + r.decidedBy + ' ' + when(r.decidedAt) + ' (' + r.decisionReason + ')';
    if (r.exportedBy) text += '; exported by ' + r.exportedBy + ' ' + when(r.exportedAt);
    return text;
  }

  // Lawful requests (GET /api/compliance/requests): pending ones get Approve / Reject (a second officer: the API
  // answers 403 to the one who registered it), approved ones Export, exported ones a link to the signed zip.
  async function loadRequests() {
    const list = $('request-list');
    list.replaceChildren();
    const body = $('request-table').tBodies[0];
    body.replaceChildren();
    let items;
    try {
      items = await api('GET', '/api/compliance/requests');
    } catch (e) {
      list.append(el('p', 'Lawful requests could not be loaded: ' + e.message, 'hint'));
      return;
    }
    for (const r of items) {
      const tr = el('tr');
      tr.dataset.requestId = r.requestId;
      cell(tr, when(r.registeredAt) + ' by ' + r.registeredBy);
      cell(tr, r.authority, 'authority');
      cell(tr, r.documentNumber, 'document');
      cell(tr, r.legalBasis);
      cell(tr, requestScope(r.scope));
      cell(tr, requestState(r), 'state');
      const actions = el('span');
      if (state.canAct && r.status === 'pending') {
        actions.append(button('Approve…', () => askDecision(r, true, actions)), ' ', button('Reject…', () => askDecision(r, false, actions)));
      }
      if (state.canAct && r.status === 'approved') {
        actions.append(button('Export', async () => {
          try {
            await api('POST', '/api/compliance/requests/' + r.requestId + '/export');
            say('Export created: download the zip and check it with records verify-export.');
            await loadRequests();
          } catch (e) {
            say(e.message, true);
          }
        }));
      }
      if (state.canAct && r.status === 'exported') { // the download is compliance.act: auditors see the status only
        const a = el('a', 'export.zip', 'download');
        a.href = '/api/compliance/requests/' + r.requestId + '/export.zip';
        a.download = 'lawful-request-' + r.requestId + '.zip';
        actions.append(a);
      }
      cell(tr, actions, 'actions');
      body.append(tr);
    }
    if (items.length === 0) {
      const tr = el('tr');
      cell(tr, 'No lawful requests.').colSpan = 7;
      body.append(tr);
    }
  }

  function askDecision(r, approve, where) {
    state.deciding = { id: r.requestId, approve, where };
    $('decide-what').textContent = (approve ? 'Approve' : 'Reject') + ' the request of ' + r.authority + ' (' + r.documentNumber + ').';
    $('decide-ok').textContent = approve ? 'Approve' : 'Reject';
    $('decide-reason').value = '';
    $('decide-dialog').showModal();
  }

  $('decide-cancel').addEventListener('click', () => $('decide-dialog').close());
  $('decide-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = state.deciding;
    try {
      await api('POST', '/api/compliance/requests/' + d.id + '/decision', { approve: d.approve, reason: $('decide-reason').value });
      $('decide-dialog').close();
      say(d.approve ? 'Request approved.' : 'Request rejected.');
      await loadRequests();
    } catch (err) {
      $('decide-dialog').close();
      // 403: this officer registered the request; the API's own words say a second person must decide.
      const message = err.status === 403 ? 'Not allowed: ' + err.message : err.message;
      d.where.querySelector('.refusal')?.remove();
      d.where.append(el('p', message, 'refusal error'));
      say(message, true);
    }
  });

  async function verifyLedger() {
    const params = new URLSearchParams({ platform: $('verify-platform').value.trim(), from: $('verify-from').value, to: $('verify-to').value });
    const out = $('verify-result');
    out.textContent = 'Verifying…';
    out.className = '';
    try {
      const v = await api('GET', '/api/compliance/ledger/verify?' + params);
      const walked = v.chains + ' chain(s), ' + v.entries + ' entries, ' + v.purged + ' purged, ' + v.rootsChecked + ' signed root(s) checked';
      out.textContent = v.ok
        ? 'OK: ' + walked + ' for ' + v.platform + ' ' + v.from + '..' + v.to + '.'
        : v.problems + ' problem(s) in ' + walked + '. First: ' + v.firstProblem;
      out.className = v.ok ? 'ok' : 'error';
    } catch (e) {
      out.textContent = e.message;
      out.className = 'error';
    }
  }

  $('verify-form').addEventListener('submit', (e) => {
    e.preventDefault();
    verifyLedger();
  });

  function askReport(kind, id, what) {
    state.pending = { kind, id };
    $('report-what').textContent = 'Record the report of ' + what + ' to an authority.';
    $('report-authority').value = '';
    $('report-reference').value = '';
    $('report-dialog').showModal();
  }

  $('report-cancel').addEventListener('click', () => $('report-dialog').close());
  $('report-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const p = state.pending;
    const url = p.kind === 'case' ? '/api/compliance/cases/' + p.id + '/report' : '/api/compliance/incidents/' + p.id + '/report';
    try {
      await api('POST', url, { authority: $('report-authority').value, reference: $('report-reference').value });
      $('report-dialog').close();
      say('Report recorded.');
      await (p.kind === 'case' ? loadCases() : loadIncidents());
    } catch (err) {
      say(err.message, true);
    }
  });

  function isoOrNull(id) {
    const v = $(id).value;
    return v ? new Date(v).toISOString() : null;
  }

  $('incident-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const i = await api('POST', '/api/compliance/incidents', {
        platform: $('inc-platform').value,
        authorId: $('inc-author').value || null,
        contentId: $('inc-content').value || null,
        from: isoOrNull('inc-from'),
        to: isoOrNull('inc-to'),
        description: $('inc-description').value,
      });
      say('Incident declared: ' + i.frozenRecords + ' record(s) frozen, report due ' + when(i.dueAt) + '.');
      $('incident-form').reset();
      await loadIncidents();
    } catch (err) {
      say(err.message, true);
    }
  });

  $('case-refresh').addEventListener('click', () => loadCases().catch((e) => say(e.message, true)));
  $('case-state').addEventListener('change', () => loadCases().catch((e) => say(e.message, true)));

  async function start() {
    try {
      state.me = await api('GET', '/api/me');
    } catch (e) {
      $('signin').hidden = false;
      return;
    }
    const roles = state.me.roles;
    if (!roles.some((r) => ['compliance', 'auditor', 'admin'].includes(r))) {
      $('signin').hidden = false;
      return;
    }
    state.canAct = roles.includes('compliance'); // the compliance.act policy: compliance officers only
    $('whoami').textContent = state.me.name + ' (' + roles.join(', ') + ')';
    for (const form of document.querySelectorAll('.act-only')) form.hidden = !state.canAct;
    $('desk').hidden = false;
    try {
      await Promise.all([loadCases(), loadIncidents(), loadRequests()]);
      say('Loaded.');
    } catch (e) {
      say(e.message, true);
    }
  }

  start();
})();
