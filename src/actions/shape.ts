/**
 * Request shapes: the declarative description of each action's input, and the two checks DynamoDB
 * runs on it before any action logic.
 *
 * 1. Deserialisation. DynamoDB's front end is Java (Coral); a member of the wrong JSON type fails
 *    before validation with a SerializationException whose text comes from the Java deserialiser.
 * 2. Constraints. Every member constraint is checked and up to ten failures are reported together:
 *    `N validation error(s) detected: Value 'x' at 'path' failed to satisfy constraint: ...`.
 *    A member marked `required` fails alone and first, with its own message.
 *
 * Members are listed in the order DynamoDB reports them (the order dynalite recorded from the service).
 * Unknown members and members set to null are ignored, as the service ignores them.
 */
import { checkAttributeValueShape } from '../model/index.js';

export type Shape =
  | StringShape
  | NumberShape
  | ({ type: 'boolean' } & Common)
  | ListShape
  | MapShape
  | StructShape
  | ({ type: 'attributeValue' } & Common);

interface Common {
  /** Fails alone with "The parameter 'X' is required but was not present in the request". */
  required?: boolean;
  /** Fails as a constraint: "Member must not be null". */
  notNull?: boolean;
}
export interface StringShape extends Common {
  type: 'string';
  enum?: readonly string[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
}
export interface NumberShape extends Common {
  type: 'integer' | 'long';
  min?: number;
  max?: number;
}
export interface ListShape extends Common {
  type: 'list';
  member: Shape;
  minLength?: number;
  maxLength?: number;
}
export interface MapShape extends Common {
  type: 'map';
  /** The Java value type named in "Unrecognized collection type java.util.Map<java.lang.String, T>". */
  javaValueType: string;
  value: Shape;
  minLength?: number;
  maxLength?: number;
}
export interface StructShape extends Common {
  type: 'struct';
  /** The Java class name (KeySchemaElement, ProvisionedThroughput, ...), used in messages. */
  name: string;
  members: Record<string, Shape>;
}

export interface ShapeFailure {
  type: 'SerializationException' | 'ValidationException';
  message: string;
}

const MAX_REPORTED = 10;
const JAVA_MODEL = 'com.amazonaws.dynamodb.v20120810.';

/** Checks `input` against an action's members; returns the first failure DynamoDB would report. */
export function checkShape(input: Record<string, unknown>, members: Record<string, Shape>): ShapeFailure | undefined {
  // Fast path for the common valid request: look only at the members present, then at the
  // mandatory ones. Any doubt falls through to the full check, which orders the report.
  const errors: string[] = [];
  for (const name in input) {
    const shape = members[name];
    if (shape === undefined) continue;
    if (deserialise(input[name], shape) !== undefined) return fullCheck(input, members);
    constrain(input[name], shape, name, errors);
    if (errors.length > 0) return fullCheck(input, members);
  }
  for (const name of mandatory(members)) {
    if (input[name] == null) return fullCheck(input, members);
  }
  return undefined;
}

const mandatoryMembers = new WeakMap<Record<string, Shape>, string[]>();
function mandatory(members: Record<string, Shape>): string[] {
  let names = mandatoryMembers.get(members);
  if (names === undefined) {
    names = Object.keys(members).filter((name) => members[name].required || members[name].notNull);
    mandatoryMembers.set(members, names);
  }
  return names;
}

function fullCheck(input: Record<string, unknown>, members: Record<string, Shape>): ShapeFailure | undefined {
  for (const name in members) {
    const message = deserialise(input[name], members[name]);
    if (message !== undefined) return { type: 'SerializationException', message };
  }
  for (const name in members) {
    if (members[name].required && input[name] == null) {
      return { type: 'ValidationException', message: `The parameter '${name}' is required but was not present in the request` };
    }
  }
  const errors: string[] = [];
  for (const name in members) constrain(input[name], members[name], lowerFirst(name), errors);
  if (errors.length === 0) return undefined;
  const n = errors.length;
  return {
    type: 'ValidationException',
    message: `${n} validation error${n > 1 ? 's' : ''} detected: ${errors.join('; ')}`,
  };
}

function deserialise(value: unknown, shape: Shape): string | undefined {
  if (value == null) return undefined;
  const kind = typeof value;
  switch (shape.type) {
    case 'string':
      if (kind === 'string') return undefined;
      return cannotConvert(value, 'String');
    case 'integer':
    case 'long': {
      // JSON has no NaN or Infinity; only an in-process caller can pass them.
      if (kind === 'number') return Number.isFinite(value) ? undefined : `${value} is not a JSON number`;
      const java = shape.type === 'integer' ? 'Integer' : 'Long';
      if (kind === 'boolean') return `${value ? 'TRUE' : 'FALSE'}_VALUE cannot be converted to ${java}`;
      if (kind === 'string') return `STRING_VALUE cannot be converted to ${java}`;
      return structureOrCollection(value, `class java.lang.${java}`);
    }
    case 'boolean':
      if (kind === 'boolean') return undefined;
      if (kind === 'number') return `${Number.isInteger(value) ? 'NUMBER' : 'DECIMAL'}_VALUE cannot be converted to Boolean`;
      if (kind === 'string') return /^(true|false|1|0|yes|no)$/i.test(value as string) ? undefined : 'Unexpected token received from parser';
      return structureOrCollection(value, 'class java.lang.Boolean');
    case 'list': {
      if (!Array.isArray(value)) return kind === 'object' ? 'Start of structure or map found where not expected' : 'Unexpected field type';
      for (const item of value) {
        const message = deserialise(item, shape.member);
        if (message !== undefined) return message;
      }
      return undefined;
    }
    case 'map': {
      if (kind !== 'object') return 'Unexpected field type';
      if (Array.isArray(value)) return `Unrecognized collection type java.util.Map<java.lang.String, ${shape.javaValueType}>`;
      const map = value as Record<string, unknown>;
      for (const key in map) {
        const message = deserialise(map[key], shape.value);
        if (message !== undefined) return message;
      }
      return undefined;
    }
    case 'struct': {
      if (kind !== 'object') return 'Unexpected field type';
      if (Array.isArray(value)) return `Unrecognized collection type class ${JAVA_MODEL}${shape.name}`;
      const struct = value as Record<string, unknown>;
      for (const name in shape.members) {
        const message = deserialise(struct[name], shape.members[name]);
        if (message !== undefined) return message;
      }
      return undefined;
    }
    case 'attributeValue':
      return checkAttributeValueShape(value);
  }
}

function cannotConvert(value: unknown, java: string): string {
  switch (typeof value) {
    case 'boolean':
      return `${value ? 'TRUE' : 'FALSE'}_VALUE cannot be converted to ${java}`;
    case 'number':
      return `${Number.isInteger(value) ? 'NUMBER' : 'DECIMAL'}_VALUE cannot be converted to ${java}`;
    default:
      return structureOrCollection(value, `class java.lang.${java}`);
  }
}

function structureOrCollection(value: unknown, javaClass: string): string {
  return Array.isArray(value) ? `Unrecognized collection type ${javaClass}` : 'Start of structure or map found where not expected';
}

function constrain(value: unknown, shape: Shape, path: string, errors: string[]): void {
  if (errors.length >= MAX_REPORTED) return;
  if (value == null) {
    if (shape.notNull) fail(errors, value, shape, path, 'Member must not be null');
    return;
  }
  switch (shape.type) {
    case 'string': {
      const s = value as string;
      const tooShort = shape.minLength !== undefined && s.length < shape.minLength;
      const tooLong = shape.maxLength !== undefined && s.length > shape.maxLength;
      if (tooShort) fail(errors, value, shape, path, `Member must have length greater than or equal to ${shape.minLength}`);
      if (tooLong) fail(errors, value, shape, path, `Member must have length less than or equal to ${shape.maxLength}`);
      // The service reports a name's pattern only once its length is right (conformance: '' and 'ab').
      if (!tooShort && !tooLong && shape.pattern !== undefined && !anchored(shape.pattern).test(s)) {
        fail(errors, value, shape, path, `Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      if (shape.enum !== undefined && !shape.enum.includes(s)) {
        fail(errors, value, shape, path, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      }
      return;
    }
    case 'integer':
    case 'long': {
      const n = Math.trunc(value as number);
      if (shape.min !== undefined && n < shape.min) fail(errors, n, shape, path, `Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && n > shape.max) fail(errors, n, shape, path, `Member must have value less than or equal to ${shape.max}`);
      return;
    }
    case 'list': {
      const list = value as unknown[];
      lengthBounds(list.length, value, shape, path, errors);
      // A null element is never valid: the service's lists and maps hold no nulls.
      list.forEach((item, i) => constrain(item, item == null ? { ...shape.member, notNull: true } : shape.member, `${path}.${i + 1}.member`, errors));
      return;
    }
    case 'map': {
      const map = value as Record<string, unknown>;
      if (shape.minLength !== undefined || shape.maxLength !== undefined) lengthBounds(Object.keys(map).length, value, shape, path, errors);
      // AttributeValues carry no constraints of their own (the model checks them), so the hot
      // Item and Key maps skip the walk.
      if (shape.value.type === 'attributeValue') return;
      for (const key in map) constrain(map[key], shape.value, `${path}.${key}.member`, errors);
      return;
    }
    case 'struct': {
      const struct = value as Record<string, unknown>;
      for (const name in shape.members) constrain(struct[name], shape.members[name], `${path}.${lowerFirst(name)}`, errors);
      return;
    }
    default:
      return;
  }
}

function lengthBounds(length: number, value: unknown, shape: ListShape | MapShape, path: string, errors: string[]): void {
  if (shape.minLength !== undefined && length < shape.minLength) {
    fail(errors, value, shape, path, `Member must have length greater than or equal to ${shape.minLength}`);
  }
  if (shape.maxLength !== undefined && length > shape.maxLength) {
    fail(errors, value, shape, path, `Member must have length less than or equal to ${shape.maxLength}`);
  }
}

function fail(errors: string[], value: unknown, shape: Shape, path: string, constraint: string): void {
  if (errors.length >= MAX_REPORTED) return;
  const shown = value == null ? 'null' : `'${render(value, shape)}'`;
  errors.push(`Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}`);
}

/** Renders a value the way the service's Java model objects print themselves. */
function render(value: unknown, shape: Shape): string {
  if (value == null) return 'null';
  switch (shape.type) {
    case 'list':
      return `[${(value as unknown[]).map((item) => render(item, shape.member)).join(', ')}]`;
    case 'map':
      return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${render(v, shape.value)}`).join(', ')}}`;
    case 'struct': {
      const struct = value as Record<string, unknown>;
      const fields = Object.keys(shape.members)
        .filter((name) => struct[name] != null)
        .map((name) => `${lowerFirst(name)}=${render(struct[name], shape.members[name])}`);
      return `${shape.name}(${fields.join(', ')})`;
    }
    case 'attributeValue':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

const patterns = new Map<string, RegExp>();
function anchored(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (re === undefined) patterns.set(pattern, (re = new RegExp(`^(?:${pattern})$`)));
  return re;
}

export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
