/** Creating a table (from a form or from CreateTable JSON), describing one, and deleting one. */
import { db, describe, type TableDescription } from './db.js';
import { codeBlock, errorText, field, h, select, show } from './dom.js';
import { itemsView } from './items.js';
import { builderView } from './builder.js';
import { navigate, tablesChanged } from './app.js';

const TYPES: Array<[string, string]> = [
  ['S', 'String'],
  ['N', 'Number'],
  ['B', 'Binary'],
];

/** One key attribute's name and type inputs. */
function keyInputs(label: string, name = '', optional = false) {
  const nameInput = h('input', { type: 'text', value: name, placeholder: optional ? '(none)' : 'name', autocomplete: 'off', spellcheck: 'false', 'aria-label': `${label} name` });
  const typeSelect = select(TYPES, 'S', { 'aria-label': `${label} type` });
  return {
    element: h('fieldset', { class: 'key' }, h('legend', {}, label), nameInput, typeSelect),
    value: () => (nameInput.value.trim() ? { AttributeName: nameInput.value.trim(), AttributeType: typeSelect.value } : undefined),
  };
}

interface IndexRow {
  element: HTMLElement;
  kind: 'global' | 'local';
  value(provisioned: boolean, hashKey: string): Record<string, unknown> & { defs: Array<{ AttributeName: string; AttributeType: string }> };
}

