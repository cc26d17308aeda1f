export type { AttributeValue, Binary, Item, ScalarType } from './types.js';
export { DynamoError, wireErrorType } from './errors.js';
export * as messages from './messages.js';
export { booleanOf, checkAttributeValueShape, type AttributeValuePosition } from './shape.js';
export { validateAttributeValue, MAX_NESTING_DEPTH } from './validate.js';
export {
  addNumbers,
  checkNumber,
  compareNumbers,
  normaliseNumber,
  subtractNumbers,
  type ArithmeticResult,
} from './number.js';
export { attributeValueSize, checkItemSize, itemSize, utf8Length, MAX_ITEM_SIZE } from './size.js';
export { cloneAttributeValue, cloneItem } from './clone.js';
export { toStoredItem, toStoredValue } from './stored.js';
export { base64ToBytes, bytesToBase64 } from './base64.js';
export { WireItem, outputItem, toPlainJson, toWireJson, withItems } from './wire.js';
export { jsonString, packedItemJson, packItem, unpackItem, unpackAttribute, readAttribute, readScalar, samePackedItem, type PackedItem } from './packed.js';
export { setMember } from './member.js';
