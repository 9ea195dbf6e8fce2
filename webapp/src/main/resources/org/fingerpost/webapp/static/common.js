// Fingerpost page: what every view shares (paths, status line, tokens, the token form).
'use strict';
window.FP = (function () {
  var body = document.body;
  var root = body.getAttribute('data-root') || '/';      // the servlet context: websocket and API
  var statusEl = document.getElementById('status');
  // Read protection: the token lives in this tab's sessionStorage, the websocket's first message and
  // the Authorization header of REST calls only: never in a URL, never in the page's text.
  var TOKEN_KEY = 'fingerpost.token';
  var pageToken = null;     // the token given on this page (also when sessionStorage is unavailable)
  var onToken = null;

  function setState(state, text) {
    body.setAttribute('data-state', state);
    statusEl.textContent = text;
  }

  function storage(store, key) {
    try { return store.getItem(key); } catch (e) { return null; }
  }

  function remember(store, key, value) {
    try { store.setItem(key, value); } catch (e) { /* storage unavailable: not remembered */ }
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

  // Shows the token form instead of 'hide'; 'then' runs once a token was given.
  function askForToken(reason, tenant, hide, then) {
    var usedOwn = !!(pageToken || storage(window.sessionStorage, TOKEN_KEY));
    pageToken = null;
    var text;
    if (reason === 'MissingAuthError' || reason === 'BearerTokenRequiredError') {
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
    hide.hidden = true;
    onToken = function () { hide.hidden = false; then(); };
    setState('auth', reason === 'MissingAuthError' || reason === 'BearerTokenRequiredError'
      ? 'Token required' : reason);
  }

  document.getElementById('login').addEventListener('submit', function (ev) {
    ev.preventDefault();                 // never a GET with the token in the address
    var input = document.getElementById('token');
    var token = input.value.trim();
    input.value = '';
    if (!token || !onToken) return;
    pageToken = token;
    remember(window.sessionStorage, TOKEN_KEY, token);
    document.getElementById('login').hidden = true;
    var then = onToken;
    onToken = null;
    then();
  });

  // Appends text in one SGR state ('cls': its classes, '' for none) to 'parent', as text only.
  function appendRun(parent, text, cls) {
    if (!cls) {
      parent.appendChild(document.createTextNode(text));
    } else {
      var span = document.createElement('span');
      span.className = cls;
      span.textContent = text;
      parent.appendChild(span);
    }
  }

  return {
    appendRun: appendRun,
    root: root,
    own: root + 'fingerpost/',          // Fingerpost's own pages and API
    setState: setState,
    currentToken: currentToken,
    askForToken: askForToken,
    storage: storage,
    remember: remember
  };
})();
