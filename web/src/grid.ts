/** Items as a table: key attributes first, then every other attribute on the page, A to Z. */
import { brief, type Item } from './db.js';
import { h } from './dom.js';

export function itemGrid(items: Item[], keys: string[], action?: { label: string; run(item: Item): void }): HTMLElement {
  if (items.length === 0) return h('p', { class: 'muted empty' }, 'No items.');
  const others = [...new Set(items.flatMap((item) => Object.keys(item)))].filter((a) => !keys.includes(a)).sort((a, b) => a.localeCompare(b));
  const columns = [...keys.filter((k) => items.some((item) => k in item)), ...others];
  return h(
    'div',
    { class: 'grid-wrap' },
    h(
      'table',
      { class: 'grid items' },
      h('thead', {}, h('tr', {}, action ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')) : null, ...columns.map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        ...items.map((item) =>
          h(
            'tr',
            {},
            action
              ? h('td', { class: 'row-actions' }, h('button', { type: 'button', class: 'small', 'aria-label': `${action.label} ${keys.map((k) => brief(item[k])).join(' ')}`.trim(), onclick: () => action.run(item) }, action.label))
              : null,
            ...columns.map((c) => h('td', { title: brief(item[c]) }, brief(item[c]))),
          ),
        ),
      ),
    ),
  );
}
