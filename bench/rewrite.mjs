/**
 * @module
 * Rewrite mode's cost, in one run against one local origin: time to first byte and to last byte
 * of a page fetched from the origin directly and through the edge (`wrangler dev` with
 * `ORIGIN_URL`), p50/p99, for an anonymous visitor (a new id, decided and stored), a member whose
 * page is personalized, and a stylesheet (passed through); and the edge's memory while it streams
 * pages of 0.1, 1 and 10 MB (workerd's resident set, sampled every 10 ms). Goals: added TTFB p50
 * ≤ 5 ms and p99 ≤ 20 ms over the origin alone; memory flat in page size.
 *
 * Baselines in the same run, so the local runtime's own cost is not charged to rewrite mode: a
 * plain worker that only returns `fetch(origin)` (what any worker in front of the site costs
 * locally), and the edge's `/healthz` (the edge without an origin). Rows with D1 50 ms away
 * (`X-DW-D1-Delay`) show whether the first byte waits for the decision.
 *
 * Two runtimes, both measured in the same interleaved rounds: `wrangler dev` (what `npm start`
 * runs: its ProxyWorker, a second workerd, sits in front of the worker) and workerd directly
 * through Miniflare's API (bench/workerd-direct.mjs: no dev proxy, as in production). Edge and
 * plain worker run the same way in each, so each edge row has its own runtime's baseline.
 * A third edge in workerd directly runs without the writes queue's consumer ("writes consumer
 * elsewhere"): on Cloudflare the consumer is an invocation of its own and D1 is remote, whereas
 * locally both run on the edge's one thread and stall whichever page is in flight.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, get } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort, prepareDatabase, root, startLocalEdge, wranglerEnv } from '../scripts/local-edge.mjs';
import { percentiles } from './load.mjs';
import { startDirectEdge, startDirectPlain } from './workerd-direct.mjs';

const ROUNDS = Number(process.env.BENCH_REWRITE_ROUNDS ?? 300);
/** `BENCH_REWRITE_WRANGLER=0`: only the workerd rows (quicker, for comparing variants of the edge). */
const WITH_WRANGLER = process.env.BENCH_REWRITE_WRANGLER !== '0';
/**
 * `BENCH_REWRITE_BEFORE=<dir>`: another checkout of the repository (e.g. `git archive` of an
 * earlier commit, with `node_modules` linked) whose edge runs beside this one in workerd, for a
 * before/after comparison in one run.
 */
const BEFORE = process.env.BENCH_REWRITE_BEFORE;
const BROWSER = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
};

/** The demo's blog page (a hero slot, `dw:category` blog) and a stylesheet, plus pages of any size. */
function startBenchOrigin() {
  const page = readFileSync(path.join(root, 'snippet/demo/blog.html'));
  const css = readFileSync(path.join(root, 'snippet/demo/demo.css'));
  const [head, rest] = page.toString('utf8').split('<main>');
  const filler = Buffer.from(`<p>${'出し分けのテスト文章です。'.repeat(40)}</p>\n`.repeat(40)); // ~62 KB
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://origin.local');
    if (url.pathname === '/blog.html')
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': page.length }).end(page);
    if (url.pathname === '/demo.css') return res.writeHead(200, { 'content-type': 'text/css', 'content-length': css.length }).end(css);
    if (url.pathname !== '/big') return res.writeHead(404).end();
    // head + hero slot … filler … the cta slot at the very end: the edge must stream the middle.
    const bytes = Number(url.searchParams.get('mb')) * 1024 * 1024;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.write(`${head}<main>${rest.split('</main>')[0]}`);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += filler.length;
        if (!res.write(filler)) return res.once('drain', pump);
      }
      res.end('<div data-dw-slot="cta"><p>default</p></div></main></body></html>');
    };
    pump();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) }),
    ),
  );
}

