/**
 * Builds the admin console (Preact) into the worker's static assets: dist/public/admin,
 * served at /admin (worker/index.ts answers deep links with index.html).
 */
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'admin',
  base: '/admin/',
  plugins: [preact()],
  // The console shares the worker's schemas and pure core (one source of truth) through an alias.
  resolve: { alias: { '@worker': fileURLToPath(new URL('../worker', import.meta.url)) } },
  build: {
    outDir: '../dist/public/admin',
    emptyOutDir: true,
    target: 'es2022',
    // Heavy screens are separate chunks; only the shell counts toward the initial download.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // Each language's words are a chunk of their own, loaded before the first render
        // (admin/src/i18n/catalogue.ts); the `lang-` prefix lets admin/size.mjs count one of them.
        chunkFileNames: (chunk) => {
          const language = /[\\/]i18n[\\/](\w+)[\\/]index\.ts$/.exec(chunk.facadeModuleId ?? '');
          return language ? `assets/lang-${language[1]}-[hash].js` : 'assets/[name]-[hash].js';
        },
      },
    },
  },
});
