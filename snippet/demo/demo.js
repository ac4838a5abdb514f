/**
 * Acme Cloud demo console. Plays the roles a real site would: its own server signs identify
 * tokens (here /demo/api/token), and a small panel shows what dashiwake knows about the visitor
 * (/demo/api/visitor/:id). Runs under a strict CSP with Trusted Types, so it builds DOM nodes
 * instead of writing HTML strings.
 */
(function () {
  'use strict';
  window.dashiwake = window.dashiwake || [];
  /** Queue form before dw.js has loaded, API form after: push works on both. */
  function dw(command) {
    window.dashiwake.push(command);
  }
  var SEGMENTS = {
    hot_lead: 'ホットリード',
    consideration: '検討段階',
    dormant: '休眠リード',
    info_gathering: '情報収集段階',
    non_target: 'ターゲット外',
  };

  /** Tiny DOM builder: h('dd', {class: 'mono'}, 'text', child…). */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    for (var k in attrs || {}) el.setAttribute(k, attrs[k]);
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c != null) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return el;
  }

  /** The loaded snippet's API (null until /dw.js has run). */
  function api() {
    return window.dashiwake && !Array.isArray(window.dashiwake) ? window.dashiwake : null;
  }

  /**
   * Which mode this page is in. /demo/… pages are served by the edge itself and personalized in
   * the browser by /dw.js (snippet mode). The same pages at / and /sjis/ come from the site's own
   * server (`npm start` runs a small one) through the edge, which personalizes the HTML before it
   * reaches the browser (rewrite mode); the edge marks such a page with <meta name="dw:decided">.
   */
  var path = location.pathname;
  var file = path.split('/').pop() || '';
  var snippetMode = path.indexOf('/demo/') === 0;
  var sjis = path.indexOf('/sjis/') === 0;
  var base = snippetMode ? '/demo/' : sjis ? '/sjis/' : '/';
  var decidedAtEdge = !!document.querySelector('meta[name="dw:decided"]');

  function modeNote() {
    var link = function (label, href) {
      return h('a', { href: href }, label);
    };
    if (snippetMode) {
      return h(
        'div',
        { class: 'mode', 'data-mode': 'snippet' },
        h('strong', {}, 'スニペットモード (snippet mode)'),
        h('span', {}, '/dw.js がブラウザで判定し、スロットを差し替えています。'),
        link('同じページをエッジ書き換えモードで見る →', '/' + file),
      );
    }
    return h(
      'div',
      { class: 'mode', 'data-mode': 'rewrite' },
      h('strong', {}, 'エッジ書き換えモード (edge rewrite mode)' + (sjis ? '・Shift_JIS' : '')),
      h(
        'span',
        {},
        decidedAtEdge
          ? 'サイトのサーバーから届いた HTML を、エッジが出し分けてから配信しました（ちらつき・判定リクエストなし）。'
          : 'このページはエッジで判定されなかったため、/dw.js がブラウザで判定しました。',
      ),
      link(sjis ? 'UTF-8 版を見る →' : 'Shift_JIS 版を見る →', (sjis ? '/' : '/sjis/') + file),
      link('スニペットモードで見る →', '/demo/' + file),
    );
  }

  var fields = {};
  function row(dl, key, label, mono) {
    fields[key] = h('dd', mono ? { class: 'mono' } : {}, '—');
    dl.appendChild(h('dt', {}, label));
    dl.appendChild(fields[key]);
  }
  function set(key, value) {
    fields[key].textContent = value == null || value === '' ? '—' : String(value);
  }

  var status;
  function build() {
    var dl = h('dl');
    row(dl, 'visitor', 'Visitor', true);
    row(dl, 'member', '会員');
    row(dl, 'company', '会社');
    row(dl, 'score', 'スコア');
    row(dl, 'segment', 'セグメント');

    function action(label, onClick) {
      var b = h('button', { type: 'button' }, label);
      b.addEventListener('click', onClick);
      return b;
    }
    status = h('p', { class: 'hint' }, 'dw.js を読み込み中…');
    var box = h(
      'aside',
      { class: 'dw-console', 'aria-label': 'dashiwake demo console' },
      h('header', {}, h('span', {}, 'dashiwake demo'), action('–', function () {
        box.classList.toggle('collapsed');
      })),
      h(
        'div',
        { class: 'body' },
        modeNote(),
        dl,
        h(
          'div',
          { class: 'actions' },
          action('SaaS 企業（従業員 120 名）としてログイン', function () {
            signIn('saas');
          }),
          action('製造業（従業員 300 名）としてログイン', function () {
            signIn('manufacturer');
          }),
          h('a', { href: base + 'pricing.html' }, '料金ページを見る →'),
          action('表示を再判定 (refresh)', function () {
            refresh('再判定しました');
          }),
          action('訪問者をリセット', reset),
        ),
        status,
      ),
    );
    document.body.appendChild(box);
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  /** Reads the visitor's score panel from the demo API. */
  function showVisitor() {
    var a = api();
    var id = a && a.visitorId();
    set('visitor', id);
    if (!id) return Promise.resolve();
    return fetch('/demo/api/visitor/' + encodeURIComponent(id))
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (v) {
        if (!v) {
          set('score', 0);
          return;
        }
        set('member', v.memberId);
        var t = v.traits || {};
        set('company', t.industry ? t.industry + (t.employees ? '・' + t.employees + ' 名' : '') : '');
        fields.score.textContent = '';
        fields.score.appendChild(document.createTextNode(v.score + ' '));
        fields.score.appendChild(h('span', { class: 'tier tier-' + v.tier }, v.tier));
        set('segment', v.segment ? (SEGMENTS[v.segment] || v.segment) + ' (' + v.segment + ')' : 'なし');
      })
      .catch(function () {
        say('訪問者情報を取得できませんでした');
      });
  }

  function refresh(message) {
    var a = api();
    if (!a) return;
    a.refresh().then(showVisitor).then(function () {
      if (message) say(message);
    });
  }

  function signIn(as) {
    var a = api();
    if (!a) return say('dw.js がまだ読み込まれていません');
    say('ログイン中…');
    fetch('/demo/api/token?as=' + as)
      .then(function (res) {
        return res.json();
      })
      .then(function (body) {
        return a.identify(body.token);
      })
      .then(showVisitor)
      .then(function () {
        say(as === 'saas' ? 'SaaS 企業の会員としてログインしました' : '製造業の会員としてログインしました');
      })
      .catch(function () {
        say('ログインに失敗しました');
      });
  }

  function reset() {
    var a = api();
    // As a site does on sign-out: a new visitor id, the old one's queued events dropped. The
    // reload then shows the page as that new, anonymous visitor sees it.
    if (a) a.reset();
    location.reload();
  }

  // A download is tracked by dw.js (capture phase, before this listener); re-deciding right away
  // carries the queued event to the edge and updates the slots.
  document.addEventListener('click', function (e) {
    var link = e.target.closest && e.target.closest('[data-dw-download]');
    if (link) setTimeout(function () {
      refresh('ダウンロードを記録しました');
    }, 50);
  });

  // Forms of the demo (contact, newsletter) report themselves through data attributes.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var type = form.getAttribute('data-demo-event');
    if (!type) return;
    e.preventDefault();
    if (type === 'form_inquiry') dw(['track', 'form_inquiry', { form: form.getAttribute('data-demo-form') || 'contact' }]);
    else dw(['convert', type]);
    var done = form.querySelector('.notice');
    if (done) done.hidden = false;
    setTimeout(function () {
      refresh('送信を記録しました');
    }, 50);
  });

  build();
  dw([
    'ready',
    function () {
      say('スロットを判定しました');
      showVisitor();
    },
  ]);
})();
