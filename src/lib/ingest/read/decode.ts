/**
 * Bytes -> text. Scrapers hand us whatever they fetched: UTF-8 with or without
 * a byte-order mark, Windows-1252 from older sites, CRLF line ends, or not text
 * at all (images, archives, PDFs saved with the wrong extension).
 */

export interface DecodeOptions {
  /** Files larger than this are rejected: they are dumps, not articles. */
  maxBytes: number;
  /** Share of control characters above which a file is taken to be binary. */
  maxControlRatio: number;
}

export const defaultDecodeOptions: DecodeOptions = {
  maxBytes: 5 * 1024 * 1024,
  // Real text has tabs and newlines only; a few stray control bytes survive in
  // scraped text, a binary file has them everywhere.
  maxControlRatio: 0.02,
};

export type DecodeResult =
  | { ok: true; text: string; encoding: 'utf-8' | 'windows-1252'; warnings: string[] }
  | { ok: false; reason: string };

/** Magic numbers of formats people drop by mistake, named in the rejection. */
const MAGIC: Array<[string, number[]]> = [
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['ZIP archive', [0x50, 0x4b, 0x03, 0x04]],
  ['gzip archive', [0x1f, 0x8b]],
  ['WebP image', [0x52, 0x49, 0x46, 0x46]],
];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Windows-1252's 0x80-0x9f block (the rest is Latin-1). Written out because
 * Node 20's TextDecoder('windows-1252') decodes these bytes as Latin-1 C1
 * control characters (checked on Node 20.20: 0x93 gives U+0093, not U+201C),
 * which would turn every smart quote into a control character. `undefined`
 * marks the five bytes the encoding leaves unassigned. (iconv-lite would do,
 * but one 32-entry table does not justify a dependency.)
 */
const CP1252_HIGH: Array<number | undefined> = [
  0x20ac, undefined, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, undefined, 0x017d, undefined,
  undefined, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, undefined, 0x017e, 0x0178,
];

/** Decodes Windows-1252 (and so Latin-1); null when a byte is unassigned in it. */
export function decodeCp1252(bytes: Uint8Array): string | null {
  const out: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b >= 0x80 && b < 0xa0) {
      const cp = CP1252_HIGH[b - 0x80];
      if (cp === undefined) return null;
      chunk += String.fromCharCode(cp);
    } else {
      chunk += String.fromCharCode(b);
    }
    if (chunk.length > 8192) {
      out.push(chunk);
      chunk = '';
    }
  }
  out.push(chunk);
  return out.join('');
}

export function decode(bytes: Uint8Array, options: Partial<DecodeOptions> = {}): DecodeResult {
  const opts = { ...defaultDecodeOptions, ...options };
  if (bytes.length === 0) return { ok: false, reason: 'empty file' };
  if (bytes.length > opts.maxBytes) {
    return {
      ok: false,
      reason: `file too large (${(bytes.length / 1048576).toFixed(1)} MB, limit ${(opts.maxBytes / 1048576).toFixed(0)} MB)`,
    };
  }
  for (const [name, magic] of MAGIC) {
    if (startsWith(bytes, magic)) return { ok: false, reason: `binary file (${name}), not text` };
  }
  // UTF-16 with a BOM is text, but no scraper we know writes it; decode it rather than reject.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return finish(new TextDecoder('utf-16le').decode(bytes.subarray(2)), 'utf-8', ['decoded as UTF-16LE'], opts);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return finish(new TextDecoder('utf-16be').decode(bytes.subarray(2)), 'utf-8', ['decoded as UTF-16BE'], opts);

  const warnings: string[] = [];
  let body = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) body = bytes.subarray(3);
  if (body.includes(0)) return { ok: false, reason: 'binary file (contains NUL bytes), not text' };
  try {
    return finish(utf8.decode(body), 'utf-8', warnings, opts);
  } catch {
    // Not UTF-8. Windows-1252 (a superset of Latin-1's printable range) maps
    // every byte except five; a file using those is neither, and is rejected.
    // finish() then rejects a result full of control characters (binary data).
    const text = decodeCp1252(body);
    if (text === null) return { ok: false, reason: 'not UTF-8 and not Windows-1252 text' };
    // Western text in Windows-1252 is mostly ASCII letters with a few accented
    // ones. When most letters come out non-ASCII, the bytes are some other
    // 8-bit encoding (Cyrillic, Greek...) and decoding them would be mojibake.
    const letters = text.match(/\p{L}/gu)?.length ?? 0;
    const high = text.match(/[\u00c0-\u024f\u0152-\u0178]/g)?.length ?? 0;
    if (letters > 0 && high / letters > 0.3) {
      return { ok: false, reason: 'not UTF-8, and not Windows-1252 text either (most letters would be accented: another 8-bit encoding?)' };
    }
    warnings.push('not valid UTF-8: decoded as Windows-1252');
    return finish(text, 'windows-1252', warnings, opts);
  }
}

function finish(
  text: string,
  encoding: 'utf-8' | 'windows-1252',
  warnings: string[],
  opts: DecodeOptions,
): DecodeResult {
  const normalised = text.replace(/\r\n?/g, '\n').replace(/^\ufeff/, '');
  let control = 0;
  for (let i = 0; i < normalised.length; i++) {
    const c = normalised.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 12) || c === 0xfffd) control++;
  }
  if (normalised.length > 0 && control / normalised.length > opts.maxControlRatio) {
    return { ok: false, reason: 'binary file (too many control characters), not text' };
  }
  if (normalised.trim() === '') return { ok: false, reason: 'empty file (only white space)' };
  return { ok: true, text: normalised.replace(/[\u0000-\u0008\u000b\u000e-\u001f]/g, ''), encoding, warnings };
}
