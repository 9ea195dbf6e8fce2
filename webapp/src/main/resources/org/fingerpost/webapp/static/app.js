// Fingerpost live-log page: routes by address, and streams /api/tenant/{tenant}/console-stream into #log.
// Rendering is batched per animation frame (bounded work per frame) and text only ever enters the
// DOM as text nodes, so a 50 MB log stays responsive and nothing in it is interpreted as HTML.
'use strict';
(function () {
  var logEl = document.getElementById('log');
  var followBtn = document.getElementById('follow');
  var downloadEl = document.getElementById('download');
  var setState = FP.setState;

  var FRAME_BUDGET_CHARS = 256 * 1024;   // text rendered per animation frame at most
  var BLOCK_CHARS = 64 * 1024;           // text per block element (keeps layout work local)
  var BOTTOM_SLACK_PX = 40;              // "at the bottom" tolerance for auto-follow
  var RECONNECT_MIN_MS = 1000, RECONNECT_MAX_MS = 30000;
  // Closes after which reconnecting cannot help: a bad request (4000), a request too big (1009), a build
  // the registry does not know (4011 Build not found). Every other close that is not the log's end
  // (1000 No more data) reconnects from the byte offset with backoff: 1011 Remote error (the upstream
  // was lost and could not be resumed yet), 1008 (this page fell behind), 1001/1006 (the server or the
  // network went away), 4011 Internal streaming error / Build did not start yet.
  var FINAL_CODES = { 4000: true, 1009: true };
  var NOT_FOUND = 'Build not found';
  // Read protection: a 4000 close whose reason is one of Zuul's auth error names (or 'Authorization
  // error') asks the user for a token instead of ending.
  var AUTH_REASON = /^[A-Za-z]+(Error|Exception)$|^Authorization error$/;

  // What to show, from the address relative to the context: a build's log at Fingerpost's path, the
  // old path or Zuul's (/t/{tenant}/stream/{uuid}); a tenant's running builds; else the form.
  var path = location.pathname.substring(FP.root.length);
  var m = path.match(/^(?:fingerpost\/)?t\/([^/]+)\/(?:build|stream)\/([0-9A-Fa-f]+)\/?$/);
  var t = path.match(/^fingerpost\/t\/([^/]+)\/?$/);
  if (t) {
    FP.showBuilds(decodeURIComponent(t[1]));
    return;
  }
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
  var out = null;           // where plain text of the current piece goes (a fragment, or the block)
  var ansi = { fg: null, bg: null, b: false, i: false, u: false, carry: '', cls: '' };
  var lines = FP.Lines(logEl, pauseFollow);
  var attempt = 0;
  var finished = false;

  document.title = uuid.substring(0, 8) + ' \u2013 Fingerpost';
  document.getElementById('title').textContent = tenant + ' / ' + uuid;
  logEl.hidden = false;
  downloadEl.hidden = false;

  function connect() {
    setState(attempt ? 'reconnecting' : 'connecting', attempt ? 'Reconnecting\u2026' : 'Connecting\u2026');
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + FP.root + 'api/tenant/'
      + encodeURIComponent(tenant) + '/console-stream';
    var ws = new WebSocket(url);
    var resume = exactBytes && receivedBytes > 0;
    skip = resume ? 0 : receivedChars;
    ws.onopen = function () {
      var request = { uuid: uuid, logfile: 'console.log' };
      var token = FP.currentToken();
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
      logEl.setAttribute('data-last-close', String(ev.code)); // for tests and for users' devtools
      if (ev.code === 4000 && AUTH_REASON.test(ev.reason || '')) {
        askForToken(ev.reason);
      } else if (ev.code === 1000 && ev.reason === 'No more data') {
        finished = true;
        afterRender(function () { setState('ended', 'End of log'); });
      } else if (ev.code === 4011 && ev.reason === NOT_FOUND && receivedChars > 0) {
        // The build finished and left the registry while this page was reconnecting: no more log
        // can come, but this is not the end the server reported, so it is not shown as one.
        finished = true;
        afterRender(function () { setState('ended', 'Build finished while reconnecting'); });
      } else if (FINAL_CODES[ev.code] || (ev.code === 4011 && ev.reason === NOT_FOUND)) {
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

  function askForToken(reason) {
    FP.askForToken(reason, tenant, logEl, function () {
      attempt = 0;
      connect();
    });
  }

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
        lines.addBlock(block);
        blockChars = 0;
      }
      var piece = text;
      if (blockChars + text.length > BLOCK_CHARS) {
        var nl = text.indexOf('\n', Math.max(0, BLOCK_CHARS - blockChars - 1));
        if (nl >= 0) piece = text.substring(0, nl + 1);
      }
      // Into a fragment, appended once: one DOM insertion per piece, not one per run of colour.
      out = block.fpLines ? block : document.createDocumentFragment();
      appendAnsi(piece);
      if (out !== block) block.appendChild(out);
      blockChars += piece.length;
      text = text.substring(piece.length);
      if (text) block = null;
    }
    logEl.setAttribute('data-chars', String(renderedChars));
    if (follow) logEl.scrollTop = logEl.scrollHeight;
    lines.rendered(taken);
    if (pendingChars) schedule();
  }

  // SGR colours and attributes; other escape sequences are dropped. State carries across chunks.
  function appendAnsi(text) {
    text = ansi.carry + text;
    ansi.carry = '';
    var re = /\x1b\[([0-9;?]*)([A-Za-z])/g, last = 0, mt;
    while ((mt = re.exec(text)) !== null) {
      if (mt.index > last) emit(text.substring(last, mt.index));
      if (mt[2] === 'm') sgr(mt[1]);
      last = re.lastIndex;
    }
    var rest = text.substring(last);
    var esc = rest.lastIndexOf('\x1b');
    if (esc >= 0 && rest.length - esc < 32 && /^\x1b(\[[0-9;?]*)?$/.test(rest.substring(esc))) {
      ansi.carry = rest.substring(esc);   // an escape sequence split across chunks
      rest = rest.substring(0, esc);
    }
    if (rest) emit(rest.replace(/\x1b/g, ''));
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
    var cls = [];
    if (ansi.fg !== null) cls.push('f' + ansi.fg);
    if (ansi.bg !== null) cls.push('g' + ansi.bg);
    if (ansi.b) cls.push('b');
    if (ansi.i) cls.push('i');
    if (ansi.u) cls.push('u');
    ansi.cls = cls.join(' ');
  }

  // Text of one SGR state: as text into a block not numbered yet (the fast path a long log streams
  // through), else into the block's line elements (see lines.js).
  function emit(s) {
    renderedChars += s.length;
    if (!block.fpLines) {
      FP.appendRun(out, s, ansi.cls);
      lines.scan(s);
      return;
    }
    var line = block.fpOpen, start = 0;
    while (start < s.length) {
      if (!line) line = lines.newLine(block);
      var nl = s.indexOf('\n', start);
      var end = nl < 0 ? s.length : nl + 1;
      var run = s.substring(start, end);
      FP.appendRun(line, run, ansi.cls);
      lines.scan(run);
      if (nl >= 0) line = null;
      start = end;
    }
    block.fpOpen = line;
  }

  function pauseFollow() {
    follow = false;
    logEl.setAttribute('data-follow', 'false');
    followBtn.hidden = false;
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
      location.href = FP.own + 't/' + encodeURIComponent(t) + (u ? '/build/' + encodeURIComponent(u) : '/');
    });
  }
})();
