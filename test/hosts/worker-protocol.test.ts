import { describe, expect, it } from 'vitest';
import { WireItem, packItem } from '../../src/model/index.js';
import { callJson, decodeList, encodeList, type Call, type Reply } from '../../src/hosts/worker-protocol.js';
import { toPlainJson, withItems } from '../../src/model/wire.js';

describe('batches between the page and the worker', () => {
  it('send calls as one JSON text, and what JSON would change by structured clone', () => {
    const calls: Call[] = [
      { kind: 'action', action: 'GetItem', input: { TableName: 't', Key: { pk: { S: 'a' } } } },
      { kind: 'action', action: 'PutItem', input: { TableName: 't', Item: { pk: { S: 'b' }, b: { B: new Uint8Array([1, 2]) } } } },
      { kind: 'wire', request: { method: 'POST', path: '/', query: {}, headers: {}, body: new Uint8Array([123, 125]) } },
    ];
    const encoded = encodeList(calls, callJson);
    expect(encoded.json).toBe('[{"kind":"action","action":"GetItem","input":{"TableName":"t","Key":{"pk":{"S":"a"}}}},null,null]');
    expect(encoded.cloned.map(([i]) => i)).toEqual([1, 2]);
    expect(decodeList(structuredClone(encoded))).toEqual(calls);
  });

  it('send replies with stored items written from their packed form, and keep the nulls of replies still to come', () => {
    const packed = packItem({ pk: { S: 'a' }, n: { N: '1' } });
    const replies: Array<Reply | null> = [
      { ok: true, value: { Item: new WireItem(packed) } },
      null,
      { ok: true, value: { UnprocessedKeys: { t: { Keys: [{ pk: { B: new Uint8Array([9]) } }] } }, Items: [new WireItem(packed)] } },
      { ok: false, error: { name: 'ValidationException', message: 'bad', fields: {} } },
    ];
    const encoded = encodeList(replies, (r) => toPlainJson(r), (r) => withItems(r) as Reply);
    expect(encoded.json).toBe('[{"ok":true,"value":{"Item":{"pk":{"S":"a"},"n":{"N":"1"}}}},null,null,{"ok":false,"error":{"name":"ValidationException","message":"bad","fields":{}}}]');
    expect(decodeList(structuredClone(encoded))).toEqual([
      { ok: true, value: { Item: { pk: { S: 'a' }, n: { N: '1' } } } },
      null,
      { ok: true, value: { UnprocessedKeys: { t: { Keys: [{ pk: { B: new Uint8Array([9]) } }] } }, Items: [{ pk: { S: 'a' }, n: { N: '1' } }] } },
      { ok: false, error: { name: 'ValidationException', message: 'bad', fields: {} } },
    ]);
  });
});

describe('encodeList', () => {
  it('writes empty and one-element lists', () => {
    expect(encodeList([], () => '1')).toEqual({ json: '[]', cloned: [] });
    expect(encodeList([7], (n) => String(n))).toEqual({ json: '[7]', cloned: [] });
    expect(encodeList([null, 7], (n) => String(n))).toEqual({ json: '[null,7]', cloned: [] });
  });
});