function indexRow(kind: 'global' | 'local', remove: (row: IndexRow) => void): IndexRow {
  const name = h('input', { type: 'text', placeholder: kind === 'global' ? 'GSI1' : 'LSI1', 'aria-label': 'Index name', autocomplete: 'off', spellcheck: 'false' });
  const pk = keyInputs('Partition key');
  const sk = keyInputs('Sort key', '', kind === 'global');
  const projection = select(['ALL', 'KEYS_ONLY', 'INCLUDE'], 'ALL', { 'aria-label': 'Projection' });
  const include = h('input', { type: 'text', placeholder: 'attr1, attr2', 'aria-label': 'Projected attributes', hidden: true });
  projection.addEventListener('change', () => (include.hidden = projection.value !== 'INCLUDE'));
  const rcu = h('input', { type: 'number', min: 1, value: 5, 'aria-label': 'Index read capacity units' });
  const wcu = h('input', { type: 'number', min: 1, value: 5, 'aria-label': 'Index write capacity units' });
  const row: IndexRow = {
    kind,
    element: h(
      'div',
      { class: 'index-row' },
      h('strong', {}, kind === 'global' ? 'Global secondary index' : 'Local secondary index'),
      h('div', { class: 'row' }, h('label', {}, 'Name ', name), kind === 'global' ? pk.element : null, sk.element),
      h('div', { class: 'row' }, h('label', {}, 'Projection ', projection), include, kind === 'global' ? h('span', { class: 'gsi-capacity' }, h('label', {}, 'RCU ', rcu), h('label', {}, 'WCU ', wcu)) : null),
      h('button', { type: 'button', class: 'small danger', onclick: () => remove(row) }, 'Remove'),
    ),
    value(provisioned, hashKey) {
      const keys = [kind === 'global' ? pk.value() : { AttributeName: hashKey, AttributeType: '' }, sk.value()].filter((k) => k !== undefined);
      const index: Record<string, unknown> = {
        IndexName: name.value.trim(),
        KeySchema: keys.map((k, i) => ({ AttributeName: k.AttributeName, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
        Projection: { ProjectionType: projection.value, ...(projection.value === 'INCLUDE' ? { NonKeyAttributes: include.value.split(',').map((a) => a.trim()).filter(Boolean) } : {}) },
      };
      if (kind === 'global' && provisioned) index.ProvisionedThroughput = { ReadCapacityUnits: Number(rcu.value), WriteCapacityUnits: Number(wcu.value) };
      return Object.assign(index, { defs: keys.filter((k) => k.AttributeType) });
    },
  };
  return row;
}

/** Runs CreateTable, then opens the new table. */
async function create(input: unknown): Promise<void> {
  await db.createTable(input as object);
  tablesChanged();
  const name = (input as { TableName: string }).TableName;
  navigate(`#/t/${encodeURIComponent(name)}/details`);
}

export function createTableView(main: HTMLElement): void {
  const name = h('input', { type: 'text', required: true, autocomplete: 'off', spellcheck: 'false', placeholder: 'Music' });
  const nameField = field('Table name', name);
  const pk = keyInputs('Partition key', 'pk');
  const sk = keyInputs('Sort key (optional)', 'sk', true);
  const billing = select(
    [
      ['PAY_PER_REQUEST', 'On-demand'],
      ['PROVISIONED', 'Provisioned'],
    ],
    'PAY_PER_REQUEST',
  );
  const rcu = h('input', { type: 'number', min: 1, value: 5 });
  const wcu = h('input', { type: 'number', min: 1, value: 5 });
  const capacity = h('div', { class: 'row', hidden: true }, field('Read capacity units', rcu).element, field('Write capacity units', wcu).element);
  billing.addEventListener('change', () => (capacity.hidden = billing.value !== 'PROVISIONED'));
  const indexes: IndexRow[] = [];
  const indexList = h('div', { class: 'indexes' });
  const remove = (row: IndexRow) => {
    indexes.splice(indexes.indexOf(row), 1);
    row.element.remove();
  };
  const add = (kind: 'global' | 'local') => {
    const row = indexRow(kind, remove);
    indexes.push(row);
    indexList.append(row.element);
    row.element.querySelector('input')!.focus();
  };

  const request = () => {
    const provisioned = billing.value === 'PROVISIONED';
    const keys = [pk.value(), sk.value()].filter((k) => k !== undefined);
    const defs = new Map(keys.map((k) => [k.AttributeName, k]));
    const built = indexes.map((row) => row.value(provisioned, keys[0]?.AttributeName ?? ''));
    for (const { defs: more } of built) for (const d of more) if (!defs.has(d.AttributeName)) defs.set(d.AttributeName, d);
    const strip = ({ defs: _, ...index }: (typeof built)[number]) => index;
    const gsis = built.filter((_, i) => indexes[i].kind === 'global').map(strip);
    const lsis = built.filter((_, i) => indexes[i].kind === 'local').map(strip);
    return {
      TableName: name.value.trim(),
      AttributeDefinitions: [...defs.values()],
      KeySchema: keys.map((k, i) => ({ AttributeName: k.AttributeName, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
      BillingMode: billing.value,
      ...(provisioned ? { ProvisionedThroughput: { ReadCapacityUnits: Number(rcu.value), WriteCapacityUnits: Number(wcu.value) } } : {}),
      ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}),
      ...(lsis.length ? { LocalSecondaryIndexes: lsis } : {}),
    };
  };

  const formError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const form = h(
    'form',
    { class: 'card', 'aria-label': 'Create table' },
    nameField.element,
    h('div', { class: 'row' }, pk.element, sk.element),
    field('Billing mode', billing).element,
    capacity,
    h('h3', {}, 'Secondary indexes'),
    indexList,
    h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => add('global') }, '+ Global index'), h('button', { type: 'button', onclick: () => add('local') }, '+ Local index')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create table'), h('button', { type: 'button', onclick: () => toJson() }, 'Edit as JSON')),
    formError,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    nameField.error();
    formError.hidden = true;
    try {
      await create(request());
    } catch (error) {
      if (/table ?name|Table already exists/i.test((error as Error).message)) nameField.error(error);
      else {
        formError.hidden = false;
        formError.textContent = errorText(error);
      }
    }
  });

  const json = h('textarea', { rows: 18, spellcheck: 'false', class: 'json' });
  const jsonField = field('CreateTable request (JSON)', json);
  const jsonForm = h(
    'form',
    { class: 'card', 'aria-label': 'Create table from JSON', hidden: true },
    jsonField.element,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create table'), h('button', { type: 'button', onclick: () => toForm() }, 'Back to the form')),
  );
  jsonForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    jsonField.error();
    try {
      await create(JSON.parse(json.value));
    } catch (error) {
      jsonField.error(error);
    }
  });
  const toJson = () => {
    json.value = JSON.stringify(request(), null, 2);
    form.hidden = true;
    jsonForm.hidden = false;
    json.focus();
  };
  const toForm = () => {
    form.hidden = false;
    jsonForm.hidden = true;
  };
  show(main, h('h1', {}, 'Create table'), form, jsonForm);
  name.focus();
}

export type Tab = 'items' | 'query' | 'details';

const TABS = [
  ['items', 'Items'],
  ['query', 'Operation builder'],
  ['details', 'Table'],
] as const;

