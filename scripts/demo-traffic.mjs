/**
 * @module
 * `npm run demo:traffic`: sends simulated visitors through the public API of a running local
 * edge (`npm start`), so the console's members, experiment results and lift pages have data to
 * show. Consideration-stage visitors enter the demo experiment; case_a converts more often than
 * the generic page, case_b about the same. Options: `--visitors N` (default 600), `--edge URL`
 * (default: `EDGE_URL`, else http://localhost:$PORT as `npm start` uses it, else port 8787).
 * Then two months of back-dated member history and the segment history rebuilt from it.
 */
import { createHmac, randomUUID } from 'node:crypto';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const EDGE = arg('edge', process.env.EDGE_URL || `http://localhost:${process.env.PORT || 8787}`).replace(/\/+$/, '');
const VISITORS = Number(arg('visitors', 600));
const SECRET = process.env.IDENTIFY_SECRET ?? 'dev-identify-secret';
/** Goal (form_inquiry) rate per arm after exposure. */
const CONVERSION = { control: 0.05, case_a: 0.09, case_b: 0.055 };

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
function identifyToken(sub, traits) {
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, traits, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600 })}`;
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
}

const post = async (path, body) => {
  const init = { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) };
  const res = await fetch(`${EDGE}${path}`, init).catch(() => {
    console.error(`No edge answers at ${EDGE}: run \`npm start\` first, or point here with --edge URL or PORT=…`);
    process.exit(1);
  });
  if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  return res.json();
};
const ev = (type, props = {}) => ({ id: randomUUID(), type, props });

const PROFILES = [
  {
    share: 0.6,
    traits: { industry: 'SaaS', employees: 120 },
    events: [ev('download', { asset: '/demo/files/case-study.pdf', kind: 'case_study' })],
  },
  {
    share: 0.1,
    traits: { industry: 'IT', employees: 300 },
    events: [ev('page_view', { category: 'pricing' }), ev('download', { asset: '/demo/files/whitepaper.pdf', kind: 'whitepaper' })],
  },
  { share: 0.15, traits: { industry: 'IT', employees: 80 }, events: [ev('page_view', { category: 'blog' })] },
  { share: 0.15, traits: { industry: 'Manufacturing', employees: 500 }, events: [ev('page_view')] },
];

async function visit(n) {
  const firstId = `demo-traffic-${Date.now().toString(36)}-${n}`.padEnd(20, '0');
  let r = Math.random();
  const profile = PROFILES.find((p) => (r -= p.share) < 0) ?? PROFILES[0];
  await post('/v1/collect', { visitorId: firstId, events: profile.events.map((e) => ({ ...e, id: randomUUID() })) });
  // Identify rotates the visitor id; the browser carries on with the new one.
  const { visitorId } = await post('/v1/identify', { visitorId: firstId, token: identifyToken(`demo-member-${n}`, profile.traits) });
  const decided = await post('/v1/decide', { visitorId, slots: ['hero', 'cta'], events: [ev('page_view')] });
  const arm = decided.slots.hero?.arm;
  if (arm && Math.random() < CONVERSION[arm]) await post('/v1/collect', { visitorId, events: [ev('form_inquiry', { form: 'contact' })] });
  return arm;
}

const arms = {};
for (let n = 0; n < VISITORS; n += 10) {
  const batch = await Promise.all(Array.from({ length: Math.min(10, VISITORS - n) }, (_, i) => visit(n + i)));
  for (const a of batch) if (a) arms[a] = (arms[a] ?? 0) + 1;
}
console.log(`sent ${VISITORS} visitors to ${EDGE}; experiment arms entered: ${JSON.stringify(arms)}`);

// Two months of history for the members (their CRM/server events, back-dated), then the daily
// segment counts rebuilt from it, so the segment history and the overview have a story: some
// members log in less and less (seed 003's churn sign), some look at pricing more and more.
const SERVER_KEY = process.env.SERVER_API_KEY ?? 'dev-server-key';
const ADMIN_TOKEN = process.env.ADMIN_TOKEN ?? 'dev-admin-token';
const DAY = 86_400_000;
const authed = (key) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });
async function history(n) {
  const kind = n % 3;
  const events = [];
  for (let d = 60; d >= 1; d--) {
    const at = new Date(Date.now() - d * DAY - Math.floor(Math.random() * 8) * 3_600_000).toISOString();
    // 0: logins fading out; 1: pricing interest growing; 2: steady readers.
    const chance = kind === 0 ? (d > 30 ? 0.5 : 0.1) : kind === 1 ? (d > 30 ? 0.05 : 0.35) : 0.2;
    if (Math.random() < chance)
      events.push({
        id: randomUUID(),
        at,
        ...(kind === 0 ? { type: 'login' } : { type: 'page_view', props: { category: kind === 1 ? 'pricing' : 'blog' } }),
      });
  }
  if (!events.length) return;
  const res = await fetch(`${EDGE}/v1/server/collect`, {
    method: 'POST',
    headers: authed(SERVER_KEY),
    body: JSON.stringify({ memberId: `demo-member-${n}`, events }),
  });
  if (!res.ok) throw new Error(`/v1/server/collect → ${res.status} ${await res.text()}`);
}
for (let n = 0; n < VISITORS; n += 5) await Promise.all(Array.from({ length: Math.min(5, VISITORS - n) }, (_, i) => history(n + i)));
const backfill = await fetch(`${EDGE}/api/segment-history/backfill`, {
  method: 'POST',
  headers: authed(ADMIN_TOKEN),
  body: JSON.stringify({ days: 60 }),
});
console.log(
  backfill.ok
    ? `segment history: the last 60 days rebuilt (${JSON.stringify(await backfill.json())})`
    : `segment history not rebuilt: ${backfill.status}`,
);
console.log(`see ${EDGE}/admin/home, ${EDGE}/admin/experiments/exp_consideration_hero/results and ${EDGE}/admin/lift`);
