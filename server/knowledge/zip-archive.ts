// Reads the entries of a zip archive (the container of DOCX files) with hard caps:
// entry count, and total uncompressed size checked against what each entry really
// inflates to, so a zip bomb stops at the cap instead of filling memory.
import { inflateRawSync } from 'node:zlib';

export class ZipLimitExceeded extends Error {}
export class ZipUnreadable extends Error {}

export type ZipLimits = { maxEntries: number; maxUncompressedBytes: number };

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/** Every file in the archive by name, inflated; throws ZipLimitExceeded or ZipUnreadable. */
export function readZipEntries(bytes: Uint8Array, limits: ZipLimits): Map<string, Buffer> {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfCentralDirectory(data);
  const count = data.readUInt16LE(end + 10);
  const directoryOffset = data.readUInt32LE(end + 16);
  // 0xFFFF / 0xFFFFFFFF mean a zip64 archive; no word processor writes one for a document within our size limits.
  if (count === 0xffff || directoryOffset === 0xffffffff) throw new ZipUnreadable('zip64 archives are not supported');
  if (count > limits.maxEntries) throw new ZipLimitExceeded(`more than ${limits.maxEntries} entries`);

  const entries = new Map<string, Buffer>();
  let budget = limits.maxUncompressedBytes;
  let position = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (position + 46 > data.length || data.readUInt32LE(position) !== CENTRAL_DIRECTORY_ENTRY) throw new ZipUnreadable('bad central directory');
    const flags = data.readUInt16LE(position + 8);
    const method = data.readUInt16LE(position + 10);
    const compressedSize = data.readUInt32LE(position + 20);
    const declaredSize = data.readUInt32LE(position + 24);
    const nameLength = data.readUInt16LE(position + 28);
    const extraLength = data.readUInt16LE(position + 30);
    const commentLength = data.readUInt16LE(position + 32);
    const localOffset = data.readUInt32LE(position + 42);
    const name = data.toString('utf8', position + 46, position + 46 + nameLength);
    position += 46 + nameLength + extraLength + commentLength;

    if (flags & 0x1) throw new ZipUnreadable('encrypted entry');
    if (declaredSize > budget) throw new ZipLimitExceeded('uncompressed size over the limit');
    const compressed = entryData(data, localOffset, compressedSize);
    const content = inflateEntry(compressed, method, budget);
    if (content.length !== declaredSize) throw new ZipUnreadable('entry size does not match its header');
    budget -= content.length;
    if (!name.endsWith('/')) entries.set(name, content);
  }
  return entries;
}

function findEndOfCentralDirectory(data: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 0xffff); at--) {
    if (data.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw new ZipUnreadable('no end of central directory');
}

function entryData(data: Buffer, localOffset: number, compressedSize: number): Buffer {
  if (localOffset + 30 > data.length || data.readUInt32LE(localOffset) !== LOCAL_FILE_HEADER) throw new ZipUnreadable('bad local header');
  const start = localOffset + 30 + data.readUInt16LE(localOffset + 26) + data.readUInt16LE(localOffset + 28);
  if (start + compressedSize > data.length) throw new ZipUnreadable('entry runs past the end of the file');
  return data.subarray(start, start + compressedSize);
}

/** The entry inflated, never past `budget` bytes whatever its header claims. */
function inflateEntry(compressed: Buffer, method: number, budget: number): Buffer {
  if (method === 0) {
    if (compressed.length > budget) throw new ZipLimitExceeded('uncompressed size over the limit');
    return compressed;
  }
  if (method !== 8) throw new ZipUnreadable(`compression method ${method}`);
  try {
    return inflateRawSync(compressed, { maxOutputLength: Math.max(1, budget) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new ZipLimitExceeded('uncompressed size over the limit');
    throw new ZipUnreadable('corrupt compressed data');
  }
}
