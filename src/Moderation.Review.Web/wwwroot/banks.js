// Content banks page. Entry texts, sources, notes and bank names are hostile input (an entry is often a
// copy of an attacker's post): they reach the DOM only through textContent, never innerHTML. The
// server's Content-Security-Policy (no inline script) is the second wall.
'use strict';

(() => {
  const { api, el } = window.ModerationPage;
  const $ = (id) => document.getElementById(id);
  const state = { banks: [] };



  function say(message, isError) {
    $('status').textContent = message;
    $('status').classList.toggle('error', Boolean(isError));
  }

  function button(label, onClick) {
    const b = el('button', label);
    b.type = 'button';
    b.addEventListener('click', () => Promise.resolve(onClick()).catch((err) => say(err.message, true)));
    return b;
  }

  function reason() {
    const r = $('reason').value.trim();
    if (!r) throw new Error('Write a reason first (it goes into the audit log).');
    return r;
  }

  async function loadBanks() {
    const data = await api('GET', '/api/banks');
    state.banks = data.banks;
    $('bank-version').textContent = String(data.version);
    const body = $('banks-table').tBodies[0];
    body.replaceChildren();
    for (const b of data.banks) {
      const tr = el('tr');
      tr.dataset.bank = b.name;
      const name = el('td');
      name.append(button(b.name, () => { $('se-bank').value = b.name; return loadEntries(); }));
      tr.append(name);
      [b.category, b.subLabel || '', b.action, b.threshold, b.enabled ? 'yes' : 'no', b.activeEntries, b.createdBy].forEach((v) => tr.append(el('td', v)));
      const actions = el('td');
      actions.append(b.enabled
        ? button('disable', async () => { await api('POST', '/api/banks/' + encodeURIComponent(b.name) + '/disable', { reason: reason() }); await loadBanks(); say('Bank disabled.'); })
        : button('enable', async () => { await api('POST', '/api/banks/' + encodeURIComponent(b.name) + '/enable', { reason: reason() }); await loadBanks(); say('Bank enabled.'); }));
      tr.append(actions);
      body.append(tr);
    }
    const select = $('se-bank');
    const selected = select.value;
    select.replaceChildren(el('option', 'all'));
    select.firstChild.value = '';
    for (const b of data.banks) {
      const o = el('option', b.name);
      o.value = b.name;
      select.append(o);
    }
    select.value = selected;
  }

  async function loadEntries() {
    const params = new URLSearchParams();
    if ($('se-bank').value) params.set('bank', $('se-bank').value);
    if ($('se-state').value) params.set('state', $('se-state').value);
    if ($('se-q').value) params.set('q', $('se-q').value);
    const entries = await api('GET', '/api/banks/entries?' + params.toString());
    const body = $('entries-table').tBodies[0];
    body.replaceChildren();
    for (const e of entries) {
      const tr = el('tr');
      tr.dataset.entryId = String(e.entryId);
      tr.append(el('td', e.entryId), el('td', e.bank), el('td', e.text, 'entry-text'), el('td', e.source || ''), el('td', e.note || ''),
        el('td', e.origin + (e.decisionId ? ' ' + e.decisionId : '')), el('td', e.addedBy + ' ' + e.addedAt),
        el('td', e.state + (e.endReason ? ' (' + e.endReason + ')' : '')));
      const actions = el('td');
      if (e.state === 'active') {
        actions.append(button('disable', async () => {
          await api('POST', '/api/banks/entries/' + e.entryId + '/disable', { reason: reason() });
          await loadEntries();
          say('Entry ' + e.entryId + ' disabled.');
        }));
      }
      tr.append(actions);
      body.append(tr);
    }
    say(entries.length + ' entries.');
  }

  $('create-bank').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', '/api/banks', {
        name: $('nb-name').value, category: Number($('nb-category').value), subLabel: $('nb-sublabel').value,
        action: $('nb-action').value, threshold: Number($('nb-threshold').value),
      });
      await loadBanks();
      say('Bank created.');
    } catch (err) { say(err.message, true); }
  });
  $('search-entries').addEventListener('submit', (ev) => { ev.preventDefault(); loadEntries().catch((err) => say(err.message, true)); });
  $('add-entry').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const bank = $('se-bank').value;
      if (!bank) throw new Error('Pick a bank in the entries search first.');
      await api('POST', '/api/banks/' + encodeURIComponent(bank) + '/entries', { text: $('ae-text').value, source: $('ae-source').value, note: $('ae-note').value });
      $('ae-text').value = '';
      await loadBanks();
      await loadEntries();
      say('Entry added.');
    } catch (err) { say(err.message, true); }
  });

  api('GET', '/api/me')
    .then(async (me) => {
      $('whoami').textContent = me.name + ' (' + me.roles.join(', ') + ')';
      $('banks-app').hidden = false;
      await loadBanks();
      await loadEntries();
    })
    .catch((err) => say(err.status === 401 ? 'Log in on the review page first.' : err.message, true));
})();