/** A table's page: its tabs, then the chosen one. Answers what ends the view. */
export async function tableView(main: HTMLElement, name: string, tab: Tab): Promise<(() => void) | undefined> {
  let table: TableDescription;
  try {
    table = await describe(name);
  } catch (error) {
    show(main, h('h1', {}, name), h('p', { class: 'field-error', role: 'alert' }, errorText(error)), h('p', {}, h('a', { href: '#/' }, 'Back to the start')));
    return undefined;
  }
  const body = h('div', { class: 'tab-body' });
  show(
    main,
    h('h1', {}, name),
    h(
      'nav',
      { class: 'tabs', 'aria-label': 'Table views' },
      ...TABS.map(([id, label]) => h('a', { href: `#/t/${encodeURIComponent(name)}/${id}`, 'aria-current': id === tab ? 'page' : undefined }, label)),
    ),
    body,
  );
  if (tab === 'items') return itemsView(body, table);
  if (tab === 'query') return builderView(body, table);
  detailsView(body, table);
  return undefined;
}

const keyText = (table: { KeySchema: Array<{ AttributeName: string; KeyType: string }> }, types: TableDescription) =>
  table.KeySchema.map((k) => `${k.AttributeName} (${types.AttributeDefinitions.find((a) => a.AttributeName === k.AttributeName)?.AttributeType ?? '?'}, ${k.KeyType === 'HASH' ? 'partition' : 'sort'})`).join(' + ');

function detailsView(body: HTMLElement, table: TableDescription): void {
  const billing = table.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  const throughput = table.ProvisionedThroughput;
  const facts: Array<[string, string]> = [
    ['Status', table.TableStatus],
    ['Key', keyText(table, table)],
    ['Billing mode', billing === 'PAY_PER_REQUEST' ? 'On-demand (PAY_PER_REQUEST)' : 'Provisioned'],
    ...(billing === 'PROVISIONED' && throughput ? [['Capacity', `${throughput.ReadCapacityUnits} RCU, ${throughput.WriteCapacityUnits} WCU`] as [string, string]] : []),
    ['Items', String(table.ItemCount)],
    ['Size', `${table.TableSizeBytes} bytes`],
    ['Created', new Date(Number(table.CreationDateTime) * 1000).toLocaleString()],
    ['ARN', String(table.TableArn)],
  ];
  const indexes = [
    ...(table.GlobalSecondaryIndexes ?? []).map((index) => ({ ...index, kind: 'GSI' })),
    ...(table.LocalSecondaryIndexes ?? []).map((index) => ({ ...index, kind: 'LSI' })),
  ];
  const dialog = h(
    'dialog',
    { 'aria-labelledby': 'delete-title' },
    h(
      'form',
      { method: 'dialog' },
      h('h2', { id: 'delete-title' }, `Delete table ${table.TableName}?`),
      h('p', {}, `Its ${table.ItemCount} items and indexes are deleted too. This cannot be undone.`),
      h('p', { class: 'field-error', role: 'alert', hidden: true }),
      h('div', { class: 'actions' }, h('button', { value: 'cancel', autofocus: true }, 'Cancel'), h('button', { value: 'delete', class: 'danger' }, 'Delete table')),
    ),
  );
  dialog.addEventListener('close', async () => {
    if (dialog.returnValue !== 'delete') return;
    try {
      await db.deleteTable({ TableName: table.TableName });
      tablesChanged();
      navigate('#/');
    } catch (error) {
      const message = dialog.querySelector<HTMLElement>('.field-error')!;
      message.hidden = false;
      message.textContent = errorText(error);
      dialog.showModal();
    }
  });
  show(
    body,
    h('dl', { class: 'facts card' }, ...facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    indexes.length
      ? h(
          'table',
          { class: 'grid' },
          h('caption', {}, 'Secondary indexes'),
          h('thead', {}, h('tr', {}, ...['Name', 'Type', 'Key', 'Projection', 'Status', 'Items'].map((t) => h('th', { scope: 'col' }, t)))),
          h(
            'tbody',
            {},
            ...indexes.map((index) =>
              h(
                'tr',
                {},
                h('td', {}, index.IndexName),
                h('td', {}, index.kind),
                h('td', {}, keyText(index, table)),
                h('td', {}, index.Projection.ProjectionType + (index.Projection.NonKeyAttributes ? ` (${index.Projection.NonKeyAttributes.join(', ')})` : '')),
                h('td', {}, String(index.IndexStatus ?? 'ACTIVE')),
                h('td', {}, String(index.ItemCount ?? '')),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No secondary indexes.'),
    h('details', {}, h('summary', {}, 'DescribeTable response'), codeBlock(JSON.stringify({ Table: table }, null, 2), 'DescribeTable JSON')),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'danger', onclick: () => dialog.showModal() }, 'Delete table…')),
    dialog,
  );
}
