/** The first screen: what the playground is and where to start. */
import { h, show } from './dom.js';

export function home(main: HTMLElement): void {
  show(
    main,
    h(
      'section',
      { class: 'hero card' },
      h('h1', {}, 'DynamoDB in a browser tab'),
      h(
        'p',
        {},
        'Create tables, put and query items, and try expressions, indexes and paging against the same API, semantics and error messages as Amazon DynamoDB. ',
        'It all runs here: a Web Worker keeps the data in this browser, in IndexedDB. No account, no network, no server.',
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'primary', onclick: () => document.querySelector<HTMLButtonElement>('#sample')!.click() }, 'Load the sample shop'),
        h('a', { class: 'button', href: '#/create' }, 'Create a table'),
      ),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'What you can do'),
      h(
        'ul',
        {},
        h('li', {}, h('strong', {}, 'Tables: '), 'create from a form or CreateTable JSON, with global and local secondary indexes; read DescribeTable; delete.'),
        h('li', {}, h('strong', {}, 'Items: '), 'browse a table or an index page by page; add, edit and delete items as DynamoDB JSON or plain JSON; import and export JSON files.'),
        h('li', {}, h('strong', {}, 'Operation builder: '), 'Query, Scan, GetItem, PutItem, UpdateItem and DeleteItem, with the exact request shown and ready to copy as AWS SDK v3 code.'),
        h('li', {}, h('strong', {}, 'Offline: '), 'after this visit the playground opens with no network, and installs as an app. Open it in a second tab: changes show in both.'),
      ),
    ),
  );
}
