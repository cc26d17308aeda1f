// Static exchange buffers shared with JS. They live in the data segment, so
// their addresses never move; JS still has to refresh its views after the
// memory grows, because growing detaches the old ArrayBuffer.
//
//   IN   64 KiB  raw scalars for key encoding, bulk-load and batched-get records
//   KEY   8 KiB  the key an operation works on; key encoders write here
//   OUT  64 KiB  cursor reads, batched-get results, a cursor's key
//   TAIL  8 KiB  a table key without its hash, which every index key of that item ends with
//
// Key encoding reads the partition value from IN[0..] and the sort value
// from IN[IN_HALF..], so JS can encode both without slicing views.

// @ts-ignore: decorator
@inline export const IN_SIZE: i32 = 65536;
// @ts-ignore: decorator
@inline export const IN_HALF: i32 = 32768;
// @ts-ignore: decorator
@inline export const KEY_SIZE: i32 = 8192;
// @ts-ignore: decorator
@inline export const OUT_SIZE: i32 = 65536;
// @ts-ignore: decorator
@inline export const NONE: u32 = 0xFFFFFFFF;

export const IN: usize = memory.data(IN_SIZE, 16);
export const KEY: usize = memory.data(KEY_SIZE, 16);
export const OUT: usize = memory.data(OUT_SIZE, 16);
export const TAIL: usize = memory.data(KEY_SIZE, 16);
