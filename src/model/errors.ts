/**
 * An error as DynamoDB reports it: `name` is DynamoDB's exception type, `message` its text.
 *
 * Validators return messages; only the dispatcher constructs and throws these. Only `name` and
 * `message` are needed to rebuild one on the far side of a worker boundary.
 *
 * @example
 * const err = new DynamoError('ValidationException', 'The provided key element does not match the schema');
 * wireErrorType(err.name); // 'com.amazon.coral.validate#ValidationException'
 */
export class DynamoError extends Error {
  override readonly name: string;

  constructor(name: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = name;
  }
}

/** Exceptions raised by the Coral service framework in front of DynamoDB rather than DynamoDB itself. */
const CORAL_SERVICE_TYPES = new Set([
  'SerializationException',
  'UnknownOperationException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'MissingAuthenticationTokenException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
]);

/**
 * The `__type` DynamoDB puts in an error body for an exception type.
 *
 * @example
 * wireErrorType('ResourceNotFoundException'); // 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException'
 */
export function wireErrorType(name: string): string {
  if (name === 'ValidationException') return 'com.amazon.coral.validate#ValidationException';
  if (CORAL_SERVICE_TYPES.has(name)) return `com.amazon.coral.service#${name}`;
  return `com.amazonaws.dynamodb.v20120810#${name}`;
}
