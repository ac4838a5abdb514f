/**
 * Builds the admin console (Preact) into the worker's static assets: dist/public/admin,
 * served at /admin (worker/index.ts answers deep links with index.html).
 */
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'admin',
  base: '/admin/',
  plugins: [preact()],
  build: {
    outDir: '../dist/public/admin',
    emptyOutDir: true,
    target: 'es2022',
    // Heavy screens are separate chunks; only the shell counts toward the initial download.
    modulePreload: { polyfill: false },
  },
});
