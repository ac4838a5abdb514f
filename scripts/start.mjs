/**
 * @module
 * `npm start`: build, then serve the local edge at http://localhost:8787 with the demo config.
 */
import { execFileSync } from 'node:child_process';
import { root, startLocalEdge } from './local-edge.mjs';

execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
const edge = await startLocalEdge({ port: Number(process.env.PORT ?? 8787), stdio: 'inherit' });
const url = edge.url.replace('127.0.0.1', 'localhost');
console.log(`\ndashiwake local edge: ${url}
  demo site   ${url}/demo
  admin       ${url}/admin   (token: dev-admin-token)
  snippet     ${url}/dw.js\n`);
const stop = () => edge.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
