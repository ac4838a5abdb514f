/**
 * The preview frames' safety in the console: which sandbox a previewed page gets (an opaque origin
 * when it is served from the console's own origin), and the variant preview's head with the
 * site's stylesheet (escaped into its attribute).
 */
import { describe, expect, it } from 'vitest';
import { frameSandbox } from '../../admin/src/models/previewModel';
import { frameHead } from '../../admin/src/screens/VariantEditScreen';

describe('frameSandbox', () => {
  it.each([
    ['a page on another site keeps its origin', 'https://www.example.jp/', 'https://edge.example.jp', true],
    ['a page on the console’s origin gets an opaque one', 'https://edge.example.jp/demo/', 'https://edge.example.jp', false],
    ['the same host on another port is another origin', 'http://127.0.0.1:9000/', 'http://127.0.0.1:8787', true],
    ['not an address: the strict sandbox', 'not a url', 'https://edge.example.jp', false],
  ])('%s', (_label, url, consoleOrigin, sameOrigin) => {
    const sandbox = frameSandbox(url, consoleOrigin).split(' ');
    expect(sandbox).toContain('allow-scripts');
    expect(sandbox.includes('allow-same-origin')).toBe(sameOrigin);
    expect(sandbox).not.toContain('allow-top-navigation');
  });
});

describe('frameHead', () => {
  it('is the console’s plain style without a site stylesheet', () => {
    expect(frameHead(null)).toBe('<link rel="stylesheet" href="/admin/variant-preview.css">');
  });

  it('adds the site’s stylesheet after it, escaped', () => {
    expect(frameHead('https://www.example.jp/a.css?v=1&x="2"<')).toBe(
      '<link rel="stylesheet" href="/admin/variant-preview.css"><link rel="stylesheet" href="https://www.example.jp/a.css?v=1&amp;x=&quot;2&quot;&lt;">',
    );
  });
});
