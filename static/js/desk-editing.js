/* The article form keeps what is typed and says who else has it open.
 *
 * - Autosave: the form's content (TinyMCE body, autocomplete choices and
 *   inline rows included) goes to the server a few seconds after the last
 *   change, at most 30 s after the first unsent one, and when the tab is
 *   hidden or closed. A failed request is retried with growing pauses and
 *   the status line says so.
 * - 恢复未保存的内容 / 放弃: the banner fills the form from the autosave or
 *   deletes it; the user still presses 保存.
 * - Leaving with unsaved changes asks first; submitting a form does not.
 * - Presence (change form only): a heartbeat, a leave signal on pagehide,
 *   and the other editors' names as the server words them.
 *
 * Settings, addresses and every word come from #editing-panel's
 * data-config (editing/templatetags/editing.py). Other scripts that save
 * the form without leaving the page dispatch `desk:form-saved` on the
 * document.
 */
'use strict';
(function () {
  const panel = document.getElementById('editing-panel');
  const form = document.getElementById('article_form');
  if (!panel || !form) {
    return;
  }
  const config = JSON.parse(panel.dataset.config);
  const words = config.strings;
  const statusLine = document.getElementById('autosave-status');
  const offerBox = document.getElementById('autosave-offer');
  const presenceBox = document.getElementById('editing-presence');

  const TICK_MS = 2000;
  const IDLE_MS = 5000; // after the last change
  const MAX_WAIT_MS = 30000; // after the first unsent change
  const KEEPALIVE_LIMIT = 60000; // bytes a keepalive request may carry
  const SKIPPED_TYPES = new Set(['submit', 'button', 'reset', 'file', 'image']);
  const MANAGEMENT = /-(TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS)$/;

  function csrfToken() {
    const input = form.querySelector('[name=csrfmiddlewaretoken]');
    return input ? input.value : '';
  }

  function post(url, body, options) {
    return fetch(url, Object.assign({
      method: 'POST',
      credentials: 'same-origin',
      redirect: 'manual',
      headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrfToken()},
      body: body,
    }, options || {}));
  }

  function editorOf(element) {
    if (!window.tinymce || !element.id) {
      return null;
    }
    const editor = window.tinymce.get(element.id);
    return editor && editor.initialized ? editor : null;
  }

  function counted(element) {
    return element.name && !element.disabled && !SKIPPED_TYPES.has(element.type) &&
      element.name !== 'csrfmiddlewaretoken' && !element.name.includes('__prefix__');
  }

  // What each rich-text editor held once it was up: the form as opened
  // (TinyMCE rewrites the textarea's markup, so its own text is no guide).
  const openedContent = {};
  function watchEditor(editor) {
    if (editor.initialized) {
      if (!(editor.id in openedContent)) {
        openedContent[editor.id] = editor.getContent();
      }
    } else {
      editor.on('init', () => {
        openedContent[editor.id] = editor.getContent();
      });
    }
  }
  if (window.tinymce) {
    window.tinymce.get().forEach(watchEditor);
    window.tinymce.on('AddEditor', event => watchEditor(event.editor));
  }

  function selectedOptions(select, opened) {
    if (!opened) {
      return Array.from(select.selectedOptions);
    }
    const chosen = Array.from(select.options).filter(option => option.defaultSelected);
    // A single select with nothing marked shows its first option.
    if (!chosen.length && !select.multiple && select.size <= 1 && select.options.length) {
      return [select.options[0]];
    }
    return chosen;
  }

  // The form as [[name, value], ...] plus the labels of autocomplete
  // choices: as it is now, or (opened) as the page delivered it.
  function serialize(opened) {
    const fields = [];
    const labels = {};
    for (const element of form.elements) {
      if (!counted(element)) {
        continue;
      }
      const name = element.name;
      if (element.type === 'checkbox' || element.type === 'radio') {
        if (opened ? element.defaultChecked : element.checked) {
          fields.push([name, element.value]);
        }
      } else if (element.tagName === 'SELECT') {
        for (const option of selectedOptions(element, opened)) {
          fields.push([name, option.value]);
          if (option.value && element.classList.contains('admin-autocomplete')) {
            labels[name] = labels[name] || {};
            labels[name][option.value] = option.text.slice(0, 300);
          }
        }
      } else if (opened) {
        const first = openedContent[element.id];
        fields.push([name, first === undefined ? element.defaultValue : first]);
      } else {
        const editor = editorOf(element);
        fields.push([name, editor ? editor.getContent() : element.value]);
      }
    }
    return {fields: fields, labels: labels};
  }

  function keyOf(content) {
    return JSON.stringify(content.fields);
  }

  function editorsReady() {
    if (!window.tinymce) {
      return true;
    }
    return Array.from(form.querySelectorAll('textarea.tinymce')).every(
      area => area.closest('.empty-form') || editorOf(area));
  }

  function say(text) {
    if (statusLine) {
      statusLine.textContent = text;
    }
  }

  // State of this tab.
  let ready = false; // the editors are up
  let baseline = null; // the form as last saved, when saved without leaving
  let unsavedOnOpen = config.unsaved; // a refused save came back with text
  let lastKey = null; // the form at the last tick
  let lastChangeAt = 0;
  let firstUnsentAt = 0;
  let sentKey = null; // what the server holds for this tab
  let refusedKey = null; // content the server refused; not retried as is
  let inFlight = null; // AbortController of the request under way
  let failures = 0;
  let retryAt = 0;
  let submitting = false;
  let offerReplaced = false; // a newer autosave replaced the offered one

  function savedKey() {
    return baseline === null ? keyOf(serialize(true)) : baseline;
  }

  function unsaved() {
    if (submitting) {
      return false;
    }
    return unsavedOnOpen || keyOf(serialize()) !== savedKey();
  }

  function scheduleRetry() {
    failures += 1;
    retryAt = Date.now() + Math.min(30000, 2000 * 2 ** (failures - 1));
    say(navigator.onLine === false ? words.offline : words.retrying);
  }

  function send(content, key, keepalive) {
    const body = JSON.stringify(content);
    const size = new TextEncoder().encode(body).length; // UTF-8, as sent
    if (size > config.maxBytes) {
      refusedKey = key;
      say(words.tooLarge);
      return;
    }
    const controller = new AbortController();
    inFlight = controller;
    say(words.saving);
    post(config.urls.autosave, body, {
      signal: controller.signal,
      keepalive: Boolean(keepalive) && size < KEEPALIVE_LIMIT,
    }).then(response => {
      if (response.type === 'opaqueredirect') {
        // The session has ended: the log-in page answered.
        failures += 1;
        retryAt = Date.now() + Math.min(30000, 2000 * 2 ** (failures - 1));
        say(words.loggedOut);
        return null;
      }
      if (response.ok) {
        return response.json().then(data => {
          sentKey = key;
          failures = 0;
          firstUnsentAt = 0;
          if (offerBox) {
            offerReplaced = true;
          }
          say(words.saved.replace('%(time)s', data.time));
        });
      }
      if ([400, 403, 404, 413].includes(response.status)) {
        return response.json().then(data => {
          refusedKey = key;
          say(words.refused + (data.error || ''));
        }, () => scheduleRetry());
      }
      scheduleRetry();
      return null;
    }).catch(error => {
      if (!controller.signal.aborted) {
        scheduleRetry();
      }
      return error;
    }).finally(() => {
      if (inFlight === controller) {
        inFlight = null;
      }
    });
  }

  function tick() {
    if (submitting) {
      return;
    }
    if (!ready) {
      if (!editorsReady()) {
        return;
      }
      ready = true;
      lastKey = keyOf(serialize());
      sentKey = unsavedOnOpen ? null : savedKey();
      if (offerBox) {
        offerBox.hidden = false;
      }
      return;
    }
    const content = serialize();
    const key = keyOf(content);
    const now = Date.now();
    if (key !== lastKey) {
      lastKey = key;
      lastChangeAt = now;
    }
    if (key === sentKey || key === refusedKey) {
      firstUnsentAt = 0;
      return;
    }
    if (!firstUnsentAt) {
      firstUnsentAt = now;
    }
    const due = now - lastChangeAt >= IDLE_MS || now - firstUnsentAt >= MAX_WAIT_MS;
    if (due && !inFlight && now >= retryAt) {
      send(content, key, false);
    }
  }

  // The tab is hidden or closing: send what is unsent now.
  function flush() {
    if (submitting || !ready) {
      return;
    }
    const content = serialize();
    const key = keyOf(content);
    if (key !== sentKey && key !== refusedKey) {
      send(content, key, true);
    }
  }

  // 恢复未保存的内容: fill the form as it was autosaved.
  function restore(offer) {
    const values = new Map();
    for (const [name, value] of offer.fields) {
      if (!values.has(name)) {
        values.set(name, []);
      }
      values.get(name).push(value);
    }
    // Inline rows (bylines, gallery) added since the form was opened.
    for (const [name, list] of values) {
      if (!name.endsWith('-TOTAL_FORMS')) {
        continue;
      }
      const total = form.elements[name];
      const prefix = name.slice(0, -'-TOTAL_FORMS'.length);
      const group = document.getElementById(prefix + '-group');
      const add = group && group.querySelector('.add-row a');
      for (let guard = 0; add && total && +total.value < +list[0] && guard < 100; guard++) {
        add.click();
      }
    }
    for (const element of form.elements) {
      if (!counted(element) || MANAGEMENT.test(element.name) || element.readOnly) {
        continue;
      }
      const saved = values.get(element.name) || [];
      if (element.type === 'checkbox' || element.type === 'radio') {
        element.checked = saved.includes(element.value);
        continue;
      }
      if (!values.has(element.name)) {
        continue;
      }
      if (element.tagName === 'SELECT') {
        const labels = (offer.labels || {})[element.name] || {};
        const present = new Set(Array.from(element.options, option => option.value));
        for (const value of saved) {
          if (!present.has(value) && value) {
            element.add(new Option(labels[value] || value, value));
          }
        }
        for (const option of element.options) {
          option.selected = saved.includes(option.value);
        }
        if (window.django && window.django.jQuery) {
          window.django.jQuery(element).trigger('change');
        }
        continue;
      }
      const value = saved.shift();
      element.value = value;
      const editor = editorOf(element);
      if (editor) {
        editor.setContent(value);
        editor.fire('change');
      }
      element.dispatchEvent(new Event('change', {bubbles: true}));
    }
    unsavedOnOpen = true;
  }

  function closeOffer(message) {
    offerBox.hidden = true;
    offerBox.remove();
    say(message);
  }

  if (offerBox && config.offer) {
    document.getElementById('autosave-restore').addEventListener('click', () => {
      restore(config.offer);
      closeOffer(words.restored);
    });
    document.getElementById('autosave-discard').addEventListener('click', () => {
      if (offerReplaced) {
        // The server already holds newer typing from this tab: keep it.
        closeOffer(words.discarded);
        return;
      }
      post(config.urls.discard, '{}').then(response => {
        if (response.ok) {
          closeOffer(words.discarded);
        } else {
          say(words.discardFailed);
        }
      }, () => say(words.discardFailed));
    });
  }

  // The status line sits in the sticky button row, in reach while typing.
  const buttons = form.querySelector('.submit-row');
  if (statusLine && buttons) {
    buttons.appendChild(statusLine);
  }

  document.addEventListener('submit', event => {
    // Bubbles here after the form's own handlers: one that cancels the
    // submit (to save by fetch, or a failed check) leaves the page as is.
    const target = event.target;
    if (event.defaultPrevented || (target && target.target === '_blank')) {
      return;
    }
    submitting = true;
    if (inFlight) {
      inFlight.abort();
    }
  });
  document.addEventListener('desk:form-saved', () => {
    baseline = keyOf(serialize());
    sentKey = baseline;
    unsavedOnOpen = false;
  });
  window.addEventListener('beforeunload', event => {
    if (unsaved()) {
      event.preventDefault();
      event.returnValue = '';
    }
  });
  window.addEventListener('online', () => {
    retryAt = 0;
    tick();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') {
      flush();
    }
  });
  window.addEventListener('pagehide', flush);
  window.setInterval(tick, TICK_MS);
  tick();

  // Presence: who else has this story's form open.
  if (!config.urls.presence || !presenceBox) {
    return;
  }
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  const tabKey = Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
  const tabBody = JSON.stringify({key: tabKey});
  let pingTimer = null;
  let left = false; // the leave signal went (pagehide then unload: once)

  function showOthers(others) {
    const list = presenceBox.querySelector('ul');
    list.replaceChildren(...others.map(other => {
      const item = document.createElement('li');
      item.textContent = other.text;
      return item;
    }));
    presenceBox.hidden = others.length === 0;
  }

  function ping() {
    left = false;
    window.clearTimeout(pingTimer);
    pingTimer = window.setTimeout(ping, config.ping * 1000);
    post(config.urls.presence, tabBody).then(response => {
      if (response.ok) {
        return response.json().then(data => showOthers(data.others));
      }
      return null;
    }, () => null);
  }

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      ping();
    }
  });
  window.addEventListener('pagehide', () => {
    window.clearTimeout(pingTimer);
    if (!left) {
      left = true;
      post(config.urls.leave, tabBody, {keepalive: true}).catch(() => null);
    }
  });
  window.addEventListener('pageshow', event => {
    if (event.persisted) {
      ping();
    }
  });
  ping();
})();
