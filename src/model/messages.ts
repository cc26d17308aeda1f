/**
 * Every message the data-model layer produces, word for word as DynamoDB sends it (typos and
 * missing spaces included: clients match on this text). The source each was checked against is
 * noted beside it:
 *   conformance  nubo-db/dynamodb-conformance, asserted against DynamoDB
 *   dynoxide     nubo-db/dynoxide, captured against DynamoDB (eu-west-2)
 *   dynalite     mhart/dynalite's test suite, written against DynamoDB
 */

const INVALID = 'One or more parameter values were invalid: ';
const NOT_VALID = 'One or more parameter values are not valid. ';

// --- SerializationException: the JSON does not deserialise into an AttributeValue (dynalite) ---

export const UNEXPECTED_VALUE_TYPE = 'Unexpected value type in payload';
export const UNEXPECTED_FIELD_TYPE = 'Unexpected field type';
export const UNEXPECTED_STRUCTURE = 'Start of structure or map found where not expected';
export const UNEXPECTED_TOKEN = 'Unexpected token received from parser';
export const ATTRIBUTE_VALUE_IS_COLLECTION =
  'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue';
export const MAP_IS_COLLECTION =
  'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>';
export const BLOB_NOT_STRING = 'only base-64-encoded strings are convertible to bytes';
export const BLOB_IS_COLLECTION = 'Unrecognized collection type class java.nio.ByteBuffer';
export const BASE64_LAST_CHARACTER = 'Invalid last non-pad Base64 character dectected';

/** `java` is the class DynamoDB deserialises into: 'String' or 'Boolean'. */
export const scalarIsCollection = (java: 'String' | 'Boolean'): string =>
  `Unrecognized collection type class java.lang.${java}`;

/** `token` is Jackson's name for the JSON token: TRUE_VALUE, FALSE_VALUE, NUMBER_VALUE, DECIMAL_VALUE. */
export const cannotConvert = (token: string, java: 'String' | 'Boolean'): string =>
  `${token} cannot be converted to ${java}`;

export const base64Length = (length: number): string =>
  `Base64 encoded length is expected a multiple of 4 bytes but found: ${length}`;

// --- ValidationException: the AttributeValue deserialised but is not a valid value ---

export const EMPTY_ATTRIBUTE_VALUE =
  'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'; // dynalite, dynoxide
export const MULTIPLE_DATATYPES =
  'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'; // dynalite, dynoxide
export const NULL_NOT_TRUE = `${INVALID}Null attribute value types must have the value of true`; // conformance
export const EMPTY_STRING_SET = `${INVALID}An string set  may not be empty`; // conformance
export const EMPTY_NUMBER_SET = `${INVALID}An number set  may not be empty`; // conformance
export const EMPTY_BINARY_SET = `${INVALID}Binary sets should not be empty`; // conformance (substring), dynalite, dynoxide
export const NUMBER_SET_DUPLICATES = 'Input collection contains duplicates'; // dynalite, dynoxide

/** Elements as sent, in order. */
export const stringSetDuplicates = (elements: readonly string[]): string =>
  `${INVALID}Input collection [${elements.join(', ')}] contains duplicates.`; // conformance

/** Elements as base64, in order; DynamoDB leaves out the space before "of". */
export const binarySetDuplicates = (base64Elements: readonly string[]): string =>
  `${INVALID}Input collection [${base64Elements.join(', ')}]of type BS contains duplicates.`; // dynalite, dynoxide

export const NESTING_TOO_DEEP =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit'; // dynoxide

// --- Numbers (dynalite, dynoxide) ---

export const NUMBER_EMPTY = 'The parameter cannot be converted to a numeric value';
export const notANumber = (text: string): string => `${NUMBER_EMPTY}: ${text}`;
export const NUMBER_OVERFLOW =
  'Number overflow. Attempting to store a number with magnitude larger than supported range';
export const NUMBER_UNDERFLOW =
  'Number underflow. Attempting to store a number with magnitude smaller than supported range';
export const NUMBER_PRECISION = 'Attempting to store more than 38 significant digits in a Number';

// --- Item size ---

export const ITEM_TOO_LARGE = 'Item size has exceeded the maximum allowed size'; // conformance, dynalite
export const UPDATED_ITEM_TOO_LARGE = 'Item size to update has exceeded the maximum allowed size'; // conformance, dynoxide

// --- Key attributes (checked by the engine against the table's key schema) ---

export const KEY_SCHEMA_MISMATCH = 'The provided key element does not match the schema'; // conformance

export const missingKey = (name: string): string => `${INVALID}Missing the key ${name} in the item`; // REFERENCE, dynalite

export const keyTypeMismatch = (name: string, expected: string, actual: string): string =>
  `${INVALID}Type mismatch for key ${name} expected: ${expected} actual: ${actual}`; // REFERENCE, dynalite

