/** Independent decoding of exported PNGs (fast-png), insisting on 8-bit single-channel gray. */
import assert from 'node:assert/strict';
import { decode as decodePng } from 'fast-png';

/** Decode a PNG with fast-png and insist on 8-bit, one channel. */
export function decodeGray(png: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  const d = decodePng(png);
  assert.equal(d.depth, 8, 'bit depth');
  assert.equal(d.channels, 1, 'channels (gray)');
  return { width: d.width, height: d.height, pixels: new Uint8Array(d.data.buffer, d.data.byteOffset, d.data.byteLength) };
}

