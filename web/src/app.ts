/** Moving between the playground's views, and its list of tables, for every view to use. */
import { listTables } from './db.js';
import { h, show } from './dom.js';

/** Opens the view at `hash` (`#/t/Shop/items`), or runs the current one again when it is already there. */
export function navigate(hash: string): void {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

/** The table the URL names, if any. */
const currentTable = () => (location.hash.startsWith('#/t/') ? decodeURIComponent(location.hash.split('/')[2] ?? '') : undefined);

/**
 * CreateTable and DeleteTable make no change records, so no watch hears of them: the tabs of the
 * playground tell each other on a channel of their own, and list the tables again.
 */
const tabs = new BroadcastChannel('tidepool-playground:tables');
tabs.onmessage = () => void refreshTables();

/** After this tab created or deleted a table: the other tabs list the tables again (this one does as it navigates). */
export const tablesChanged = () => tabs.postMessage('changed');

/** Lists the tables again, marking the current one. */
export async function refreshTables(): Promise<void> {
  const names = await listTables();
  const current = currentTable();
  show(
    document.querySelector('#tables')!,
    ...names.map((name) => h('li', {}, h('a', { href: `#/t/${encodeURIComponent(name)}/items`, 'aria-current': name === current ? 'page' : undefined }, name))),
    names.length === 0 ? h('li', { class: 'muted' }, 'No tables yet') : null,
  );
}
