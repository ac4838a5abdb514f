/**
 * @module
 * `npm start`: build, then serve the local edge at http://localhost:8787 (or `PORT`) with the
 * demo config. Refuses a port another server holds instead of reporting that server as ours.
 */
import { execFileSync } from 'node:child_process';
import { startDemoOrigin } from './demo-origin.mjs';
import { nextFreePort, portInUse, PortInUseError, root, startLocalEdge } from './local-edge.mjs';

const port = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT must be a port number (1-65535), got "${process.env.PORT}". Example: PORT=8788 npm start`);
  process.exit(1);
}
const refuse = (error) => {
  console.error(`\n${error.message}\n`);
  process.exit(1);
};
// Before the build, so a busy port is reported at once.
if (await portInUse(port)) refuse(new PortInUseError(port, await nextFreePort(port + 1)));

execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
// Rewrite mode: the edge in front of ORIGIN_URL, or else of the demo site's own small origin.
const origin = process.env.ORIGIN_URL ? null : await startDemoOrigin();
const originUrl = process.env.ORIGIN_URL || origin.url;
const edge = await startLocalEdge({ port, stdio: 'inherit', vars: { ORIGIN_URL: originUrl } }).catch((error) => {
  if (error instanceof PortInUseError) refuse(error);
  throw error;
});
const url = edge.url.replace('127.0.0.1', 'localhost');
const shiftJis = origin ? `\n  Shift_JIS   ${url}/sjis/   the same pages in Shift_JIS, rewrite mode` : '';
console.log(`\ndashiwake local edge: ${url}
  demo site   ${url}/demo/   snippet mode: /dw.js personalizes in the browser
  same site   ${url}/        rewrite mode: the edge personalizes the HTML of ${origin ? 'the demo origin' : originUrl}${shiftJis}
  admin       ${url}/admin   (token: dev-admin-token)
  snippet     ${url}/dw.js
  demo data   ${port === 8787 ? '' : `PORT=${port} `}npm run demo:traffic\n`);
const stop = () => Promise.all([edge.stop(), origin?.close()]).then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
