// Moderation review page. Post text, titles, author ids and every other value from the API are hostile
// input: they reach the DOM only through textContent / createTextNode, never innerHTML. The server's
// Content-Security-Policy (no inline script) is the second wall.
'use strict';

(() => {
  const { api, el } = window.ModerationPage;
  const $ = (id) => document.getElementById(id);
  const state = { me: null, items: [], index: -1, item: null, taxonomy: [], noteDraft: '' };



  function say(message, isError) {
    const status = $('status');
    status.textContent = message;
    status.classList.toggle('error', Boolean(isError));
  }

  function age(seconds) {
    if (seconds < 60) return seconds + 's';
    const m = Math.floor(seconds / 60);
    if (m < 60) return m + 'm';
    const h = Math.floor(m / 60);
    if (h < 48) return h + 'h ' + (m % 60) + 'm';
    return Math.floor(h / 24) + 'd ' + (h % 24) + 'h';
  }

  function categoryName(code) {
    const c = state.taxonomy.find((t) => t.code === code);
    return c ? code + ' ' + c.en : String(code);
  }

  // What found a hit: a lexicon term (no kind on the hit), or the solicitation detector's contact
  // channel, lure or listed domain. Shown as a label on the mark (CSS ::after, so the post's text is untouched).
  // A bank hit is a near-copy of a content-bank entry; its term names bank, entry and similarity. A context hit
  // is a warning or report cue (骗局, 警惕 …) that lowered the evidence: shown so a moderator sees why.
  const KIND_LABELS = { keyword: 'keyword', contact: 'contact', lure: 'lure', domain: 'domain', bank: 'bank', context: 'context' };
  function hitKind(h) { return KIND_LABELS[h.kind] ? h.kind : 'keyword'; }

  function hitTitle(h) {
    if (hitKind(h) === 'context') return 'context · ' + h.subLabel + ': a post about the offence, evidence lowered';
    return KIND_LABELS[hitKind(h)] + ' · ' + categoryName(h.category) + (h.subLabel ? ' / ' + h.subLabel : '') +
      ', severity ' + h.severity + ', ' + (hitKind(h) === 'keyword' ? 'term ' + h.term : h.term + ' ' + h.matched);
  }

  // Highlights hits from their UTF-16 offsets (JavaScript strings are UTF-16 too, so slice() matches them).
  // Overlapping hits are merged into one mark that names every kind it covers.
  function renderText(container, text, hits) {
    container.replaceChildren();
    const ranges = hits
      .filter((h) => Number.isInteger(h.start) && Number.isInteger(h.end) && h.start >= 0 && h.end <= text.length && h.start < h.end)
      .sort((a, b) => a.start - b.start || b.end - a.end);
    let pos = 0;
    let last = null;
    for (const h of ranges) {
      if (h.start < pos) {
        if (last) {
          if (h.end > pos) {
            last.textContent += text.slice(pos, h.end);
            pos = h.end;
          }
          const kinds = new Set(last.dataset.kind.split(' '));
          kinds.add(hitKind(h));
          last.dataset.kind = Array.from(kinds).join(' ');
          last.dataset.severity = String(Math.max(Number(last.dataset.severity), h.severity));
          last.title += '\n' + hitTitle(h);
        }
        continue;
      }
      if (h.start > pos) container.append(document.createTextNode(text.slice(pos, h.start)));
      last = el('mark', text.slice(h.start, h.end), 'hit');
      last.title = hitTitle(h);
      last.dataset.severity = String(h.severity);
      last.dataset.kind = hitKind(h);
      container.append(last);
      pos = h.end;
    }
    container.append(document.createTextNode(text.slice(pos)));
  }

  function row(table, label, value) {
    const tr = el('tr');
    tr.append(el('th', label), el('td', value));
    table.append(tr);
  }

  function renderItem(item) {
    const pane = $('item');
    // A refresh of the same item (after a claim, a filter, a note) keeps a half-written note.
    const draft = $('note-input');
    state.noteDraft = draft && item && draft.dataset.decisionId === item.decisionId ? draft.value : '';
    pane.replaceChildren();
    if (!item) {
      pane.append(el('p', 'Queue is empty.', 'empty'));
      return;
    }
    const r = item.review;
    const heading = el('h2', item.platform + ' / ' + item.contentId + ' v' + item.version);
    heading.id = 'item-heading';
    pane.append(heading);
    const claim = r.claimedBy ? 'claimed by ' + r.claimedBy + ' until ' + new Date(r.claimExpiresAt).toLocaleTimeString() : 'unclaimed';
    const summary = el('p', 'Status: ' + r.status + ' · ' + claim + ' · in queue ' + age(item.ageSeconds), r.claimedBy ? 'claimed' : '');
    summary.id = 'item-state';
    pane.append(summary);

    const text = el('div');
    text.id = 'item-text';
    renderText(text, item.text, item.hits);
    pane.append(text);

    pane.append(el('h3', 'Why it was held'));
    const cats = el('p', 'Categories: ' + item.categories.map(categoryName).join(', ') + (item.subLabels.length ? ' · sub-labels: ' + item.subLabels.join(', ') : ''));
    cats.id = 'item-categories';
    pane.append(cats);
    const hits = el('table');
    hits.id = 'item-hits';
    const hh = el('tr');
    ['kind', 'term', 'matched', 'category', 'severity', 'offsets'].forEach((h) => hh.append(el('th', h)));
    hits.append(hh);
    for (const h of item.hits) {
      const tr = el('tr');
      tr.dataset.kind = hitKind(h);
      const where = h.start >= 0 ? h.start + '–' + h.end : 'in the post\'s urls';
      [KIND_LABELS[hitKind(h)], h.term, h.matched, h.category + (h.subLabel ? '/' + h.subLabel : ''), h.severity, where].forEach((v) => tr.append(el('td', v)));
      hits.append(tr);
    }
    pane.append(hits);
    const scores = el('table');
    scores.id = 'item-scores';
    for (const s of item.scores) row(scores, s.source + ' ' + categoryName(s.category) + (s.subLabel ? '/' + s.subLabel : ''), s.score.toFixed(3));
    pane.append(scores);
    pane.append(el('p', 'Versions: lexicon ' + item.versions.lexicon + ' · model ' + item.versions.model + ' · policy ' + item.versions.policy));

    pane.append(el('h3', 'Record (clause 1.5; your view is audited)'));
    const rec = el('table');
    rec.id = 'item-record';
    row(rec, 'author', item.record.authorId);
    row(rec, 'source IP', item.record.sourceIp + (item.record.sourcePort ? ':' + item.record.sourcePort : ''));
    row(rec, 'published', new Date(item.record.publishedAt).toISOString());
    row(rec, 'service type', item.serviceType);
    row(rec, 'SHA-256', item.record.contentSha256);
    pane.append(rec);

    pane.append(el('h3', 'Earlier decisions on this author'));
    if (item.previousDecisionsOnAuthor.length === 0) {
      pane.append(el('p', 'none'));
    } else {
      const prev = el('ul');
      for (const p of item.previousDecisionsOnAuthor) {
        prev.append(el('li', new Date(p.decidedAt).toISOString().slice(0, 16) + ' ' + p.contentId + ': ' + p.action +
          ' [' + p.categories.join(',') + ']' + (p.reviewStatus ? ' → ' + p.reviewStatus + (p.reviewedBy ? ' by ' + p.reviewedBy : '') : '')));
      }
      pane.append(prev);
    }
    renderNotes(pane, item);
  }

  // Notes are rows from the API: the author and time go in their own elements, the text in its own, through
  // textContent. A note's text can hold anything ("[time supervisor] Approved", markup): it stays that note's text.
  function renderNotes(pane, item) {
    pane.append(el('h3', 'Notes'));
    const list = el('ol');
    list.id = 'item-notes';
    for (const n of item.review.notes) {
      const li = el('li', null, 'note');
      li.dataset.kind = n.kind;
      const head = el('div', null, 'note-head');
      const imported = n.kind === 'imported';
      head.append(el('span', imported ? 'imported, author unknown' : n.author, imported ? 'note-author unknown' : 'note-author'));
      const when = el('time', new Date(n.writtenAt).toISOString().slice(0, 16).replace('T', ' ') + ' UTC', 'note-time');
      when.dateTime = n.writtenAt;
      head.append(document.createTextNode(' · '), when);
      if (n.kind === 'decision') head.append(el('span', ' · with the decision', 'note-kind'));
      li.append(head, el('p', n.text, 'note-text'));
      list.append(li);
    }
    if (item.review.notes.length === 0) list.append(el('li', 'none', 'empty'));
    pane.append(list);
    if (!mayAnnotate(item)) return;
    const form = el('form');
    form.id = 'note-form';
    const input = el('textarea');
    input.id = 'note-input';
    input.maxLength = 4000;
    input.rows = 3;
    input.placeholder = 'Add a note (you are its author; several lines are fine)';
    input.dataset.decisionId = item.decisionId;
    input.value = state.noteDraft || '';
    const submit = el('button', 'Add note');
    submit.id = 'note-submit';
    submit.type = 'submit';
    form.append(input, submit);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = input.value;
      if (!text.trim()) return;
      api('POST', '/api/items/' + encodeURIComponent(item.decisionId) + '/notes', { text })
        .then(() => { input.value = ''; say('Note added.'); return openItem(); })
        .catch((err) => say(err.message, true));
    });
    pane.append(form);
  }

  // The README's rule: moderators annotate pending items, supervisors and admins escalated ones too; decided items take none.
  function mayAnnotate(item) {
    const roles = state.me ? state.me.roles : [];
    const supervises = roles.includes('supervisor') || roles.includes('admin');
    const acts = supervises || roles.includes('moderator');
    return acts && (item.review.status === 'pending' || (item.review.status === 'escalated' && supervises));
  }

  function renderQueue() {
    const list = $('queue');
    list.replaceChildren();
    state.items.forEach((it, i) => {
      const li = el('li');
      li.dataset.id = it.decisionId;
      li.append(el('span', age(it.ageSeconds), 'age'));
      li.append(el('strong', 'sev ' + it.maxSeverity + ' · [' + it.categories.join(',') + '] '));
      li.append(document.createTextNode(it.platform + '/' + it.contentId + (it.claimedBy ? ' (' + it.claimedBy + ')' : '')));
      li.append(el('span', it.excerpt, 'excerpt'));
      if (i === state.index) li.classList.add('selected');
      li.addEventListener('click', () => select(i));
      list.append(li);
    });
  }

  async function loadQueue() {
    const params = new URLSearchParams({ status: $('f-status').value, sort: $('f-sort').value, limit: '100' });
    if ($('f-category').value) params.set('category', $('f-category').value);
    if ($('f-platform').value.trim()) params.set('platform', $('f-platform').value.trim());
    if ($('f-sublabel').value.trim()) params.set('subLabel', $('f-sublabel').value.trim());
    if ($('f-severity').value) params.set('minSeverity', $('f-severity').value);
    if ($('f-service').value) params.set('serviceType', $('f-service').value);
    if ($('f-minage').value.trim()) params.set('minAge', $('f-minage').value.trim());
    const page = await api('GET', '/api/queue?' + params.toString());
    state.items = page.items;
    if (state.index >= state.items.length) state.index = state.items.length - 1;
    if (state.index < 0 && state.items.length > 0) state.index = 0;
    renderQueue();
    if (state.index >= 0) await openItem(); else { state.item = null; renderItem(null); }
  }

  async function openItem() {
    const it = state.items[state.index];
    if (!it) return;
    state.item = await api('GET', '/api/items/' + encodeURIComponent(it.decisionId));
    renderItem(state.item);
  }

  async function select(i) {
    if (i < 0 || i >= state.items.length) return;
    state.index = i;
    renderQueue();
    const selected = $('queue').children[i];
    if (selected) selected.scrollIntoView({ block: 'nearest' });
    await openItem();
  }

  async function claim() {
    if (!state.item) return;
    const r = await api('POST', '/api/items/' + state.item.decisionId + '/claim');
    say('Claimed until ' + new Date(r.claimExpiresAt).toLocaleTimeString() + '.');
    await openItem();
  }

  function askReason(label) {
    return new Promise((resolve) => {
      const dialog = $('reason-dialog');
      const input = $('reason-input');
      $('reason-label').textContent = label;
      input.value = '';
      const done = (value) => {
        $('reason-form').onsubmit = null;
        $('reason-cancel').onclick = null;
        dialog.onclose = null;
        if (dialog.open) dialog.close();
        resolve(value);
      };
      $('reason-form').onsubmit = (e) => { e.preventDefault(); if (input.value.trim()) done(input.value.trim()); };
      $('reason-cancel').onclick = () => done(null);
      dialog.onclose = () => done(null);
      dialog.showModal();
      input.focus();
    });
  }

  async function decide(action, label) {
    if (!state.item) return;
    const reason = await askReason(label);
    if (!reason) { say('Cancelled.'); return; }
    const r = await api('POST', '/api/items/' + state.item.decisionId + '/decision', { action, reason });
    say(state.item.platform + '/' + state.item.contentId + ' ' + r.status + '.');
    await loadQueue();
  }

  const keys = {
    j: () => select(state.index + 1),
    k: () => select(state.index - 1),
    c: claim,
    y: () => decide('confirm', 'Reason to confirm (takedown + report):'),
    r: () => decide('release', 'Reason to release:'),
    e: () => decide('escalate', 'Reason to escalate to a supervisor:'),
  };

  document.addEventListener('keydown', (e) => {
    if ($('app').hidden || $('reason-dialog').open) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const tag = e.target && e.target.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
    const action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    Promise.resolve(action()).catch((err) => say(err.message, true));
  });

  // Admins only: the live page sessions, each with a button that ends it.
  async function loadSessions() {
    const section = $('sessions');
    const body = $('sessions-rows');
    const sessions = await api('GET', '/api/sessions');
    body.replaceChildren();
    for (const s of sessions) {
      const tr = el('tr');
      tr.dataset.sessionId = s.sessionId;
      tr.dataset.user = s.user;
      [s.user + (s.current ? ' (this session)' : ''), s.roles.join(', '), new Date(s.createdAt).toISOString().slice(0, 16).replace('T', ' '),
        new Date(s.lastSeenAt).toISOString().slice(0, 16).replace('T', ' '), new Date(s.expiresAt).toISOString().slice(0, 16).replace('T', ' '),
        s.clientIp || '', s.userAgent || ''].forEach((v) => tr.append(el('td', v)));
      const cell = el('td');
      const revoke = el('button', 'Revoke', 'revoke');
      revoke.type = 'button';
      revoke.addEventListener('click', () => {
        api('POST', '/api/sessions/' + encodeURIComponent(s.sessionId) + '/revoke')
          .then(() => { say('Session of ' + s.user + ' revoked.'); return s.current ? showLogin() : loadSessions(); })
          .catch((err) => say(err.message, true));
      });
      cell.append(revoke);
      tr.append(cell);
      body.append(tr);
    }
    section.hidden = false;
  }

  async function showApp() {
    $('login').hidden = true;
    $('app').hidden = false;
    $('logout').hidden = false;
    $('whoami').textContent = state.me.name + ' (' + state.me.roles.join(', ') + ')';
    $('banks-link').hidden = !state.me.roles.some((r) => r === 'supervisor' || r === 'admin');
    state.taxonomy = await api('GET', '/api/taxonomy');
    const select = $('f-category');
    select.replaceChildren(el('option', 'all'));
    select.firstChild.value = '';
    for (const c of state.taxonomy) {
      const o = el('option', c.code + ' ' + c.en);
      o.value = String(c.code);
      select.append(o);
    }
    await loadQueue();
    if (state.me.roles.includes('admin')) await loadSessions();
    say('Ready. j/k to move, c to claim.');
  }

  function showLogin() {
    $('app').hidden = true;
    $('sessions').hidden = true;
    $('logout').hidden = true;
    $('whoami').textContent = '';
    $('login').hidden = false;
    $('login-name').focus();
  }

  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      state.me = await api('POST', '/api/auth/login', { name: $('login-name').value, password: $('login-password').value });
      $('login-password').value = '';
      await showApp();
    } catch (err) {
      say(err.message, true);
    }
  });
  $('logout').addEventListener('click', async () => {
    await api('POST', '/api/auth/logout').catch(() => {});
    state.me = null;
    showLogin();
  });
  $('sessions-refresh').addEventListener('click', () => { loadSessions().catch((err) => say(err.message, true)); });
  $('f-apply').addEventListener('click', () => { state.index = 0; loadQueue().catch((err) => say(err.message, true)); });

  api('GET', '/api/me')
    .then((me) => { state.me = me; return showApp(); })
    .catch((err) => { if (err.status === 401) showLogin(); else say(err.message, true); });
})();
