/**
 * @module
 * Entry point of the admin console: loads the chosen language's words (one chunk), then renders.
 */
import { render } from 'preact';
import { App } from './App';
import { lang, loadLanguage } from './i18n/catalogue';
import './styles.css';

document.documentElement.lang = lang.value;
const root = document.getElementById('app')!;
loadLanguage(lang.value).then(
  () => {
    // Replace the static boot message (render() diffs against, and keeps, existing children).
    root.textContent = '';
    render(<App />, root);
  },
  () => {
    root.textContent =
      'Could not load the console. Check your connection and reload. / 読み込めませんでした。接続を確認して再読み込みしてください。';
  },
);
