/**
 * A table's or an index's items, a page at a time, kept live with `db.watch` (a write from this
 * tab or another re-delivers the page); an editor for one item in DynamoDB JSON or plain JSON;
 * import from and export to a JSON file.
 */
import { refreshTables } from './app.js';
import { db, itemText, keyOf, keySchema, parseItem, type Format, type Item, type TableDescription } from './db.js';
import { errorText, field, h, select, show } from './dom.js';
import { itemGrid } from './grid.js';
import { exportTable, importFile } from './transfer.js';

interface Page {
  Items: Item[];
  Count: number;
  ScannedCount: number;
  LastEvaluatedKey?: Item;
}

/** The format the editors and the import/export speak, kept across views and reloads. */
export const format = {
  get: () => (localStorage.getItem('playground:format') as Format | null) ?? 'dynamodb',
  set: (value: Format) => localStorage.setItem('playground:format', value),
};

const formatSelect = (value: string, label: string) =>
  select(
    [
      ['dynamodb', 'DynamoDB JSON'],
      ['plain', 'Plain JSON'],
    ],
    value,
    { 'aria-label': label },
  );

export function itemsView(body: HTMLElement, table: TableDescription): () => void {
  const indexNames = [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].map((i) => i.IndexName);
  const source = select([['', `Table ${table.TableName}`], ...indexNames.map((n): [string, string] => [n, `Index ${n}`])], '', { 'aria-label': 'Browse' });
  const mode = select(['Scan', 'Query'], 'Scan', { 'aria-label': 'Scan or Query' });
  const partition = h('input', { type: 'text', placeholder: 'partition key value', 'aria-label': 'Partition key value', hidden: true, autocomplete: 'off', spellcheck: 'false' });
  const pageSize = select(['10', '25', '50', '100'], '25', { 'aria-label': 'Items per page' });
  const formatChoice = formatSelect(format.get(), 'Item format');
  const browseError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const grid = h('div');
  const pager = h('div', { class: 'pager' });
  const editor = h('section', { class: 'card editor', hidden: true, 'aria-label': 'Item editor' });
  const fileInput = h('input', { type: 'file', accept: '.json,application/json', hidden: true, 'aria-label': 'Import JSON file' });
  const progress = h('progress', { max: 1, value: 0, hidden: true });
  const transferStatus = h('p', { class: 'status', role: 'status' });
  const transferError = h('p', { class: 'field-error', role: 'alert', hidden: true });

  /** ExclusiveStartKey of each page up to the current one. */
  let starts: Array<Item | undefined> = [undefined];
  let unwatch: (() => Promise<void>) | undefined;
  let generation = 0;

  const request = () => {
    const input: Record<string, unknown> = { TableName: table.TableName, Limit: Number(pageSize.value) };
    if (source.value) input.IndexName = source.value;
    if (mode.value === 'Query') {
      const [hash] = keySchema(table, source.value);
      const type = table.AttributeDefinitions.find((a) => a.AttributeName === hash.AttributeName)?.AttributeType ?? 'S';
      input.KeyConditionExpression = '#pk = :pk';
      input.ExpressionAttributeNames = { '#pk': hash.AttributeName };
      input.ExpressionAttributeValues = { ':pk': { [type]: partition.value } };
    }
    const start = starts[starts.length - 1];
    if (start) input.ExclusiveStartKey = start;
    return input;
  };

  const render = (page: Page) => {
    browseError.hidden = true;
    const keys = [...table.KeySchema, ...(source.value ? keySchema(table, source.value) : [])].map((k) => k.AttributeName);
    show(grid, itemGrid(page.Items, [...new Set(keys)], { label: 'Edit', run: (item) => void edit(keyOf(item, table.KeySchema)) }));
    show(
      pager,
      h('button', { type: 'button', disabled: starts.length === 1, onclick: () => go(starts.slice(0, -1)) }, '← Previous'),
      h('span', {}, `Page ${starts.length} · ${page.Count} items`),
      h('button', { type: 'button', disabled: !page.LastEvaluatedKey, onclick: () => go([...starts, page.LastEvaluatedKey]) }, 'Next →'),
    );
  };

  /** Watches the page `starts` ends with: the first result now, and again whenever a write changes it. */
  const go = async (next: Array<Item | undefined>) => {
    starts = next;
    const mine = ++generation;
    const stop = unwatch;
    unwatch = undefined;
    await stop?.();
    if (mode.value === 'Query' && partition.value === '') {
      show(grid, h('p', { class: 'muted empty' }, 'Enter a partition key value to query.'));
      show(pager);
      return;
    }
    try {
      const end = await db.watch(
        request(),
        (output) => mine === generation && render(output as unknown as Page),
        (error) => {
          if (mine !== generation) return;
          browseError.hidden = false;
          browseError.textContent = errorText(error);
          void refreshTables();
        },
      );
      if (mine === generation) unwatch = end;
      else await end();
    } catch (error) {
      browseError.hidden = false;
      browseError.textContent = errorText(error);
    }
  };

  const restart = () => void go([undefined]);
  source.addEventListener('change', restart);
  pageSize.addEventListener('change', restart);
  mode.addEventListener('change', () => {
    partition.hidden = mode.value !== 'Query';
    restart();
  });
  partition.addEventListener('change', restart);
  formatChoice.addEventListener('change', () => format.set(formatChoice.value as Format));

  /** Opens the editor on the item with `key` (fetched whole: an index page may hold only some attributes), or on a new item. */
  async function edit(key?: Item): Promise<void> {
    let item: Item | undefined;
    if (key) {
      const output = (await db.getItem({ TableName: table.TableName, Key: key, ConsistentRead: true })) as { Item?: Item };
      item = output.Item;
    }
    const text = h('textarea', { rows: 14, spellcheck: 'false', class: 'json', 'aria-label': 'Item JSON' });
    const textField = field(key ? 'Item' : 'New item', text, key ? 'Saving puts the whole item (PutItem). Changing a key attribute makes a new item.' : 'Saving puts the item (PutItem) unless one with its key exists.');
    const editorFormat = formatSelect(formatChoice.value, 'Editor format');
    let shown = editorFormat.value as Format;
    const skeleton = Object.fromEntries(table.KeySchema.map((k) => [k.AttributeName, { [table.AttributeDefinitions.find((a) => a.AttributeName === k.AttributeName)?.AttributeType ?? 'S']: '' }]));
    text.value = itemText(item ?? skeleton, shown);
    editorFormat.addEventListener('change', () => {
      try {
        text.value = itemText(parseItem(text.value, shown), editorFormat.value as Format);
        shown = editorFormat.value as Format;
        textField.error();
      } catch (error) {
        editorFormat.value = shown;
        textField.error(error);
      }
    });
    const close = () => {
      editor.hidden = true;
      show(editor);
    };
    const save = async () => {
      textField.error();
      try {
        // A new item must not replace one with its key, as in the DynamoDB console's "Create item".
        const create = key ? {} : { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': table.KeySchema[0].AttributeName } };
        await db.putItem({ TableName: table.TableName, Item: parseItem(text.value, shown), ...create });
        close();
      } catch (error) {
        textField.error(error);
      }
    };
    const remove = async () => {
      textField.error();
      try {
        await db.deleteItem({ TableName: table.TableName, Key: key });
        close();
      } catch (error) {
        textField.error(error);
      }
    };
    const form = h(
      'form',
      {},
      h('div', { class: 'editor-head' }, h('h2', {}, key ? 'Edit item' : 'Add item'), editorFormat),
      textField.element,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, 'Save'),
        h('button', { type: 'button', onclick: close }, 'Cancel'),
        key && item ? h('button', { type: 'button', class: 'danger', onclick: () => void remove() }, 'Delete item') : null,
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void save();
    });
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') close();
      // Ctrl/Cmd+Enter saves from inside the editor.
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void save();
      }
    });
    show(editor, form);
    editor.hidden = false;
    text.focus();
  }

  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (!file) return;
    transferError.hidden = true;
    progress.hidden = false;
    try {
      const count = await importFile(file, table.TableName, formatChoice.value as Format, (done, total) => {
        progress.max = total;
        progress.value = done;
        transferStatus.textContent = `Importing: ${done} of ${total} items`;
      });
      transferStatus.textContent = `Imported ${count} items from ${file.name}`;
    } catch (error) {
      transferError.hidden = false;
      transferError.textContent = errorText(error);
      transferStatus.textContent = '';
    } finally {
      progress.hidden = true;
    }
  });

  const exportButton = h('button', { type: 'button' }, 'Export JSON');
  exportButton.addEventListener('click', async () => {
    transferError.hidden = true;
    exportButton.disabled = true;
    try {
      const count = await exportTable(table.TableName, formatChoice.value as Format);
      transferStatus.textContent = `Exported ${count} items to ${table.TableName}.json`;
    } catch (error) {
      transferError.hidden = false;
      transferError.textContent = errorText(error);
    } finally {
      exportButton.disabled = false;
    }
  });

  show(
    body,
    h(
      'div',
      { class: 'toolbar' },
      h('div', { class: 'row' }, source, mode, partition, pageSize),
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', class: 'primary', onclick: () => void edit() }, '+ Add item'),
        h('button', { type: 'button', onclick: () => fileInput.click() }, 'Import JSON…'),
        exportButton,
        formatChoice,
        fileInput,
      ),
    ),
    h('div', { class: 'transfer' }, progress, transferStatus, transferError),
    editor,
    browseError,
    grid,
    pager,
  );
  restart();
  return () => {
    generation++;
    void unwatch?.();
  };
}