export const indexKeyTypeMismatch = (name: string, expected: string, actual: string, index: string): string =>
  `${INVALID}Type mismatch for Index Key ${name} Expected: ${expected} Actual: ${actual} IndexName: ${index}`; // dynalite, dynoxide

export const emptyKeyString = (name: string): string =>
  `${NOT_VALID}The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`; // dynalite, dynoxide

export const emptyKeyBinary = (name: string): string =>
  `${NOT_VALID}The AttributeValue for a key attribute cannot contain an empty binary value. Key: ${name}`; // dynalite, dynoxide

export const emptyIndexKeyString = (index: string, name: string): string =>
  `${NOT_VALID}A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: ${index}, IndexKey: ${name}`; // dynoxide

export const emptyIndexKeyBinary = (index: string, name: string): string =>
  `${NOT_VALID}A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty binary value. IndexName: ${index}, IndexKey: ${name}`; // dynoxide

export const PARTITION_KEY_TOO_LARGE = `${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`; // dynalite, dynoxide
export const SORT_KEY_TOO_LARGE = `${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`; // dynalite, dynoxide

// --- Tables and requests (raised by src/engine and src/actions; kept here so there is one catalogue) ---

export const RESOURCE_NOT_FOUND = 'Requested resource not found'; // conformance, dynalite
export const tableNotFound = (name: string): string => `${RESOURCE_NOT_FOUND}: Table: ${name} not found`; // dynalite, dynoxide
export const tableAlreadyExists = (name: string): string => `Table already exists: ${name}`; // REFERENCE, dynoxide
export const tableInUse = (state: 'created' | 'updated', name: string): string =>
  `Attempt to change a resource which is still in use: Table is being ${state}: ${name}`; // dynalite ('created')
export const RETURN_VALUES_PUT_DELETE = 'ReturnValues can only be ALL_OLD or NONE'; // dynalite
export const invalidStartKey = (reason: string): string => `The provided starting key is invalid: ${reason}`; // dynalite
export const wrongSegment = (totalSegments: number, segment: number): string =>
  `Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: ${totalSegments} Segment: ${segment}`; // dynalite
export const SEGMENT_WITHOUT_TOTAL =
  'The TotalSegments parameter is required but was not present in the request when Segment parameter is present'; // conformance
export const TOTAL_WITHOUT_SEGMENT =
  'The Segment parameter is required but was not present in the request when parameter TotalSegments is present'; // conformance
export const segmentOutOfRange = (segment: number, totalSegments: number): string =>
  `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${totalSegments}`; // conformance

// --- Batches: BatchGetItem and BatchWriteItem (src/actions/Batch*.ts) ---

/** An empty RequestItems map: the service reports it as a missing parameter. */
export const requestItemsRequired = (action: 'BatchGetItem' | 'BatchWriteItem'): string =>
  `The requestItems parameter is required for ${action}`; // conformance, dynoxide
export const BATCH_DUPLICATE_KEYS = 'Provided list of item keys contains duplicates'; // conformance, dynalite
/** More keys or requests in all tables together than one call takes, though each table's list is within bounds. */
export const tooManyItems = (action: 'BatchGetItem' | 'BatchWriteItem'): string =>
  `Too many items requested for the ${action} call`; // dynalite (BatchGetItem); BatchWriteItem: DynamoDB Local's text, same form

/** Constraint failures on RequestItems, joined by validationErrors. `requestItems` is the map as the service echoes it. */
export const tableNamesConstraint = (requestItems: string): string =>
  `Value '${requestItems}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: ` +
  '[Member must have length less than or equal to 255, Member must have length greater than or equal to 3, ' +
  'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]'; // dynalite
export const writeRequestsConstraint = (requestItems: string): string =>
  `Value '${requestItems}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: ` +
  '[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]'; // conformance, dynalite
/** The service leaves the keys out of the message and spells the path with capitals. */
export const keysConstraint = (table: string): string =>
  `Value at 'RequestItems.${table}.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100`; // conformance
export const validationErrors = (errors: readonly string[]): string =>
  `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`;

// --- Transactions (TransactWriteItems, TransactGetItems) ---

export const CONDITIONAL_REQUEST_FAILED = 'The conditional request failed'; // conformance
/**
 * Messages with this prefix (an empty key value, of the table or of an index) fail a whole
 * TransactWriteItems as a ValidationException; every other per-action message is a cancellation
 * reason (dynoxide, captured in four regions).
 */
export const NOT_VALID_PREFIX = NOT_VALID;
/** One code per action, in request order: None, ConditionalCheckFailed, ValidationError. */
export const transactionCancelled = (codes: readonly string[]): string =>
  `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`; // conformance
