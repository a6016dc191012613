/** decode (#7): bytes -> text for every encoding a scraper hands us, or a reason. */
import { describe, expect, it } from 'vitest';
import { decode, decodeCp1252 } from '../src/lib/ingest/read/decode';

const enc = (s: string) => new TextEncoder().encode(s);
const text = 'The council met on Tuesday and voted to approve the new budget for the coming year.';

describe('decode', () => {
  it('decodes every assigned Windows-1252 byte to the character the encoding defines', () => {
    // Reference: the WHATWG index for 0x80-0x9f, by name of character.
    const expected: Record<number, string> = { 0x80: '€', 0x85: '…', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x96: '–', 0x97: '—', 0x99: '™', 0x9f: 'Ÿ' };
    for (const [byte, ch] of Object.entries(expected)) expect(decodeCp1252(new Uint8Array([Number(byte)]))).toBe(ch);
    for (const undefinedByte of [0x81, 0x8d, 0x8f, 0x90, 0x9d]) expect(decodeCp1252(new Uint8Array([undefinedByte]))).toBeNull();
    const latin1 = new Uint8Array(96).map((_, i) => 0xa0 + i);
    expect(decodeCp1252(latin1)).toBe(String.fromCharCode(...latin1));
  });

  it('decodes Windows-1252 and Latin-1 text with a warning', () => {
    const bytes = new Uint8Array([...enc('Caf'), 0xe9, ...enc(' '), 0x93, ...enc('quoted'), 0x94, ...enc(` ${text}`)]);
    const r = decode(bytes);
    expect(r.ok && r.text).toBe(`Café “quoted” ${text}`);
    expect(r.ok && r.encoding).toBe('windows-1252');
    expect(r.ok && r.warnings.join(' ')).toMatch(/Windows-1252/);
  });

  it('rejects bytes undefined in Windows-1252 and text of another 8-bit encoding', () => {
    expect(decode(new Uint8Array([...enc(text), 0x81, 0x8d])).ok).toBe(false);
    // Russian in Windows-1251: valid Windows-1252 bytes, but mojibake if decoded as such.
    const cyrillic = new Uint8Array(Array.from({ length: 200 }, (_, i) => (i % 7 === 6 ? 0x20 : 0xe0 + (i % 31))));
    const r = decode(cyrillic);
    expect(r.ok).toBe(false);
  });

  it('strips a UTF-8 byte-order mark and normalises CRLF and CR', () => {
    const r = decode(new Uint8Array([0xef, 0xbb, 0xbf, ...enc(`Title\r\n\r\n${text}\rEnd`)]));
    expect(r.ok && r.text).toBe(`Title\n\n${text}\nEnd`);
  });

  it('decodes UTF-16 with a byte-order mark', () => {
    const le = new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
    expect(decode(le).ok && (decode(le) as { text: string }).text).toBe(text);
  });

  it.each([
    ['empty', new Uint8Array(0), /empty/],
    ['white space', enc(' \n\t\n'), /empty/],
    ['PNG', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2]), /PNG/],
    ['PDF', enc('%PDF-1.7 ...'), /PDF/],
    ['NUL bytes', new Uint8Array([...enc(text), 0, 0, 0]), /binary/],
    ['control characters', new Uint8Array(Array.from({ length: 400 }, (_, i) => (i % 3 ? 0x41 : 0x01))), /binary/],
    ['over the size limit', new Uint8Array(2048).fill(0x61), /too large/],
  ])('rejects %s with a reason', (_name, bytes, reason) => {
    const r = decode(bytes, { maxBytes: 1024 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(reason);
  });
});
