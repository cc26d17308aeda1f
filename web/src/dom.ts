/** A few DOM helpers, so that views read as the markup they build. */

type Child = Node | string | number | false | null | undefined;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

/**
 * An element: `h('button', { type: 'button', onclick: run }, 'Run')`. `on*` attributes become
 * listeners, `false` and `undefined` leave an attribute out, `true` sets it empty.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'value') (element as HTMLInputElement).value = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.filter((child): child is Node | string | number => child !== false && child !== null && child !== undefined).map((child) => (typeof child === 'number' ? String(child) : child)));
  return element;
}

/** Replaces what `parent` holds. */
export function show(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((child): child is Node | string | number => child !== false && child !== null && child !== undefined).map((child) => (typeof child === 'number' ? String(child) : child)));
}

let nextId = 1;
/** A unique id for tying a label and an error message to their field. */
const uid = (prefix: string) => `${prefix}-${nextId++}`;

/**
 * A labelled field with a slot under it for the error that names it:
 * `field.error(e)` shows DynamoDB's `name: message` there, `field.error()` clears it.
 */
export function field(label: string, control: HTMLElement, hint?: string) {
  const id = control.id || uid('field');
  control.id = id;
  const message = h('p', { class: 'field-error', id: `${id}-error`, role: 'alert', hidden: true });
  control.setAttribute('aria-describedby', `${id}-error`);
  const element = h('div', { class: 'field' }, label ? h('label', { for: id }, label) : null, control, hint ? h('p', { class: 'hint' }, hint) : null, message);
  return {
    element,
    error(error?: unknown) {
      message.hidden = error === undefined;
      message.textContent = error === undefined ? '' : errorText(error);
      control.toggleAttribute('aria-invalid', error !== undefined);
    },
  };
}

/** How an error reads on the page: DynamoDB's type and message as the worker sent them. */
export const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** A `<select>` of `options`, given as values or [value, label] pairs. */
export function select(options: Array<string | [string, string]>, value?: string, attrs: Attrs = {}): HTMLSelectElement {
  const element = h('select', attrs, ...options.map((option) => {
    const [v, label] = typeof option === 'string' ? [option, option] : option;
    return h('option', { value: v }, label);
  }));
  if (value !== undefined) element.value = value;
  return element;
}

/** A code block with a Copy button. */
export function codeBlock(text: string, label: string): HTMLElement {
  const pre = h('pre', { class: 'code', tabindex: 0, 'aria-label': label }, h('code', {}, text));
  const copy = h('button', { type: 'button', class: 'small' }, 'Copy');
  copy.addEventListener('click', async () => {
    await navigator.clipboard.writeText(text).then(
      () => (copy.textContent = 'Copied'),
      () => (copy.textContent = 'Select and copy'),
    );
    setTimeout(() => (copy.textContent = 'Copy'), 1500);
  });
  return h('div', { class: 'code-block' }, h('div', { class: 'code-head' }, h('span', {}, label), copy), pre);
}
