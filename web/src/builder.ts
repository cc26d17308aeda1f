/**
 * The operation builder: Query, Scan, GetItem, PutItem, UpdateItem and DeleteItem from a form.
 * The exact request it sends is shown as it is built, and can be copied as AWS SDK v3 code; a
 * result shows Count, ScannedCount, LastEvaluatedKey (with the next page) and ConsumedCapacity,
 * and a DynamoDB error shows beside the field it is about.
 */
import { attributeType, db, itemText, keySchema, parseItem, type Item, type TableDescription } from './db.js';
import { codeBlock, field, h, select, show } from './dom.js';
import { itemGrid } from './grid.js';
import { format } from './items.js';
import { EXAMPLES, SAMPLE_TABLE } from './sample.js';
import { sdkCode } from './sdk-code.js';

type Operation = 'Query' | 'Scan' | 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem';
type SortOperator = '' | '=' | '<' | '<=' | '>' | '>=' | 'between' | 'begins_with';

/** Everything the form holds, as text; a guided example is one of these. */
export interface BuilderState {
  operation: Operation;
  index?: string;
  /** The partition key's value (Query), or the key's values (GetItem, UpdateItem, DeleteItem). */
  pk?: string;
  sk?: string;
  /** Query's sort key condition; `sk2` is BETWEEN's upper bound. */
  skOp?: SortOperator;
  sk2?: string;
  filter?: string;
  condition?: string;
  update?: string;
  projection?: string;
  /** ExpressionAttributeNames and ExpressionAttributeValues as JSON text. */
  names?: string;
  values?: string;
  /** PutItem's item, as JSON text in the chosen format. */
  item?: string;
  descending?: boolean;
  limit?: string;
  consistent?: boolean;
  returnValues?: string;
  capacity?: 'NONE' | 'TOTAL' | 'INDEXES';
}

