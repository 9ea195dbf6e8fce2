// Fingerpost landing page of a tenant: its running builds, from /fingerpost/api/tenant/{t}/builds
// (the web node answers from its watched copy of the registry, so polling costs ZooKeeper nothing),
// polled every POLL_MS; the elapsed times tick every second in between. A row opens the build's log.
'use strict';
FP.showBuilds = function (tenant) {
  var POLL_MS = 5000, TICK_MS = 1000;
  var section = document.getElementById('builds');
  var tbody = document.getElementById('builds-body');
  var note = document.getElementById('builds-note');
  var rows = [];            // {td, elapsed} of the last answer
  var fetchedAt = 0;
  var polls = 0;

  document.title = tenant + ' \u2013 Fingerpost';
  document.getElementById('title').textContent = tenant;
  document.getElementById('builds-tenant').textContent = tenant;
  section.hidden = false;

  function poll() {
    var headers = { Accept: 'application/json' };
    var token = FP.currentToken();
    if (token) headers.Authorization = 'Bearer ' + token;
    fetch(FP.own + 'api/tenant/' + encodeURIComponent(tenant) + '/builds', { headers: headers })
      .then(function (r) {
        if (r.status === 401 || r.status === 403) {
          var m = /error="([^"]*)"/.exec(r.headers.get('WWW-Authenticate') || '');
          FP.askForToken(r.status === 403 ? 'Authorization error' : (m ? m[1] : 'MissingAuthError'), tenant,
            section, poll);
          return null;
        }
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      })
      .then(function (builds) {
        if (!builds) return;      // waiting for a token
        show(builds);
        setTimeout(poll, POLL_MS);
      })
      .catch(function (e) {
        FP.setState('error', 'Cannot list the builds (' + e.message + ') \u2013 retrying');
        setTimeout(poll, POLL_MS);
      });
  }

  function show(builds) {
    fetchedAt = Date.now();
    rows = [];
    var frag = document.createDocumentFragment();
    builds.forEach(function (b) {
      var tr = document.createElement('tr');
      var href = FP.own + 't/' + encodeURIComponent(tenant) + '/build/' + encodeURIComponent(b.uuid);
      tr.setAttribute('data-uuid', b.uuid);
      var link = document.createElement('a');
      link.href = href;
      link.textContent = b.job || b.uuid;
      cell(tr).appendChild(link);
      [b.pipeline, b.project, b.state, b.zone, b.executor].forEach(function (v) {
        cell(tr).textContent = v == null ? '\u2014' : String(v);
      });
      var td = cell(tr);
      td.className = 'elapsed';
      rows.push({ td: td, elapsed: b.elapsed || 0 });
      tr.addEventListener('click', function (ev) {
        if (ev.target !== link) location.href = href;
      });
      frag.appendChild(tr);
    });
    tbody.textContent = '';
    tbody.appendChild(frag);
    tick();
    note.textContent = builds.length ? '' : 'No build is running in this tenant.';
    tbody.setAttribute('data-polls', String(++polls));
    FP.setState('streaming', builds.length + (builds.length === 1 ? ' build' : ' builds'));
  }

  function cell(tr) {
    return tr.appendChild(document.createElement('td'));
  }

  function tick() {
    var extra = Math.floor((Date.now() - fetchedAt) / 1000);
    rows.forEach(function (r) { r.td.textContent = duration(r.elapsed + extra); });
  }

  function duration(s) {
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
    return (h ? h + ':' + (m < 10 ? '0' : '') : '') + m + ':' + (sec < 10 ? '0' : '') + sec;
  }

  FP.setState('connecting', 'Loading\u2026');
  setInterval(tick, TICK_MS);
  poll();
};
