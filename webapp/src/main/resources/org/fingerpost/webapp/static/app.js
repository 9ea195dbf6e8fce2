// Fingerpost live-log page: streams /api/tenant/{tenant}/console-stream into #log.
// Rendering is batched per animation frame (bounded work per frame) and text only ever enters the
// DOM as text nodes, so a 50 MB log stays responsive and nothing in it is interpreted as HTML.
'use strict';
(function () {
  var base = document.body.getAttribute('data-base') || '/';
  var logEl = document.getElementById('log');
  var statusEl = document.getElementById('status');
  var followBtn = document.getElementById('follow');
  var downloadEl = document.getElementById('download');

  var FRAME_BUDGET_CHARS = 256 * 1024;   // text rendered per animation frame at most
  var BLOCK_CHARS = 64 * 1024;           // text per block element (keeps layout work local)
  var BOTTOM_SLACK_PX = 40;              // "at the bottom" tolerance for auto-follow
  var RECONNECT_MIN_MS = 1000, RECONNECT_MAX_MS = 30000;
  var FINAL_CODES = { 4000: true, 4011: true, 1008: true, 1009: true };
  // Read protection: a 4000 close whose reason is one of Zuul's auth error names (or 'Authorization
  // error') asks the user for a token instead of ending. The token lives in this tab's sessionStorage
  // and in the websocket's first message only: never in a URL, never in the page's text.
  var AUTH_REASON = /^[A-Za-z]+(Error|Exception)$|^Authorization error$/;
  var TOKEN_KEY = 'fingerpost.token';
  var pageToken = null;     // the token given on this page (also when sessionStorage is unavailable)

  var m = location.pathname.substring(base.length - 1).match(/^\/t\/([^/]+)\/build\/([0-9A-Fa-f]+)\/?$/);
  if (!m) {
    showForm();
    return;
  }
  var tenant = decodeURIComponent(m[1]);
  var uuid = m[2];

  var received = [];        // every text message, for the download
  var receivedChars = 0;    // chars received over all connections (skip these after a reconnect)
  var skip = 0;             // chars of the current connection still to skip
  // UTF-8 bytes of the log received so far: a reconnect asks for the log from there ('offset'), so
  // nothing is lost or repeated. The server only ever sends whole characters, so this is exact unless
  // the log held invalid UTF-8 (shown as U+FFFD): then the page falls back to restreaming from byte 0
  // and skipping the characters it already has.
  var receivedBytes = 0;
  var exactBytes = true;
  var pending = [];         // received text chunks, not rendered yet (a queue: no huge string copies)
  var pendingChars = 0;
  var renderedChars = 0;    // text characters in the page (escape sequences excluded)
  var frameQueued = false;
  var follow = true;
  var block = null, blockChars = 0;
  var ansi = { fg: null, bg: null, b: false, i: false, u: false, carry: '' };
  var attempt = 0;
  var finished = false;

  document.title = uuid.substring(0, 8) + ' \u2013 Fingerpost';
  document.getElementById('title').textContent = tenant + ' / ' + uuid;
  logEl.hidden = false;
  downloadEl.hidden = false;

  function setState(state, text) {
    document.body.setAttribute('data-state', state);
    statusEl.textContent = text;
  }

  function connect() {
    setState(attempt ? 'reconnecting' : 'connecting', attempt ? 'Reconnecting\u2026' : 'Connecting\u2026');
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + base + 'api/tenant/'
      + encodeURIComponent(tenant) + '/console-stream';
    var ws = new WebSocket(url);
    var resume = exactBytes && receivedBytes > 0;
    skip = resume ? 0 : receivedChars;
    ws.onopen = function () {
      var request = { uuid: uuid, logfile: 'console.log' };
      var token = currentToken();
      if (token) request.token = token;
      if (resume) {
        request.offset = receivedBytes;
        logEl.setAttribute('data-resumed-from', String(receivedBytes));
      }
      ws.send(JSON.stringify(request));
      setState('streaming', 'Streaming');
    };
    ws.onmessage = function (ev) {
      attempt = 0;
      var text = ev.data;
      if (skip > 0) {           // a reconnect streams from byte 0 again: drop what we already have
        var n = Math.min(skip, text.length);
        skip -= n;
        text = text.substring(n);
        if (!text) return;
      }
      received.push(text);
      receivedChars += text.length;
      if (text.indexOf('\ufffd') >= 0) exactBytes = false;
      receivedBytes += utf8Length(text);
      pending.push(text);
      pendingChars += text.length;
      schedule();
    };
    ws.onclose = function (ev) {
      if (ev.code === 4000 && AUTH_REASON.test(ev.reason || '')) {
        askForToken(ev.reason);
      } else if (ev.code === 1000 && ev.reason === 'No more data') {
        finished = true;
        afterRender(function () { setState('ended', 'End of log'); });
      } else if (FINAL_CODES[ev.code]) {
        finished = true;
        afterRender(function () { setState('error', ev.reason || ('Closed (' + ev.code + ')')); });
      } else {
        var delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * Math.pow(2, attempt++));
        setState('reconnecting', (ev.reason || 'Connection lost') + ' \u2013 reconnecting in '
          + Math.round(delay / 1000) + ' s');
        setTimeout(connect, delay);
      }
    };
  }

  // The token: the one given on this page, else the one Zuul's web UI keeps for this origin (its
  // OpenID Connect client stores the user as 'oidc.user:<authority>:<client_id>' in session or local
  // storage), if not expired.
  function currentToken() {
    var own = pageToken || storage(window.sessionStorage, TOKEN_KEY);
    if (own) return own;
    var stores = [window.sessionStorage, window.localStorage];
    for (var s = 0; s < stores.length; s++) {
      try {
        for (var i = 0; i < stores[s].length; i++) {
          var key = stores[s].key(i);
          if (key && key.indexOf('oidc.user:') === 0) {
            var user = JSON.parse(stores[s].getItem(key));
            if (user && user.access_token && (!user.expires_at || user.expires_at * 1000 > Date.now())) {
              return user.access_token;
            }
          }
        }
      } catch (e) { /* storage unavailable or not JSON: no token from it */ }
    }
    return null;
  }

  function storage(store, key) {
    try { return store.getItem(key); } catch (e) { return null; }
  }

  function askForToken(reason) {
    var usedOwn = !!(pageToken || storage(window.sessionStorage, TOKEN_KEY));
    pageToken = null;
    var text;
    if (reason === 'MissingAuthError') {
      text = 'Log in to this tenant\'s identity provider and paste your access token.';
    } else if (reason === 'Authorization error') {
      text = 'The token was accepted, but it does not grant access to tenant ' + tenant + '.';
    } else {
      text = 'The token was refused (' + reason + ').';
    }
    if (usedOwn) {
      try { window.sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* ignore */ }
    }
    document.getElementById('login-reason').textContent = text;
    document.getElementById('login').hidden = false;
    logEl.hidden = true;
    setState('auth', reason === 'MissingAuthError' ? 'Token required' : reason);
  }

  document.getElementById('login').addEventListener('submit', function (ev) {
    ev.preventDefault();                 // never a GET with the token in the address
    var input = document.getElementById('token');
    var token = input.value.trim();
    input.value = '';
    if (!token) return;
    pageToken = token;
    try { window.sessionStorage.setItem(TOKEN_KEY, token); } catch (e) { /* kept for this page only */ }
    document.getElementById('login').hidden = true;
    logEl.hidden = false;
    attempt = 0;
    connect();
  });

  function utf8Length(text) {
    var n = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) { n += 4; i++; }
      else n += 3;
    }
    return n;
  }

  function afterRender(fn) {
    if (!pendingChars) { fn(); return; }
    var check = function () { if (pendingChars) requestAnimationFrame(check); else fn(); };
    requestAnimationFrame(check);
  }

  function schedule() {
    if (!frameQueued) {
      frameQueued = true;
      requestAnimationFrame(render);
    }
  }

  function render() {
    frameQueued = false;
    var parts = [], taken = 0;
    while (pending.length && taken < FRAME_BUDGET_CHARS) {
      var head = pending[0];
      if (taken + head.length <= FRAME_BUDGET_CHARS) {
        parts.push(pending.shift());
        taken += head.length;
      } else {
        var n = FRAME_BUDGET_CHARS - taken;
        parts.push(head.substring(0, n));
        pending[0] = head.substring(n);
        taken += n;
      }
    }
    pendingChars -= taken;
    var text = parts.join('');
    // Blocks are block-level, so the browser lays out only the newest one; a block only ever ends
    // after a newline, so no line is split visually.
    while (text) {
      if (!block) {
        block = document.createElement('div');
        block.className = 'blk';
        logEl.appendChild(block);
        blockChars = 0;
      }
      var piece = text;
      if (blockChars + text.length > BLOCK_CHARS) {
        var nl = text.indexOf('\n', Math.max(0, BLOCK_CHARS - blockChars - 1));
        if (nl >= 0) piece = text.substring(0, nl + 1);
      }
      var frag = document.createDocumentFragment();
      appendAnsi(frag, piece);
      block.appendChild(frag);
      blockChars += piece.length;
      text = text.substring(piece.length);
      if (text) block = null;
    }
    logEl.setAttribute('data-chars', String(renderedChars));
    if (follow) logEl.scrollTop = logEl.scrollHeight;
    if (pendingChars) schedule();
  }

  // SGR colours and attributes; other escape sequences are dropped. State carries across chunks.
  function appendAnsi(frag, text) {
    text = ansi.carry + text;
    ansi.carry = '';
    var re = /\x1b\[([0-9;?]*)([A-Za-z])/g, last = 0, mt;
    while ((mt = re.exec(text)) !== null) {
      if (mt.index > last) emit(frag, text.substring(last, mt.index));
      if (mt[2] === 'm') sgr(mt[1]);
      last = re.lastIndex;
    }
    var rest = text.substring(last);
    var esc = rest.lastIndexOf('\x1b');
    if (esc >= 0 && rest.length - esc < 32 && /^\x1b(\[[0-9;?]*)?$/.test(rest.substring(esc))) {
      ansi.carry = rest.substring(esc);   // an escape sequence split across chunks
      rest = rest.substring(0, esc);
    }
    if (rest) emit(frag, rest.replace(/\x1b/g, ''));
  }

  function sgr(params) {
    var p = params === '' ? [0] : params.split(';').map(Number);
    for (var k = 0; k < p.length; k++) {
      var c = p[k];
      if (c === 0) { ansi.fg = ansi.bg = null; ansi.b = ansi.i = ansi.u = false; }
      else if (c === 1) ansi.b = true;
      else if (c === 3) ansi.i = true;
      else if (c === 4) ansi.u = true;
      else if (c === 22) ansi.b = false;
      else if (c === 23) ansi.i = false;
      else if (c === 24) ansi.u = false;
      else if ((c >= 30 && c <= 37) || (c >= 90 && c <= 97)) ansi.fg = c;
      else if (c === 39) ansi.fg = null;
      else if ((c >= 40 && c <= 47) || (c >= 100 && c <= 107)) ansi.bg = c;
      else if (c === 49) ansi.bg = null;
      else if (c === 38 || c === 48) k += (p[k + 1] === 5 ? 2 : 4); // 256/true colour: skipped
    }
  }

  function emit(frag, s) {
    renderedChars += s.length;
    var cls = [];
    if (ansi.fg !== null) cls.push('f' + ansi.fg);
    if (ansi.bg !== null) cls.push('g' + ansi.bg);
    if (ansi.b) cls.push('b');
    if (ansi.i) cls.push('i');
    if (ansi.u) cls.push('u');
    if (!cls.length) {
      frag.appendChild(document.createTextNode(s));
    } else {
      var span = document.createElement('span');
      span.className = cls.join(' ');
      span.textContent = s;
      frag.appendChild(span);
    }
  }

  logEl.addEventListener('scroll', function () {
    var atBottom = logEl.scrollHeight - logEl.scrollTop - logEl.clientHeight <= BOTTOM_SLACK_PX;
    if (atBottom !== follow) {
      follow = atBottom;
      logEl.setAttribute('data-follow', String(follow));
      followBtn.hidden = follow;
    }
  });
  followBtn.addEventListener('click', function () {
    follow = true;
    logEl.setAttribute('data-follow', 'true');
    followBtn.hidden = true;
    logEl.scrollTop = logEl.scrollHeight;
  });
  downloadEl.addEventListener('click', function () {
    var blob = new Blob(received, { type: 'text/plain;charset=utf-8' });
    var href = URL.createObjectURL(blob);
    downloadEl.href = href;
    downloadEl.download = uuid + '.txt';
    setTimeout(function () { URL.revokeObjectURL(href); }, 60000);
  });

  connect();

  function showForm() {
    var form = document.getElementById('open');
    form.hidden = false;
    setState('idle', 'Enter a tenant and a build');
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var t = document.getElementById('tenant').value.trim();
      var u = document.getElementById('uuid').value.trim();
      location.href = base + 't/' + encodeURIComponent(t) + '/build/' + encodeURIComponent(u);
    });
  }
})();
