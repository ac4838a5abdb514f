/**
 * Acme Cloud demo console. Plays the roles a real site would: its own server signs identify
 * tokens (here /demo/api/token) and records seminar attendance, and a small panel shows what
 * dashiwake knows about the visitor (/demo/api/visitor/:id) in the visitor's language, with the
 * site's names instead of keys (/demo/api/names), and under each slot which content the visitor
 * sees: the control (the page's own content) or a variant, by name. Runs under a strict CSP with
 * Trusted Types, so it builds DOM nodes instead of writing HTML strings.
 */
(function () {
  'use strict';
  window.dashiwake = window.dashiwake || [];
  /** Queue form before dw.js has loaded, API form after: push works on both. */
  function dw(command) {
    window.dashiwake.push(command);
  }

  /** The visitor's language: Japanese for ja browsers, English for everyone else. */
  var first = (navigator.languages && navigator.languages[0]) || navigator.language || 'ja';
  var LANG = first.toLowerCase().indexOf('ja') === 0 ? 'ja' : 'en';
  var WORDS = {
    ja: {
      visitor: '訪問者 ID',
      member: '会員',
      attributes: '属性',
      score: 'スコア',
      segment: 'セグメント',
      none: 'なし',
      anonymous: '未ログイン',
      loading: 'dw.js を読み込み中…',
      decided: 'スロットを判定しました',
      refreshed: '再判定しました',
      signInSaas: 'SaaS 企業（従業員 120 名）としてログイン',
      signInMfg: '製造業（従業員 300 名）としてログイン',
      signedInSaas: 'SaaS 企業の会員としてログインしました',
      signedInMfg: '製造業の会員としてログインしました',
      signInFailed: 'ログインに失敗しました',
      notLoaded: 'dw.js がまだ読み込まれていません',
      signingIn: 'ログイン中…',
      pricing: '料金ページを見る →',
      seminarSignup: 'DX推進セミナーに申し込む',
      seminarAttend: 'セミナーに参加する（主催者の出席記録）',
      seminarSignedUp: 'セミナーの申し込みを記録しました',
      seminarAttended: 'セミナーへの参加を記録しました',
      refresh: '表示を再判定',
      reset: '訪問者をリセット',
      visitorFailed: '訪問者情報を取得できませんでした',
      download: 'ダウンロードを記録しました',
      sent: '送信を記録しました',
      employees: '{n} 名',
      youSee: '表示中：{what}',
      control: '標準コンテンツ（コントロール）',
      ownContent: '標準コンテンツ（このページ本来の表示）',
      unnamed: '名前のないコンテンツ',
      inExperiment: '{what} — 実験「{name}」',
      tiers: { hot: 'ホットランク', warm: 'ウォームランク', cold: 'コールドランク' },
      snippetMode: 'スニペットモード',
      snippetNote: '/dw.js がブラウザで判定し、スロットを差し替えています。',
      toRewrite: '同じページをエッジ書き換えモードで見る →',
      rewriteMode: 'エッジ書き換えモード',
      rewriteNote: 'サイトのサーバーから届いた HTML を、エッジが出し分けてから配信しました（ちらつき・判定リクエストなし）。',
      rewriteMissed: 'このページはエッジで判定されなかったため、/dw.js がブラウザで判定しました。',
      toUtf8: 'UTF-8 版を見る →',
      toSjis: 'Shift_JIS 版を見る →',
      toSnippet: 'スニペットモードで見る →',
    },
    en: {
      visitor: 'Visitor ID',
      member: 'Member',
      attributes: 'Attributes',
      score: 'Score',
      segment: 'Segment',
      none: 'None',
      anonymous: 'Not signed in',
      loading: 'Loading dw.js…',
      decided: 'Slots decided',
      refreshed: 'Decided again',
      signInSaas: 'Sign in as a SaaS company (120 employees)',
      signInMfg: 'Sign in as a manufacturer (300 employees)',
      signedInSaas: 'Signed in as a member at a SaaS company',
      signedInMfg: 'Signed in as a member at a manufacturer',
      signInFailed: 'Sign-in failed',
      notLoaded: 'dw.js has not loaded yet',
      signingIn: 'Signing in…',
      pricing: 'See the pricing page →',
      seminarSignup: 'Sign up for the DX seminar',
      seminarAttend: 'Attend the seminar (the organizer records it)',
      seminarSignedUp: 'Seminar signup recorded',
      seminarAttended: 'Seminar attendance recorded',
      refresh: 'Decide again',
      reset: 'Reset the visitor',
      visitorFailed: 'Could not read the visitor',
      download: 'Download recorded',
      sent: 'Form sent and recorded',
      employees: '{n} employees',
      youSee: 'You see: {what}',
      control: 'the page’s own content (control)',
      ownContent: 'the page’s own content',
      unnamed: 'content without a name',
      inExperiment: '{what} — experiment “{name}”',
      tiers: { hot: 'Hot tier', warm: 'Warm tier', cold: 'Cold tier' },
      snippetMode: 'Snippet mode',
      snippetNote: '/dw.js decides in the browser and swaps the slots.',
      toRewrite: 'See this page in edge rewrite mode →',
      rewriteMode: 'Edge rewrite mode',
      rewriteNote: 'The HTML from the site’s server was personalized at the edge on its way here (no flicker, no decide request).',
      rewriteMissed: 'The edge did not decide this page, so /dw.js decided it in the browser.',
      toUtf8: 'See the UTF-8 copy →',
      toSjis: 'See the Shift_JIS copy →',
      toSnippet: 'See it in snippet mode →',
    },
  }[LANG];
  /** A word with its {placeholders} filled. */
  function w(key, params) {
    return String(WORDS[key]).replace(/\{(\w+)\}/g, function (m, name) {
      return params && name in params ? String(params[name]) : m;
    });
  }

  /** The site's names (display names, segments, slots, content, experiments); keys until they arrive. */
  var names = { vocabulary: { traits: {} }, segments: [], slots: [], variants: [], experiments: [] };
  var namesLoaded = fetch('/demo/api/names')
    .then(function (res) {
      return res.ok ? res.json() : null;
    })
    .then(function (body) {
      if (body) names = body;
    })
    .catch(function () {});
  function byKey(list, field, key) {
    for (var i = 0; i < list.length; i++) if (list[i][field] === key) return list[i];
    return null;
  }
  /** A {ja, en} label in the visitor's language, else the other one, else the key. */
  function label(entry, key) {
    return (entry && (entry[LANG] || entry[LANG === 'ja' ? 'en' : 'ja'])) || key;
  }
  function segmentName(key) {
    var s = byKey(names.segments, 'key', key);
    return (s && s.name) || key;
  }
  function traitText(key, value) {
    var t = names.vocabulary.traits && names.vocabulary.traits[key];
    var v = t && t.values && t.values[String(value)];
    return label(t, key) + ': ' + label(v, String(value));
  }

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
    var link = function (text, href) {
      return h('a', { href: href }, text);
    };
    if (snippetMode) {
      return h(
        'div',
        { class: 'mode', 'data-mode': 'snippet' },
        h('strong', {}, w('snippetMode')),
        h('span', {}, w('snippetNote')),
        link(w('toRewrite'), '/' + file),
      );
    }
    return h(
      'div',
      { class: 'mode', 'data-mode': 'rewrite' },
      h('strong', {}, w('rewriteMode') + (sjis ? '・Shift_JIS' : '')),
      h('span', {}, decidedAtEdge ? w('rewriteNote') : w('rewriteMissed')),
      link(sjis ? w('toUtf8') : w('toSjis'), (sjis ? '/' : '/sjis/') + file),
      link(w('toSnippet'), '/demo/' + file),
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
    // Rows are one line (the panel must not grow and move the page): the whole value on hover.
    fields[key].setAttribute('title', fields[key].textContent);
  }

  var status;
  function build() {
    var dl = h('dl');
    row(dl, 'visitor', w('visitor'), true);
    row(dl, 'member', w('member'));
    row(dl, 'attributes', w('attributes'));
    row(dl, 'score', w('score'));
    row(dl, 'segment', w('segment'));

    function action(text, onClick) {
      var b = h('button', { type: 'button' }, text);
      b.addEventListener('click', onClick);
      return b;
    }
    status = h('p', { class: 'hint' }, w('loading'));
    var box = h(
      'aside',
      { class: 'dw-console', 'aria-label': 'dashiwake demo console', lang: LANG },
      h(
        'header',
        {},
        h('span', {}, 'dashiwake demo'),
        action('–', function () {
          box.classList.toggle('collapsed');
        }),
      ),
      h(
        'div',
        { class: 'body' },
        modeNote(),
        dl,
        h(
          'div',
          { class: 'actions' },
          action(w('signInSaas'), function () {
            signIn('saas');
          }),
          action(w('signInMfg'), function () {
            signIn('manufacturer');
          }),
          h('a', { href: base + 'pricing.html' }, w('pricing')),
          action(w('seminarSignup'), function () {
            seminar('seminar_signup', w('seminarSignedUp'));
          }),
          action(w('seminarAttend'), function () {
            seminar('seminar_attend', w('seminarAttended'));
          }),
          action(w('refresh'), function () {
            refresh(w('refreshed'));
          }),
          action(w('reset'), reset),
        ),
        status,
      ),
    );
    document.body.appendChild(box);
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  /** The visitor's record as the demo API last read it (segment, experiment arms). */
  var visitorInfo = null;

  /** The snippet's last decide answer on this page, or null (none yet, or decided by the edge). */
  function lastDecision() {
    var out = null;
    var a = api();
    // Runs at once once the page is decided, which is when the panel asks.
    if (a)
      a.ready(function (last) {
        out = last || null;
      });
    return out;
  }

  /** Reads the visitor now and once more shortly (stored writes may land just after the answer). */
  function showVisitorTwice() {
    return showVisitor().then(function () {
      setTimeout(showVisitor, 1500);
    });
  }

  /** Reads the visitor's score panel from the demo API. */
  function showVisitor() {
    var a = api();
    var id = a && a.visitorId();
    set('visitor', id);
    if (!id) return Promise.resolve();
    return Promise.all([fetch('/demo/api/visitor/' + encodeURIComponent(id)), namesLoaded])
      .then(function (r) {
        return r[0].ok ? r[0].json() : null;
      })
      .then(function (v) {
        visitorInfo = v;
        if (!v) {
          set('member', w('anonymous'));
          set('score', 0);
          return showSeen();
        }
        set('member', v.memberId || w('anonymous'));
        var t = v.traits || {};
        var shown = [];
        for (var key in t) {
          var value = key === 'employees' && typeof t[key] === 'number' ? w('employees', { n: t[key] }) : t[key];
          shown.push(key === 'employees' ? label(names.vocabulary.traits.employees, key) + ': ' + value : traitText(key, t[key]));
        }
        set('attributes', shown.join(' / '));
        fields.score.textContent = '';
        fields.score.appendChild(document.createTextNode(v.score + ' '));
        fields.score.appendChild(h('span', { class: 'tier tier-' + v.tier }, WORDS.tiers[v.tier] || v.tier));
        // The edge's last answer to this browser is the freshest word on the segment (the
        // visitor's stored row may trail it by a moment); a page the edge decided has none.
        var last = lastDecision();
        var segment = last && last.slots ? last.segment && last.segment.key : v.segment;
        set('segment', segment ? segmentName(segment) : w('none'));
        return showSeen();
      })
      .catch(function () {
        say(w('visitorFailed'));
      });
  }

  /**
   * What a slot shows: the control (the page's own content in an experiment), a variant by its
   * name, or the page's own content when the segment has none.
   */
  function seenText(variantId, experimentId, arm) {
    var exp = experimentId ? byKey(names.experiments, 'id', experimentId) : null;
    var variant = variantId ? byKey(names.variants, 'id', variantId) : null;
    var what = arm === 'control' ? w('control') : variant ? variant.name || w('unnamed') : w('ownContent');
    return exp ? w('inExperiment', { what: what, name: exp.name || w('unnamed') }) : what;
  }

  /**
   * Per slot: the browser's own decision when it made one (snippet mode, or after a re-decide);
   * otherwise (a page the edge decided) the variant the edge marked on the slot and the arm the
   * visitor is in for the experiment running on that slot and their segment.
   */
  function decisionOf(el, last) {
    var slot = el.getAttribute('data-dw-slot');
    var d = last && last.slots && last.slots[slot];
    if (d) return { variant: d.variant, experiment: d.experiment, arm: d.arm };
    var marked = el.getAttribute('data-dw-decided');
    var variant = marked && marked !== 'default' ? marked : null;
    var segment = visitorInfo && visitorInfo.segment;
    var exposures = (visitorInfo && visitorInfo.exposures) || {};
    for (var i = 0; i < names.experiments.length; i++) {
      var e = names.experiments[i];
      if (e.status === 'running' && e.slot === slot && e.segment === segment && exposures[e.id])
        return { variant: variant, experiment: e.id, arm: exposures[e.id] };
    }
    return { variant: variant, experiment: null, arm: null };
  }

  function showSeen() {
    var a = api();
    if (!a) return;
    a.ready(function (last) {
      var slots = document.querySelectorAll('[data-dw-slot]');
      for (var i = 0; i < slots.length; i++) {
        var el = slots[i];
        var slot = el.getAttribute('data-dw-slot');
        var d = decisionOf(el, last);
        var text = seenText(d.variant, d.experiment, d.arm);
        // A visible line under the slot, outside it (the slot's content is the site's to replace).
        // The pages carry it from the start (no layout shift); one is added where a page has none.
        var line = document.querySelector('[data-dw-seen="' + slot + '"]');
        if (!line) {
          line = h('p', { class: 'dw-seen', 'data-dw-seen': slot });
          el.parentNode.insertBefore(line, el.nextSibling);
        }
        line.setAttribute('lang', LANG);
        line.textContent = w('youSee', { what: text });
        line.setAttribute('data-arm', d.arm || '');
        line.setAttribute('data-variant', d.variant || '');
        line.setAttribute('title', line.textContent);
      }
    });
  }

  function refresh(message) {
    var a = api();
    if (!a) return;
    a.refresh()
      .then(showVisitorTwice)
      .then(function () {
        if (message) say(message);
      });
  }

  function signIn(as) {
    var a = api();
    if (!a) return say(w('notLoaded'));
    say(w('signingIn'));
    fetch('/demo/api/token?as=' + as)
      .then(function (res) {
        return res.json();
      })
      .then(function (body) {
        return a.identify(body.token);
      })
      .then(showVisitorTwice)
      .then(function () {
        say(as === 'saas' ? w('signedInSaas') : w('signedInMfg'));
      })
      .catch(function () {
        say(w('signInFailed'));
      });
  }

  /**
   * A seminar signup (a form on the site) or attendance (recorded by the organizer; a real site
   * would send it from its server with /v1/server/collect), then a re-decide: attending moves the
   * score and may move the visitor to another segment and its content.
   */
  function seminar(type, done) {
    dw(['track', type, { seminar: 'dx' }]);
    setTimeout(function () {
      refresh(done);
    }, 50);
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
    if (link)
      setTimeout(function () {
        refresh(w('download'));
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
      refresh(w('sent'));
    }, 50);
  });

  build();
  dw([
    'ready',
    function () {
      say(w('decided'));
      showVisitor();
    },
  ]);
})();