const OPERATIONS: Operation[] = ['Query', 'Scan', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'];
const READS = new Set<Operation>(['Query', 'Scan']);
const KEYED = new Set<Operation>(['GetItem', 'UpdateItem', 'DeleteItem']);
const WRITES = new Set<Operation>(['PutItem', 'UpdateItem', 'DeleteItem']);

/** The form of each table, kept in localStorage: neither switching views nor a reload loses it. */
const kept = {
  get: (table: string): BuilderState | undefined => JSON.parse(localStorage.getItem(`playground:builder:${table}`) ?? 'null') ?? undefined,
  set: (table: string, state: BuilderState) => localStorage.setItem(`playground:builder:${table}`, JSON.stringify(state)),
};

/** Which field a DynamoDB error is about, from the parameter its message names. */
const ERROR_FIELDS: Array<[RegExp, keyof Fields]> = [
  [/KeyConditionExpression|Query condition missed|KeyConditions|key schema|Query key condition/i, 'pk'],
  [/FilterExpression/, 'filter'],
  [/UpdateExpression|Cannot update attribute/, 'update'],
  [/ConditionExpression|conditional request failed/, 'condition'],
  [/ProjectionExpression/, 'projection'],
  [/ExpressionAttributeNames|attribute name/i, 'names'],
  [/ExpressionAttributeValues|attribute value/i, 'values'],
  [/provided key element|Missing the key|key/i, 'pk'],
  [/item|Item/, 'item'],
  [/index/i, 'index'],
  [/Limit|limit/, 'limit'],
];

interface Fields {
  pk: ReturnType<typeof field>;
  filter: ReturnType<typeof field>;
  update: ReturnType<typeof field>;
  condition: ReturnType<typeof field>;
  projection: ReturnType<typeof field>;
  names: ReturnType<typeof field>;
  values: ReturnType<typeof field>;
  item: ReturnType<typeof field>;
  index: ReturnType<typeof field>;
  limit: ReturnType<typeof field>;
  run: ReturnType<typeof field>;
}

/** Parses optional JSON text: undefined when blank. */
const jsonOrNothing = (text: string | undefined): Record<string, unknown> | undefined => (text?.trim() ? JSON.parse(text) : undefined);

/** A key value typed as its attribute: `{ S: 'x' }`, `{ N: '1' }`, `{ B: '...' }`. */
const typed = (table: TableDescription, name: string, value: string) => ({ [attributeType(table, name)]: value });

/** The request the form describes; throws a SyntaxError naming the field whose JSON is bad. */
function buildRequest(table: TableDescription, state: BuilderState): Record<string, unknown> {
  const op = state.operation;
  const input: Record<string, unknown> = { TableName: table.TableName };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (READS.has(op) && state.index) input.IndexName = state.index;
  if (op === 'Query') {
    const [hash, range] = keySchema(table, state.index);
    names['#pk'] = hash.AttributeName;
    values[':pk'] = typed(table, hash.AttributeName, state.pk ?? '');
    let condition = '#pk = :pk';
    if (range && state.skOp) {
      names['#sk'] = range.AttributeName;
      values[':sk'] = typed(table, range.AttributeName, state.sk ?? '');
      if (state.skOp === 'between') {
        values[':sk2'] = typed(table, range.AttributeName, state.sk2 ?? '');
        condition += ' AND #sk BETWEEN :sk AND :sk2';
      } else if (state.skOp === 'begins_with') condition += ' AND begins_with(#sk, :sk)';
      else condition += ` AND #sk ${state.skOp} :sk`;
    }
    input.KeyConditionExpression = condition;
  }
  if (KEYED.has(op)) {
    const [hash, range] = table.KeySchema;
    input.Key = { [hash.AttributeName]: typed(table, hash.AttributeName, state.pk ?? ''), ...(range ? { [range.AttributeName]: typed(table, range.AttributeName, state.sk ?? '') } : {}) };
  }
  if (op === 'PutItem') input.Item = parseItem(state.item ?? '{}', format.get());
  if (op === 'UpdateItem' && state.update?.trim()) input.UpdateExpression = state.update.trim();
  if (WRITES.has(op) && state.condition?.trim()) input.ConditionExpression = state.condition.trim();
  if (READS.has(op) && state.filter?.trim()) input.FilterExpression = state.filter.trim();
  if ((READS.has(op) || op === 'GetItem') && state.projection?.trim()) input.ProjectionExpression = state.projection.trim();
  const moreNames = jsonOrNothing(state.names);
  const moreValues = jsonOrNothing(state.values);
  Object.assign(names, moreNames);
  Object.assign(values, moreValues);
  if (Object.keys(names).length) input.ExpressionAttributeNames = names;
  if (Object.keys(values).length) input.ExpressionAttributeValues = values;
  if (op === 'Query' && state.descending) input.ScanIndexForward = false;
  if (READS.has(op) && state.limit?.trim()) input.Limit = Number(state.limit);
  if ((READS.has(op) || op === 'GetItem') && state.consistent) input.ConsistentRead = true;
  if (WRITES.has(op) && state.returnValues && state.returnValues !== 'NONE') input.ReturnValues = state.returnValues;
  if (state.capacity && state.capacity !== 'NONE') input.ReturnConsumedCapacity = state.capacity;
  return input;
}

export function builderView(body: HTMLElement, table: TableDescription): undefined {
  const indexNames = [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].map((i) => i.IndexName);
  const state: BuilderState = kept.get(table.TableName) ?? { operation: 'Query', skOp: '', capacity: 'TOTAL' };

  const text = (key: keyof BuilderState, attrs: Record<string, string | number> = {}) => {
    const input = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', value: String(state[key] ?? ''), ...attrs });
    input.addEventListener('input', () => {
      (state as unknown as Record<string, unknown>)[key] = input.value;
      update();
    });
    return input;
  };
  const area = (key: keyof BuilderState, rows: number, placeholder = '') => {
    const input = h('textarea', { rows, spellcheck: 'false', class: 'json', placeholder });
    input.value = String(state[key] ?? '');
    input.addEventListener('input', () => {
      (state as unknown as Record<string, unknown>)[key] = input.value;
      update();
    });
    return input;
  };
  const choice = (key: keyof BuilderState, options: Array<string | [string, string]>, label: string) => {
    const input = select(options, String(state[key] ?? ''), { 'aria-label': label });
    input.addEventListener('change', () => {
      (state as unknown as Record<string, unknown>)[key] = input.value;
      update();
    });
    return input;
  };
  const check = (key: keyof BuilderState, label: string) => {
    const input = h('input', { type: 'checkbox', checked: Boolean(state[key]) });
    input.addEventListener('change', () => {
      (state as unknown as Record<string, unknown>)[key] = input.checked;
      update();
    });
    return h('label', { class: 'check' }, input, ` ${label}`);
  };

  const operation = choice('operation', OPERATIONS, 'Operation');
  const index = choice('index', [['', '(table)'], ...indexNames.map((n): [string, string] => [n, n])], 'Index');
  const pkInput = text('pk');
  const skOp = choice(
    'skOp',
    [
      ['', '(any sort key)'],
      ['=', '='],
      ['<', '<'],
      ['<=', '<='],
      ['>', '>'],
      ['>=', '>='],
      ['between', 'between'],
      ['begins_with', 'begins with'],
    ],
    'Sort key condition',
  );
  const skInput = text('sk', { 'aria-label': 'Sort key value' });
  const sk2Input = text('sk2', { 'aria-label': 'Sort key upper bound' });
  const fields: Fields = {
    index: field('Index', index),
    pk: field('Partition key', pkInput),
    filter: field('Filter expression', text('filter', { placeholder: 'quantity >= :q' })),
    condition: field('Condition expression', text('condition', { placeholder: 'attribute_not_exists(pk)' })),
    update: field('Update expression', text('update', { placeholder: 'SET #status = :s' })),
    projection: field('Projection expression', text('projection', { placeholder: 'pk, sk, total' })),
    names: field('Expression attribute names (JSON)', area('names', 3, '{ "#status": "status" }')),
    values: field('Expression attribute values (DynamoDB JSON)', area('values', 3, '{ ":s": { "S": "SHIPPED" } }')),
    item: field('Item', area('item', 8)),
    limit: field('Limit', text('limit', { inputmode: 'numeric', placeholder: 'no limit' })),
    // Where an error that names no field of the form shows: under the Run button.
    run: field('', h('span')),
  };
  const skRow = h('div', { class: 'field' }, h('label', {}, 'Sort key'), h('div', { class: 'row tight' }, skOp, skInput, sk2Input));
  const options = h(
    'div',
    { class: 'row options' },
    check('descending', 'Descending (ScanIndexForward: false)'),
    check('consistent', 'Consistent read'),
    h('label', {}, 'Return values ', choice('returnValues', ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'], 'Return values')),
    h('label', {}, 'Consumed capacity ', choice('capacity', ['NONE', 'TOTAL', 'INDEXES'], 'Return consumed capacity')),
  );
  const runButton = h('button', { type: 'submit', class: 'primary' }, 'Run');
  const form = h(
    'form',
    { class: 'card builder-form', 'aria-label': 'Request builder' },
    h('div', { class: 'row' }, h('label', { class: 'operation' }, 'Operation ', operation)),
    fields.index.element,
    fields.pk.element,
    skRow,
    fields.item.element,
    fields.update.element,
    fields.condition.element,
    h('div', { class: 'pair' }, fields.filter.element, fields.projection.element),
    h('div', { class: 'pair' }, fields.names.element, fields.values.element),
    h('div', { class: 'pair' }, fields.limit.element, options),
    h('div', { class: 'actions' }, runButton, h('span', { class: 'hint' }, 'Ctrl+Enter runs from any field')),
    fields.run.element,
  );
  const requestView = h('div', { class: 'request' });
  const results = h('section', { class: 'results', 'aria-label': 'Result', 'aria-live': 'polite' });

  /** Shows and hides the fields the operation takes, and the request they make. */
  function update(): void {
    kept.set(table.TableName, state);
    const op = state.operation;
    const schema = op === 'Query' ? keySchema(table, state.index) : table.KeySchema;
    const [hash, range] = schema;
    fields.index.element.hidden = !READS.has(op) || indexNames.length === 0;
    fields.pk.element.hidden = !(op === 'Query' || KEYED.has(op));
    fields.pk.element.querySelector('label')!.textContent = `${hash.AttributeName} (partition key, ${attributeType(table, hash.AttributeName)})${op === 'Query' ? ' =' : ''}`;
    skRow.hidden = !range || !(op === 'Query' || KEYED.has(op));
    if (range) skRow.querySelector('label')!.textContent = `${range.AttributeName} (sort key, ${attributeType(table, range.AttributeName)})`;
    skOp.hidden = op !== 'Query';
    skInput.hidden = op === 'Query' && !state.skOp;
    sk2Input.hidden = op !== 'Query' || state.skOp !== 'between';
    fields.item.element.hidden = op !== 'PutItem';
    fields.item.element.querySelector('label')!.textContent = `Item (${format.get() === 'dynamodb' ? 'DynamoDB JSON' : 'plain JSON'})`;
    fields.update.element.hidden = op !== 'UpdateItem';
    fields.condition.element.hidden = !WRITES.has(op);
    fields.filter.element.hidden = !READS.has(op);
    fields.projection.element.hidden = !(READS.has(op) || op === 'GetItem');
    fields.limit.element.hidden = !READS.has(op);
    options.children[0].toggleAttribute('hidden', op !== 'Query');
    options.children[1].toggleAttribute('hidden', WRITES.has(op));
    options.children[2].toggleAttribute('hidden', !WRITES.has(op));
    try {
      const request = buildRequest(table, state);
      fields.names.error();
      fields.values.error();
      fields.item.error();
      show(requestView, codeBlock(JSON.stringify(request, null, 2), `${op} request`), codeBlock(sdkCode(op, request), 'AWS SDK v3 (JavaScript)'));
    } catch (error) {
      // Only an editor's text that is not JSON (or not an item) gets here: say which one.
      const where = !isJson(state.names) ? fields.names : !isJson(state.values) ? fields.values : fields.item;
      where.error(error);
      show(requestView, h('p', { class: 'muted' }, 'Fix the JSON to see the request.'));
    }
  }

  const clearErrors = () => Object.values(fields).forEach((f) => f.error());

  async function run(start?: Item): Promise<void> {
    clearErrors();
    let request: Record<string, unknown>;
    try {
      request = buildRequest(table, state);
    } catch {
      return update();
    }
    if (start) request.ExclusiveStartKey = start;
    // The last result goes at once, so that it is never taken for this request's.
    show(results);
    runButton.disabled = true;
    try {
      const output = (await db.send(state.operation, request)) as Record<string, unknown>;
      showResult(request, output);
    } catch (error) {
      const message = (error as Error).message;
      const [, name] = ERROR_FIELDS.find(([pattern, f]) => pattern.test(message) && !fields[f].element.hidden) ?? [undefined, 'run'];
      fields[name].error(error);
    } finally {
      runButton.disabled = false;
    }
  }

  function showResult(request: Record<string, unknown>, output: Record<string, unknown>): void {
    const op = state.operation;
    const summary: Array<[string, string]> = [];
    if (READS.has(op)) summary.push(['Count', String(output.Count)], ['ScannedCount', String(output.ScannedCount)]);
    if (output.ConsumedCapacity) summary.push(['ConsumedCapacity', capacityText(output.ConsumedCapacity)]);
    const lastKey = output.LastEvaluatedKey as Item | undefined;
    if (READS.has(op)) summary.push(['LastEvaluatedKey', lastKey ? JSON.stringify(lastKey) : 'none (last page)']);
    const keys = [...new Set([...table.KeySchema, ...keySchema(table, request.IndexName as string | undefined)].map((k) => k.AttributeName))];
    let shown: HTMLElement;
    if (READS.has(op)) shown = itemGrid(output.Items as Item[], keys);
    else if (op === 'GetItem') shown = output.Item ? h('pre', { class: 'code item-json' }, itemText(output.Item as Item, format.get())) : h('p', { class: 'muted' }, 'No item has that key.');
    else shown = output.Attributes ? h('div', {}, h('h3', {}, 'Attributes'), h('pre', { class: 'code item-json' }, itemText(output.Attributes as Item, format.get()))) : h('p', { class: 'ok' }, `${op} succeeded.`);
    show(
      results,
      h('h2', {}, 'Result'),
      summary.length ? h('dl', { class: 'facts summary' }, ...summary.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])) : null,
      lastKey ? h('button', { type: 'button', onclick: () => void run(lastKey) }, 'Next page →') : null,
      shown,
      h('details', {}, h('summary', {}, 'Response JSON'), codeBlock(JSON.stringify(output, null, 2), `${op} response`)),
    );
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run();
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void run();
    }
  });

  /** Fills the form with a guided example's fields. */
  const load = (example: BuilderState) => {
    kept.set(table.TableName, { ...example, capacity: example.capacity ?? 'TOTAL' });
    builderView(body, table);
    body.querySelector<HTMLButtonElement>('button[type=submit]')!.focus();
  };
  const guide =
    table.TableName === SAMPLE_TABLE
      ? h(
          'aside',
          { class: 'card guide', 'aria-label': 'Guided examples' },
          h('h2', {}, 'Guided examples'),
          h('p', { class: 'hint' }, 'Each fills in the builder; press Run to send it.'),
          h(
            'ol',
            {},
            ...EXAMPLES.map((example) =>
              h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => load(example.state) }, example.title), h('p', { class: 'hint' }, example.text)),
            ),
          ),
        )
      : null;

  show(body, h('div', { class: 'builder' }, h('div', { class: 'builder-main' }, form, results), h('div', { class: 'builder-side' }, guide, requestView)));
  update();
  return undefined;
}

const isJson = (text: string | undefined) => {
  try {
    jsonOrNothing(text);
    return true;
  } catch {
    return false;
  }
};

function capacityText(capacity: unknown): string {
  const { CapacityUnits, Table, GlobalSecondaryIndexes, LocalSecondaryIndexes } = capacity as {
    CapacityUnits: number;
    Table?: { CapacityUnits: number };
    GlobalSecondaryIndexes?: Record<string, { CapacityUnits: number }>;
    LocalSecondaryIndexes?: Record<string, { CapacityUnits: number }>;
  };
  const parts = [`${CapacityUnits} units`];
  if (Table) parts.push(`table ${Table.CapacityUnits}`);
  for (const [name, { CapacityUnits: units }] of Object.entries({ ...GlobalSecondaryIndexes, ...LocalSecondaryIndexes })) parts.push(`${name} ${units}`);
  return parts.join(', ');
}