/**
 * The least a worker in front of the origin can do, under its own `wrangler dev`: forward the
 * request and return the answer untouched. Its time is the local runtime's (wrangler's proxy,
 * workerd, the subrequest), which every worker in front of a site pays here.
 */
async function startPlainWorker(originUrl) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dw-bench-plain-'));
  writeFileSync(
    path.join(dir, 'worker.js'),
    `export default { fetch: (req, env) => fetch(new Request(env.ORIGIN_URL + new URL(req.url).pathname, req)) };\n`,
  );
  writeFileSync(path.join(dir, 'wrangler.toml'), 'name = "plain"\nmain = "worker.js"\ncompatibility_date = "2026-11-01"\n');
  const port = await freePort();
  const child = spawn(
    path.join(root, 'node_modules', '.bin', 'wrangler'),
    ['dev', '--port', String(port), '--ip', '127.0.0.1', '--var', `ORIGIN_URL:${originUrl}`, '--show-interactive-dev-session=false'],
    { cwd: dir, stdio: 'ignore', detached: true, env: wranglerEnv() },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  };
  for (const deadline = Date.now() + 60_000; ; ) {
    try {
      if ((await fetch(`${url}/demo.css`)).ok) return { url, stop };
    } catch {}
    if (Date.now() > deadline) {
      stop();
      throw new Error('the plain worker did not start within 60 s');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
/** Local dev only: where the page's writes go for one request (the edge honours it as /v1/decide does). */
const QUEUED = { 'x-dw-writes': 'queue' };
const INLINE = { 'x-dw-writes': 'inline' };

/** One GET: ms to the first body byte and to the last, as a client reading at full speed sees them. */
function timed(url, headers = {}, keep = false) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    get(url, { headers: { ...BROWSER, ...headers }, agent }, (res) => {
      let first = 0;
      let bytes = 0;
      const chunks = [];
      res.on('data', (chunk) => {
        if (!first) first = performance.now();
        bytes += chunk.length;
        if (keep) chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({
          ttfb: (first || performance.now()) - t0,
          last: performance.now() - t0,
          bytes,
          status: res.statusCode,
          headers: res.headers,
          body: keep ? Buffer.concat(chunks).toString('utf8') : undefined,
        }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Resident memory (KB) of the workerd processes in wrangler's process group. */
function workerdRssKb(pgid) {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid || !stat.includes('(workerd)')) continue;
      total += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {}
  }
  return total;
}

const ms = (n) => `${n.toFixed(1)} ms`;
const mb = (kb) => `${(kb / 1024).toFixed(1)} MB`;

/**
 * Members of info_gathering (SaaS, 120 employees; the blog page's view) on `edgeUrl`, their
 * cookies in turn: one visitor may ask for 120 pages a minute (`RL_VISITOR`; past it the edge
 * serves the page undecided), so the bench's pages are spread over `n` of them.
 */
async function benchMembers(edgeUrl, n) {
  const token = (await (await fetch(`${edgeUrl}/demo/api/token?as=saas`)).json()).token;
  const cookies = [];
  for (let i = 0; i < n; i++) {
    const identified = await fetch(`${edgeUrl}/v1/identify`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ visitorId: `bench-rewrite-visitor-${String(i).padStart(4, '0')}`, token }),
    });
    cookies.push(`dw_vid=${(await identified.json()).visitorId}`);
  }
  const check = await timed(`${edgeUrl}/blog.html`, { cookie: cookies[0] }, true);
  if (!check.body.includes('data-dw-decided="info_gathering_hero"')) throw new Error('the bench page was not personalized');
  let next = 0;
  return { next: () => ({ cookie: cookies[next++ % n] }), cookies };
}

/** Whether a page through the edge was decided (the `<meta>` the edge puts before the first slot). */
const decidedPage = (r) => r.body?.includes('<meta name="dw:decided"');

/** The profile token in a decided page's decision block (what the snippet keeps in `dw_pt`). */
const tokenIn = (html) =>
  /<script type="application\/json" id="dw-decision">(.*?)<\/script>/.exec(html ?? '')?.[1]?.match(/"token":"([^"]+)"/)?.[1];

/** When the profile a token descends from was read from D1 (its `t` claim). */
const readTimeOf = (token) => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')).t;

/**
 * A returning member's browser with the token cookie: each page sends the token of the previous
 * one (as the snippet keeps it). A member's first page has no token, and a chain whose read is
 * more than 60 s old reads again (and hands out a token from the new read): `reads` counts those
 * pages (the token's read time moved), so the table says how many of the row's pages read.
 */
function returningWithToken(edgeUrl, members, extra = {}) {
  const tokens = new Map();
  const run = async () => {
    const { cookie: member } = members.next();
    const token = tokens.get(member);
    const cookie = token ? `${member}; dw_pt=${token}` : member;
    const r = await timed(`${edgeUrl}/blog.html`, { ...extra, ...QUEUED, cookie }, true);
    const next = tokenIn(r.body);
    if (!token || !next || readTimeOf(next) !== readTimeOf(token)) run.reads++;
    tokens.set(member, next);
    return r;
  };
  run.reads = 0;
  return run;
}

/** Members the token rows share (each row of an edge takes every other one, or all of them). */
const TOKEN_MEMBERS = 60;

const CRAWLER = { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' };
const FAR = { 'x-dw-d1-delay': '50' };

/** The rows measured against one edge (and its plain worker), labelled with their runtime. */
function edgeScenarios(runtime, edge, plain, { members, tokenMembers }, { full }) {
  const page = (headers) => timed(`${edge.url}/blog.html`, headers, true);
  const rows = [
    // Any worker in front of the site, locally: the runtime + the subrequest.
    [`${runtime}: page through a plain worker (\`return fetch(origin)\`)`, () => timed(`${plain.url}/blog.html`)],
    // The edge answering by itself: its runtime and router, no origin.
    [`${runtime}: the edge without an origin (\`/healthz\`)`, () => timed(`${edge.url}/healthz`)],
    // The same page and runtime with nothing decided: what any request through the local edge costs.
    [`${runtime}: page through the edge, crawler (passed through)`, () => page(CRAWLER)],
    // Writes queued (DECIDE_WRITES = "queue"): a new id reads nothing.
    [`${runtime}: page through the edge, new visitor (id made, decided, writes queued)`, () => page(QUEUED)],
    [`${runtime}: page through the edge, member (personalized hero), writes queued (1 read)`, () => page({ ...members.next(), ...QUEUED })],
    [`${runtime}: page through the edge, member, returning with the token cookie`, returningWithToken(edge.url, tokenMembers)],
    [`${runtime}: page through the edge, member, writes inline`, () => page({ ...members.next(), ...INLINE })],
  ];
  if (!full) return rows;
  return [
    ...rows,
    // Each D1 call 50 ms away: the head must still come first; only the hero waits (≤ 300 ms).
    [`${runtime}: page through the edge, member, writes queued, D1 50 ms away`, () => page({ ...members.next(), ...QUEUED, ...FAR })],
    [`${runtime}: page through the edge, member with the token cookie, D1 50 ms away`, returningWithToken(edge.url, tokenMembers, FAR)],
    [`${runtime}: page through the edge, member, writes inline, D1 50 ms away`, () => page({ ...members.next(), ...INLINE, ...FAR })],
    [`${runtime}: stylesheet through the edge (passed through)`, () => timed(`${edge.url}/demo.css`, { accept: 'text/css' })],
  ];
}

export async function benchRewrite() {
  const origin = await startBenchOrigin();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dw-bench-rewrite-'));
  const directDir = mkdtempSync(path.join(os.tmpdir(), 'dw-bench-rewrite-direct-'));
  const quietDir = mkdtempSync(path.join(os.tmpdir(), 'dw-bench-rewrite-quiet-'));
  const stops = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    const edge = await startLocalEdge({ persistTo: dir, vars: { ORIGIN_URL: origin.url } });
    stops.push(() => edge.stop());
    const plain = await startPlainWorker(origin.url);
    stops.push(async () => plain.stop());
    // The same edge in workerd without wrangler dev's proxy, over its own copy of the same database.
    prepareDatabase(directDir);
    const direct = await startDirectEdge({ persistTo: directDir, vars: { ORIGIN_URL: origin.url } });
    stops.push(() => direct.stop());
    const directPlain = await startDirectPlain(origin.url);
    stops.push(() => directPlain.stop());
    // The same again with the writes queue's consumer elsewhere, as on Cloudflare: locally the
    // consumer's batches (and D1's SQLite) run on the edge's one thread and stall the page in
    // flight about once a second; these rows show what the edge itself adds.
    prepareDatabase(quietDir);
    const quiet = await startDirectEdge({ persistTo: quietDir, vars: { ORIGIN_URL: origin.url }, consumers: false });
    stops.push(() => quiet.stop());
    let before = null;
    if (BEFORE) {
      const beforeDir = mkdtempSync(path.join(os.tmpdir(), 'dw-bench-rewrite-before-'));
      prepareDatabase(beforeDir);
      const edgeBefore = await startDirectEdge({ persistTo: beforeDir, vars: { ORIGIN_URL: origin.url }, project: BEFORE });
      stops.push(async () => {
        await edgeBefore.stop();
        rmSync(beforeDir, { recursive: true, force: true });
      });
      before = edgeBefore;
    }

    // Enough members that none of them passes its rate limit (120 pages a minute) in the run.
    const membersOf = async (url) => {
      const all = await benchMembers(url, 100 + TOKEN_MEMBERS);
      let i = 0;
      let j = 0;
      const pool = (from, to, at) => ({ next: () => ({ cookie: all.cookies[from + (at() % (to - from))] }) });
      return { members: pool(0, 100, () => i++), tokenMembers: pool(100, 100 + TOKEN_MEMBERS, () => j++), any: { cookie: all.cookies[0] } };
    };
    const memberSet = await membersOf(edge.url);
    const directMembers = await membersOf(direct.url);
    const quietMembers = await membersOf(quiet.url);
    const beforeMembers = before && (await membersOf(before.url));
    const member = memberSet.any;
    const scenarios = [
      ['page, origin directly', () => timed(`${origin.url}/blog.html`)],
      ...edgeScenarios('workerd', direct, directPlain, directMembers, { full: true }),
      ...edgeScenarios('workerd, writes consumer elsewhere', quiet, directPlain, quietMembers, { full: false }),
      ...(before ? edgeScenarios('workerd, before', before, directPlain, beforeMembers, { full: false }) : []),
      ...(WITH_WRANGLER ? edgeScenarios('wrangler dev', edge, plain, memberSet, { full: false }) : []),
      ['stylesheet, origin directly', () => timed(`${origin.url}/demo.css`, { accept: 'text/css' })],
    ];
    const at = (label) => scenarios.findIndex(([l]) => l.startsWith(label));
    const samples = scenarios.map(() => ({ ttfb: [], last: [], decided: 0 }));
    for (let w = 0; w < 20; w++) for (const [, run] of scenarios) await run(); // warm up
    // Each token row's members have had their first page (no token yet: a read) before the rounds.
    for (const [, run] of scenarios) {
      if (!('reads' in run)) continue;
      for (let k = 0; k < TOKEN_MEMBERS; k++) await run();
      run.reads = 0;
    }
    // Interleaved, so the origin, the machine and D1 are in the same state for each.
    for (let i = 0; i < ROUNDS; i++) {
      for (const [j, [, run]] of scenarios.entries()) {
        const r = await run();
        samples[j].ttfb.push(r.ttfb);
        samples[j].last.push(r.last);
        if (decidedPage(r)) samples[j].decided++;
      }
    }
    const latency = {
      title: `Rewrite mode: first and last byte of a page, origin directly vs through the local edge in workerd directly and under wrangler dev (${ROUNDS} interleaved sequential requests each, keep-alive; load average ${os
        .loadavg()
        .map((n) => n.toFixed(1))
        .join(' / ')} at the end)`,
      head: [
        'request',
        'first byte p50',
        'p99',
        'last byte p50',
        'p99',
        'first byte added over the origin, p50 / p99',
        'over the plain worker (same runtime), p50 / p99',
        'pages decided',
      ],
      rows: [],
    };
    const first = (j) => percentiles(samples[j].ttfb);
    const added = (t, base) => `${ms(t.p50 - base.p50)} / ${ms(t.p99 - base.p99)}`;
    const [pageDirect, cssDirect] = [at('page, origin'), at('stylesheet, origin')];
    for (const [j, [name, run]] of scenarios.entries()) {
      // The token rows say how many of their pages read (a first page, or a chain's read past 60 s).
      const label = 'reads' in run ? `${name} (${((100 * run.reads) / ROUNDS).toFixed(0)} % of pages read)` : name;
      const t = first(j);
      const l = percentiles(samples[j].last);
      const css = label.includes('stylesheet');
      const runtime = label.split(':')[0];
      const overOrigin = label.includes('directly') ? '—' : added(t, first(css ? cssDirect : pageDirect));
      const overPlain = label.includes('through the edge') && !css ? added(t, first(at(`${runtime}: page through a plain`))) : '—';
      const decided = label.includes('page through the edge') ? `${((100 * samples[j].decided) / ROUNDS).toFixed(0)} %` : '—';
      latency.rows.push([label, ms(t.p50), ms(t.p99), ms(l.p50), ms(l.p99), overOrigin, overPlain, decided]);
    }

    // Memory while streaming pages of growing size through the edge (a member: both slots decided).
    // A 10 MB page first, so the heap has grown to its working size; each size three times.
    const memory = {
      title: 'Rewrite mode: the edge’s memory while it streams a page (workerd resident set, peak over the request, worst of 3)',
      head: ['page', 'first byte', 'last byte', 'resident before', 'peak − before'],
      rows: [],
    };
    for (let w = 0; w < 2; w++) await timed(`${edge.url}/big?mb=10`, member);
    for (const [who, headers] of [
      ['member, personalized', member],
      ['crawler, passed through', CRAWLER],
    ]) {
      for (const size of [0.1, 1, 10]) {
        let worst = { grew: -Infinity };
        for (let n = 0; n < 3; n++) {
          const before = workerdRssKb(edge.pid);
          let peak = before;
          const timer = setInterval(() => {
            peak = Math.max(peak, workerdRssKb(edge.pid));
          }, 10);
          const r = await timed(`${edge.url}/big?mb=${size}`, headers);
          clearInterval(timer);
          peak = Math.max(peak, workerdRssKb(edge.pid));
          if (peak - before > worst.grew) worst = { grew: peak - before, before, r };
        }
        memory.rows.push([`${size} MB, ${who}`, ms(worst.r.ttfb), ms(worst.r.last), mb(worst.before), mb(worst.grew)]);
      }
    }
    return [latency, memory];
  } finally {
    agent.destroy();
    await stopAll();
    await origin.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(directDir, { recursive: true, force: true });
    rmSync(quietDir, { recursive: true, force: true });
  }
}

// `node bench/rewrite.mjs` prints this section alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const t of await benchRewrite()) {
    console.log(`\n**${t.title}**\n\n| ${t.head.join(' | ')} |\n|${t.head.map(() => '---').join('|')}|`);
    for (const r of t.rows) console.log(`| ${r.join(' | ')} |`);
  }
}