export const MULTIPLE_OPERATIONS_ON_ONE_ITEM = 'Transaction request cannot include multiple operations on one item'; // conformance
export const TRANSACTION_TOO_LARGE =
  'Collection size of items exceeded, which can also be caused by the aggregate size of the items in the transaction exceeding the 4MB limit'; // dynoxide
export const TRANSACT_ITEM_ONE_ACTION = 'TransactItems can only contain one of Check, Put, Update or Delete'; // moto's tests
export const TRANSACT_ITEM_NO_ACTION = 'The action or operation requested is invalid. Verify that the action is typed correctly.'; // dynalite fork's TransactWriteItems tests
export const IDEMPOTENT_PARAMETER_MISMATCH = 'An error occurred (IdempotentParameterMismatchException)'; // dynoxide
/** UpdateItem's wording, reported as a cancellation reason inside a transaction. */
export const updatesKeyAttribute = (name: string): string => `One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`; // conformance suite

// --- Capacity (raised by src/actions/capacity.ts) ---

export const TABLE_THROUGHPUT_EXCEEDED =
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.'; // service replies quoted in public issues (2017-2021)
export const INDEX_THROUGHPUT_EXCEEDED =
  'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API'; // a service reply quoted in grailbio/reflow#101

export const ITEM_COLLECTION_TOO_LARGE =
  'An item collection is too large. This exception is only returned for tables that have one or more local secondary indexes.'; // API reference, ItemCollectionSizeLimitExceededException

// --- Tags: TagResource, UntagResource, ListTagsOfResource, CreateTable's Tags ---

export const INVALID_TABLE_ARN = 'Invalid TableArn'; // dynalite, dynoxide
export const invalidResourceArn = (arn: string): string => `${INVALID_TABLE_ARN}: Invalid ResourceArn provided as input ${arn}`; // dynalite, dynoxide, ScyllaDB's tests
export const TAGS_NULL = "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null"; // dynalite
export const TAG_KEYS_NULL = "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null"; // dynalite
export const NO_TAGS = 'Atleast one Tag needs to be provided as Input.'; // dynalite, dynoxide
export const NO_TAG_KEYS = 'Atleast one Tag Key needs to be provided as Input.'; // dynalite, dynoxide
export const TAG_KEY_LENGTH = `${INVALID}Tag key must be between 1 and 128 characters`; // dynoxide
export const TAG_VALUE_LENGTH = `${INVALID}Tag value must be between 0 and 256 characters`; // dynoxide
/** The Developer Guide reserves the prefix; this text is Tidepool's, none from the service is recorded. */
export const RESERVED_TAG_KEY = `${INVALID}Tag keys starting with 'aws:' are reserved for system use`;
export const TOO_MANY_TAGS = `${INVALID}Too many tags: tag limit is 50`; // dynoxide
/** The service's own typo ("ResourcArn"). */
export const resourceArnNotFound = (arn: string): string => `${RESOURCE_NOT_FOUND}: ResourcArn: ${arn} not found`; // dynalite, dynoxide
export const listTagsDenied = (accountId: string, arn: string): string =>
  `User: arn:aws:iam::${accountId}:root is not authorized to perform: dynamodb:ListTagsOfResource on resource: ${arn}`; // dynoxide

// --- Time to Live: UpdateTimeToLive ---

export const TTL_ALREADY_ENABLED = 'TimeToLive is already enabled'; // service replies quoted in public code
export const TTL_ALREADY_DISABLED = 'TimeToLive is already disabled'; // service replies quoted in public code (Terraform's AWS provider)
export const ttlOnOtherAttribute = (current: string): string =>
  `TimeToLive is active on a different AttributeName: current AttributeName is ${current}`; // a service reply quoted in public tests

// --- Streams: StreamSpecification on CreateTable and UpdateTable, and the DynamoDB Streams API ---

