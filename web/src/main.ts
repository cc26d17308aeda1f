/**
 * The playground's page: a list of tables beside one view at a time, chosen by the URL's hash so
 * that a reload or a second tab opens where it was (#/, #/create, #/t/NAME/items|query|details).
 */
import { navigate, refreshTables } from './app.js';
import { db } from './db.js';
import { home } from './home.js';
import { loadSample } from './sample.js';
import { createTableView, tableView, type Tab } from './tables.js';

const main = document.querySelector('main')!;
const sampleButton = document.querySelector<HTMLButtonElement>('#sample')!;

/** What the current view does when another replaces it (ends its watches). */
let leave: (() => void) | undefined;

async function route(): Promise<void> {
  leave?.();
  leave = undefined;
  const [, kind, name, tab] = location.hash.split('/').map(decodeURIComponent);
  void refreshTables();
  if (kind === 'create') createTableView(main);
  else if (kind === 't' && name) leave = await tableView(main, name, (tab as Tab) || 'items');
  else home(main);
}

sampleButton.addEventListener('click', async () => {
  sampleButton.disabled = true;
  try {
    await loadSample();
    navigate('#/t/Shop/query');
  } finally {
    sampleButton.disabled = false;
  }
});

window.addEventListener('hashchange', () => void route());
// Another tab may have created or deleted a table while this one was in the background.
document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && void refreshTables());
void route();

if (import.meta.env.PROD && 'serviceWorker' in navigator) void navigator.serviceWorker.register('./sw.js');

// For the curious, in the devtools console: the playground's database, with DynamoDB's actions.
Object.assign(window, { db });
