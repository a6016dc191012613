/**
 * Reading many whole files in turn into one buffer. A new buffer per file (readFileSync) is fresh
 * memory to fault in and free for every file. Reading the search counts' twelve parts (190 MB at
 * 100,000 articles) alone cost 350-430 ms of CPU that way, and 230-250 ms into one buffer
 * (docs/performance.md, round sixteen). The bytes are a view of the buffer. They stay valid until
 * the next file is read into it.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The whole file at `file`, read into `buffer` (or a larger one made in its place, returned for the
 * next file): `bytes` a view of exactly the file's bytes.
 */
export function readInto(file: string, buffer: Buffer): { bytes: Buffer; buffer: Buffer } {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    // Room for the file and a byte more, to see it end.
    if (buffer.length < size + 1) buffer = Buffer.allocUnsafe(size + 1 + (size >> 3));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        // A file grown since its size was taken: read on into a larger buffer.
        const more = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(more, 0, 0, length);
        buffer = more;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, length);
      if (n === 0) break;
      length += n;
    }
    return { bytes: buffer.subarray(0, length), buffer };
  } finally {
    closeSync(fd);
  }
}