export const STREAM_ENABLED_NEEDS_VIEW_TYPE = `${INVALID}Table is being created with a stream enabled, UpdateViewType is required`; // ack-api-quirks capture
export const STREAM_DISABLED_WITH_VIEW_TYPE = `${INVALID}Table is being created with a stream disabled, UpdateViewType should not be specified`; // ack-api-quirks capture, dynoxide
export const ENABLING_STREAM_NEEDS_VIEW_TYPE = `${INVALID}If stream is being enabled then UpdateViewType is required`; // ack-api-quirks capture
export const DISABLING_STREAM_WITH_VIEW_TYPE = `${INVALID}If stream is being disabled, then UpdateViewType must not be specified`; // ack-api-quirks capture
export const INDEX_CHANGE_WITH_STREAM_CHANGE = `${INVALID}You cannot create or delete index while changing stream status`; // ack-api-quirks capture
/** Also the answer to a change of StreamViewType while the stream is on: it cannot change in place. */
export const streamAlreadyEnabled = (table: string): string => `Table already has an enabled stream: TableName: ${table}`; // ack-api-quirks capture
export const noStreamToDisable = (table: string): string => `Table has no stream to disable: TableName: ${table}`; // ack-api-quirks capture
export const streamNotFound = (arn: string): string => `${RESOURCE_NOT_FOUND}: Stream: ${arn} not found`; // service replies quoted in public tests
export const SHARD_NOT_FOUND = `${RESOURCE_NOT_FOUND}: Shard does not exist`; // service replies handled by public KCL adapters
export const ITERATOR_EXPIRED = 'The provided iterator exceeds the maximum age allowed.'; // API reference, ExpiredIteratorException
export const DATA_TRIMMED = 'The data you are trying to access has been trimmed.'; // API reference, TrimmedDataAccessException
export const GET_RECORDS_LIMIT = 'Too many operations for a given subscriber.'; // API reference, LimitExceededException (GetRecords Limit above 1000)
// Not captured from the service anywhere we could find; Tidepool's wording until someone records it.
export const INVALID_SHARD_ITERATOR = 'Invalid ShardIterator';
export const sequenceNumberRequired = (type: string): string => `SequenceNumber is required for ShardIteratorType ${type}`;
export const invalidSequenceNumber = (sequence: string): string => `Invalid SequenceNumber: ${sequence}`;

// --- PartiQL: ExecuteStatement, BatchExecuteStatement, ExecuteTransaction (src/partiql, src/actions) ---

/** The envelope of a statement that does not parse; `detail` says where it went wrong. */
export const statementMalformed = (detail: string): string => `Statement wasn't well formed, can't be processed: ${detail}`; // conformance (prefix), dynoxide
export const EXPECTED_DML = 'Expected data manipulation'; // dynoxide, captured
/** The details of other syntax errors. DynamoDB's own wording for these is not known. */
export const UNEXPECTED_KEYWORD = 'Unexpected keyword';
export const UNEXPECTED_STATEMENT_TOKEN = 'Unexpected token';
export const UNEXPECTED_END = 'Unexpected end of statement';
export const STATEMENT_TOO_DEEP = 'Statement is nested too deeply to parse';
/** Rejections of a well-formed FROM clause, sent without the envelope (dynoxide, captured). */
export const FROM_TOO_MANY_COMPONENTS = 'A path may contain at most 2 components in the FROM clause';
export const EMPTY_PATH_COMPONENT = 'Path component cannot be an empty string';
export const DML_SINGLE_TABLE = 'FROM clause may only contain a single table name in data manipulation statements';
export const EMPTY_SET_LITERAL = 'Set literals cannot be empty'; // dynoxide; DynamoDB's wording not known
export const MIXED_SET_LITERAL = 'Set literals must contain elements of one type: strings, numbers or binaries'; // Tidepool's wording
export const INSERT_NOT_A_MAP = 'The value of an INSERT statement must be a map'; // Tidepool's wording
export const PARAMETER_COUNT = "Number of parameters in request and statement don't match."; // service replies quoted in public posts; unsure

export const DUPLICATE_ITEM = 'Duplicate primary key exists in table'; // conformance, dynoxide
export const KEY_EQUALITY = 'Where clause does not contain a mandatory equality on all key attributes'; // dynoxide
export const WRITE_ON_INDEX = 'This operation is not supported on an index'; // dynoxide, captured
export const GSI_CONSISTENT_READ = 'Strongly consistent read is not supported on Global Secondary Indexes'; // dynoxide, captured
export const INVALID_NEXT_TOKEN = 'Invalid NextToken'; // dynoxide, captured
export const NEXT_TOKEN_MISMATCH = 'NextToken does not match request'; // dynoxide, captured
export const NEXT_TOKEN_NOT_SELECT = 'NextToken is only valid on a SELECT statement'; // dynoxide

export const BATCH_READS_AND_WRITES = 'Read and write requests together in the same batch is not supported.'; // dynoxide, captured
export const BATCH_SELECT_KEY = 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.'; // dynoxide, captured
export const TRANSACTION_READS_AND_WRITES = 'ExecuteTransaction API does not support both read and write operations in the same request.'; // dynoxide
/** A statement of ExecuteTransaction that the transaction cannot run, by its position. */
export const transactionStatement = (index: number, detail: string): string => `Validation failed in TransactStatements[${index}]: ${detail}`; // dynoxide, captured
export const TRANSACTION_INDEX_READ = 'Reads on indices are not supported within transactions.'; // dynoxide, captured
export const TRANSACTION_SELECT_KEY = 'Select statements within ExecuteTransaction must specify the primary key in the where clause.'; // Tidepool's wording, after BatchExecuteStatement's
