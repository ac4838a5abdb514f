/**
 * @module
 * Entry point of the admin console.
 */
import { render } from 'preact';
import { App } from './App';
import { lang } from './models/langModel';
import './styles.css';

document.documentElement.lang = lang.value;
const root = document.getElementById('app')!;
// Replace the static boot message (render() diffs against, and keeps, existing children).
root.textContent = '';
render(<App />, root);
