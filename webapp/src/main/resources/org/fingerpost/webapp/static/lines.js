// Fingerpost live log: numbered lines, permalinks (#L120, #L120-L130), wrap, first error.
//
// Cost: a 50 MB log has some 650,000 lines, too many elements to create while it streams in. Blocks
// are therefore rendered as plain text first (app.js) and numbered lazily: the blocks within a screen
// of the view are turned into one element per line once no text was rendered for QUIET_MS and the
// text is not coming in fast (over FAST_CHARS in a second or two: a burst), at most NUMBER_PER_FRAME
// blocks a frame, found only then (nothing is observed or measured per frame); a block a permalink
// points into is numbered at once. A line's number is its data-n attribute, drawn by CSS in #log's
// left padding: it is never text, so the log's text stays exactly the log, and a block lays out the
// same numbered or not.
'use strict';
FP.Lines = function (logEl, onJump) {
  var ERROR_RE = /FAILED!|fatal:|ERROR/;   // what Zuul's console marks as failures
  var MAX_HIGHLIGHT = 10000;               // lines highlighted at most (a larger range is cut)
  var NUMBER_PER_FRAME = 4;                // blocks numbered per animation frame at most
  var QUIET_MS = 300;                      // no text rendered for this long: numbering may run
  var RATE_WINDOW_MS = 1000, FAST_CHARS = 64 * 1024; // more text than this in 1-2 s: a burst, no numbering
  var WRAP_KEY = 'fingerpost.wrap', AUTO_ERROR_KEY = 'fingerpost.firstError';
  var firstErrorBtn = document.getElementById('first-error');
  var autoError = document.getElementById('auto-error');
  var wrapBtn = document.getElementById('wrap');
  var blocks = [];          // {el, first}: the number of the first line of each block, in order
  var count = 0;            // complete lines so far (the line being received is count + 1)
  var lineText = '';        // text of the line being received, while no error was found yet
  var firstError = 0;
  var sel = null;           // {from, to} of the highlighted range
  var scrollPending = false; // scroll to sel.from once that line is there
  var anchor = 0;           // the line a shift-click extends from
  var highlighted = [];
  var numberQueued = false;
  var lastRendered = 0;     // when text was last rendered (numbering waits for a quiet moment)
  var windowStart = 0, windowChars = 0, lastWindowChars = 0;   // text rendered lately

  // A new block starts with the next line.
  function addBlock(el) {
    blocks.push({ el: el, first: count + 1 });
    el.fpIndex = blocks.length - 1;
  }

  // Counts the lines of rendered text and looks for the first error in them: line by line only when
  // the text (with the start of its line) matches at all, so a log without errors costs one regular
  // expression per run of text, not one per line.
  function scan(s) {
    var i = 0, nl;
    if (!firstError && ERROR_RE.test(lineText + s)) {
      while ((nl = s.indexOf('\n', i)) >= 0 && !firstError) {
        if (ERROR_RE.test(lineText + s.substring(i, nl))) foundError(count + 1);
        lineText = '';
        count++;
        i = nl + 1;
      }
    }
    var last = i - 1;
    while ((nl = s.indexOf('\n', i)) >= 0) {
      count++;
      last = nl;
      i = nl + 1;
    }
    if (!firstError) lineText = last >= 0 ? s.substring(last + 1) : lineText + s;
  }

  // A line element for the next line of a numbered block.
  function newLine(block) {
    var el = lineEl(count + 1);
    block.appendChild(el);
    return el;
  }

  function lineEl(n) {
    var el = document.createElement('span');
    el.className = 'l';
    el.setAttribute('data-n', String(n));
    if (sel && n >= sel.from && n <= sel.to && highlighted.length < MAX_HIGHLIGHT) mark(el);
    return el;
  }

  // Turns a block's text into one element per line; the runs of colour are split at line ends.
  function number(block) {
    if (block.fpLines) return;
    var n = blocks[block.fpIndex].first, line = null;
    var frag = document.createDocumentFragment();
    var nodes = Array.prototype.slice.call(block.childNodes);
    for (var k = 0; k < nodes.length; k++) {
      var text = nodes[k].textContent, cls = nodes[k].nodeType === 1 ? nodes[k].className : '', i = 0;
      while (i < text.length) {
        if (!line) line = frag.appendChild(lineEl(n++));
        var nl = text.indexOf('\n', i), end = nl < 0 ? text.length : nl + 1;
        FP.appendRun(line, text.substring(i, end), cls);
        if (nl >= 0) line = null;
        i = end;
      }
    }
    block.textContent = '';
    block.appendChild(frag);
    block.fpLines = true;
    block.fpOpen = line;    // the last line, if its end has not arrived yet
  }

  function queueNumbering() {
    if (!numberQueued) {
      numberQueued = true;
      setTimeout(function () { requestAnimationFrame(numberNear); }, QUIET_MS);
    }
  }

  // Numbers the blocks within a screen of the view, once no text was rendered for QUIET_MS. Found
  // by a binary search on the blocks' offsets, at that quiet moment only: nothing is watched or
  // measured per frame while a log streams in.
  function numberNear() {
    numberQueued = false;
    var now = performance.now();
    if (now - lastRendered < QUIET_MS || streamingFast(now)) {   // text is streaming in: later
      queueNumbering();
      return;
    }
    if (!blocks.length || logEl.hidden) return;
    var top = logEl.scrollTop - logEl.clientHeight, bottom = logEl.scrollTop + 2 * logEl.clientHeight;
    var lo = 0, hi = blocks.length - 1;
    while (lo < hi) {             // the first block that ends below 'top'
      var mid = (lo + hi) >> 1, b = blocks[mid].el;
      if (b.offsetTop + b.offsetHeight <= top) lo = mid + 1; else hi = mid;
    }
    var done = 0;
    for (var i = lo; i < blocks.length && blocks[i].el.offsetTop < bottom; i++) {
      if (blocks[i].el.fpLines) continue;
      if (done++ === NUMBER_PER_FRAME) {
        queueNumbering();
        return;
      }
      number(blocks[i].el);
    }
  }

  function line(n) {
    if (n > count + 1) return null;   // not arrived yet
    var lo = 0, hi = blocks.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (blocks[mid].first <= n) lo = mid + 1; else hi = mid - 1;
    }
    if (hi < 0) return null;
    number(blocks[hi].el);
    return blocks[hi].el.children[n - blocks[hi].first] || null;
  }

  function mark(el) {
    el.classList.add('hl');
    highlighted.push(el);
  }

  // Highlights from..to, scrolls to 'from' (now, or once it arrives) and puts the range in the address.
  function select(from, to, scroll) {
    if (to < from) { var t = from; from = to; to = t; }
    highlighted.forEach(function (el) { el.classList.remove('hl'); });
    highlighted = [];
    sel = { from: from, to: to };
    for (var n = from; n <= to && highlighted.length < MAX_HIGHLIGHT; n++) {
      var el = line(n);
      if (!el) break;
      mark(el);
    }
    history.replaceState(null, '', '#L' + from + (to > from ? '-L' + to : ''));
    logEl.setAttribute('data-selected', from + '-' + to);
    scrollPending = scroll;
    reveal();
  }

  function reveal() {
    var el = scrollPending && line(sel.from);
    if (!el) return;
    scrollPending = false;
    onJump();
    el.scrollIntoView({ block: 'center' });
  }

  function fromHash() {
    var m = /^#L(\d+)(?:-L(\d+))?$/.exec(location.hash);
    if (m) select(+m[1], m[2] ? +m[2] : +m[1], true);
  }

  function foundError(n) {
    firstError = n;
    firstErrorBtn.disabled = false;
    firstErrorBtn.setAttribute('data-line', String(n));
  }

  // Whether the text came in fast lately (a long log arriving): lines made then would cost more
  // than the frames they are made in, over and over; numbering waits for the burst to end.
  function streamingFast(now) {
    if (now - windowStart >= 2 * RATE_WINDOW_MS) return false;
    return windowChars + (now - windowStart < RATE_WINDOW_MS ? lastWindowChars : 0) > FAST_CHARS;
  }

  // After each frame that rendered 'chars' characters: pending jumps are done; numbering waits for
  // a quiet moment.
  function rendered(chars) {
    var now = performance.now();
    if (now - windowStart >= RATE_WINDOW_MS) {
      lastWindowChars = now - windowStart < 2 * RATE_WINDOW_MS ? windowChars : 0;
      windowChars = 0;
      windowStart = now;
    }
    windowChars += chars;
    lastRendered = now;
    queueNumbering();
    if (firstError && firstError <= count && autoError.checked && !sel) select(firstError, firstError, true);
    if (scrollPending) reveal();
  }

  // A click on a line's number (left of the text, in #log's padding) selects it; shift-click a range.
  logEl.addEventListener('click', function (ev) {
    var el = ev.target.closest ? ev.target.closest('.l') : null;
    var textLeft = logEl.getBoundingClientRect().left + parseFloat(getComputedStyle(logEl).paddingLeft)
      - logEl.scrollLeft;
    if (!el || ev.clientX >= textLeft) return;
    var n = +el.getAttribute('data-n');
    if (ev.shiftKey && anchor) {
      select(anchor, n, false);
    } else {
      anchor = n;
      select(n, n, false);
    }
    ev.preventDefault();
  });

  function setWrap(on) {
    document.body.classList.toggle('nowrap', !on);
    wrapBtn.setAttribute('aria-pressed', String(on));
    wrapBtn.textContent = on ? 'Wrap: on' : 'Wrap: off';
  }

  wrapBtn.addEventListener('click', function () {
    var on = wrapBtn.getAttribute('aria-pressed') !== 'true';
    setWrap(on);
    FP.remember(window.localStorage, WRAP_KEY, on ? 'on' : 'off');
  });
  firstErrorBtn.addEventListener('click', function () {
    if (firstError) select(firstError, firstError, true);
  });
  autoError.addEventListener('change', function () {
    FP.remember(window.localStorage, AUTO_ERROR_KEY, autoError.checked ? 'on' : 'off');
  });
  window.addEventListener('hashchange', fromHash);
  logEl.addEventListener('scroll', queueNumbering, { passive: true });

  setWrap(FP.storage(window.localStorage, WRAP_KEY) !== 'off');
  autoError.checked = FP.storage(window.localStorage, AUTO_ERROR_KEY) === 'on';
  document.getElementById('tools').hidden = false;
  fromHash();

  return { addBlock: addBlock, scan: scan, newLine: newLine, rendered: rendered };
};
