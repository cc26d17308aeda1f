/**
 * ProjectionExpression (and AttributesToGet, and UpdateItem's UPDATED_OLD / UPDATED_NEW): the parts
 * of an item at some document paths, kept in their places.
 *
 * A path into a map keeps the map around the value; a path into a list keeps the selected elements
 * in their relative order, compacted (`a.b[1]` gives `{a: {M: {b: {L: [element 1]}}}}`; `l[3], l[1]`
 * gives `{l: {L: [element 1, element 3]}}`). Paths that share a prefix merge into one map or list;
 * paths that resolve to nothing are left out. This is dynalite's mapPaths, whose tests ran against
 * DynamoDB (test/updateItem.js "should update nested attributes" projects `c[1], c[2], c[4], ...`).
 */
import type { Path, Projection } from './ast.js';
import { type AttributeValue, type Item, cloneAttributeValue } from '../model/index.js';
import { setMember } from '../model/member.js';
import { resolvePath } from './evaluate.js';

/** A node of the tree being built: a whole value, or the selected parts of a map or a list. */
type Node =
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'map'; entries: Map<string, Node> }
  | { kind: 'list'; entries: Map<number, Node> };

function build(node: Node): AttributeValue {
  switch (node.kind) {
    case 'value':
      return cloneAttributeValue(node.value);
    case 'map': {
      const map: Item = {};
      for (const [name, child] of node.entries) setMember(map, name, build(child));
      return { M: map };
    }
    case 'list': {
      const indexes = [...node.entries.keys()].sort((a, b) => a - b);
      return { L: indexes.map((i) => build(node.entries.get(i)!)) };
    }
  }
}

/** Adds the value at `path` (already known to exist) under `root`, merging with what is there. */
function place(root: Map<string, Node>, path: Path, value: AttributeValue): void {
  let entries: Map<string | number, Node> = root as Map<string | number, Node>;
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i]!;
    let child = entries.get(step);
    // A whole value already taken at a shorter path holds this one too (overlapping paths are a
    // validation error before evaluation; this only keeps the result well formed).
    if (child?.kind === 'value') return;
    if (child === undefined) {
      child = typeof path[i + 1] === 'number' ? { kind: 'list', entries: new Map() } : { kind: 'map', entries: new Map() };
      entries.set(step, child);
    }
    entries = child.entries as Map<string | number, Node>;
  }
  entries.set(path[path.length - 1]!, { kind: 'value', value });
}

/**
 * The parts of `item` at the projection's paths, as a fresh item sharing nothing mutable with it.
 *
 * @example
 * project({ a: { M: { b: { L: [{ S: 'x' }, { S: 'y' }] }, c: { N: '1' } } }, d: { S: 'z' } }, [['a', 'b', 1]]);
 * // { a: { M: { b: { L: [{ S: 'y' }] } } } }
 */
export function project(item: Item, projection: Projection): Item {
  if (projection.every((path) => path.length === 1)) {
    const out: Item = {};
    for (const path of projection) {
      const value = resolvePath(item, path);
      if (value !== undefined) setMember(out, path[0] as string, cloneAttributeValue(value));
    }
    return out;
  }
  const root = new Map<string, Node>();
  for (const path of projection) {
    const value = resolvePath(item, path);
    if (value !== undefined) place(root, path, value);
  }
  const out: Item = {};
  for (const [name, node] of root) setMember(out, name, build(node));
  return out;
}
