// Shared by the review, banks and compliance pages: the API call (CSRF header on every change, the server's
// problem details as the error message) and the only way the pages build elements, with text content only.
// Values from the API are hostile input and never reach innerHTML.
'use strict';

window.ModerationPage = (() => {
  const CSRF_HEADER = 'X-Moderation-Csrf';

  // allow404: a 404 answers null instead of throwing (for optional endpoints).
  async function api(method, url, body, allow404) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') headers[CSRF_HEADER] = '1';
    const init = { method, headers, credentials: 'same-origin' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(url, init);
    if (allow404 && res.status === 404) return null;
    const type = res.headers.get('Content-Type') || '';
    const data = type.includes('json') ? await res.json() : null;
    if (!res.ok) {
      let message = (data && (data.detail || data.title)) || res.statusText;
      if (data && data.errors) message += ' ' + Object.values(data.errors).flat().join(' ');
      const error = new Error(message);
      error.status = res.status;
      throw error;
    }
    return data;
  }

  // Builds an element whose content is text only.
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  return Object.freeze({ api, el });
})();
