#!/usr/bin/env node
// Draws the app icon and one tray icon per availability state as PNGs into resources/.
// Run by hand when the design changes; the PNGs are committed so installs need no tools.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';

const STATES = {
  online: [34, 197, 94],
  paused: [234, 179, 8],
  gaming: [168, 85, 247],
  offline: [148, 163, 184],
  error: [239, 68, 68],
  working: [59, 130, 246],
};

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5, size);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r; raw[o + 1] = g; raw[o + 2] = b; raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// A rounded "GPU card": a rounded square with three fins, in the state's colour.
function gpuIcon([r, g, b]) {
  return (x, y, s) => {
    const u = x / s, v = y / s;
    const inset = 0.08, radius = 0.18;
    const dx = Math.max(Math.abs(u - 0.5) - (0.5 - inset - radius), 0);
    const dy = Math.max(Math.abs(v - 0.5) - (0.5 - inset - radius), 0);
    const d = Math.hypot(dx, dy) - radius;
    const alpha = Math.max(0, Math.min(1, 0.5 - d * s));
    if (alpha === 0) return [0, 0, 0, 0];
    const fin = v > 0.3 && v < 0.7 && [0.3, 0.5, 0.7].some((c) => Math.abs(u - c) < 0.055);
    return fin ? [255, 255, 255, Math.round(alpha * 255)] : [r, g, b, Math.round(alpha * 255)];
  };
}

mkdirSync('resources/tray', { recursive: true });
writeFileSync('resources/icon.png', png(512, gpuIcon([34, 197, 94])));
for (const [state, rgb] of Object.entries(STATES)) {
  writeFileSync(`resources/tray/${state}.png`, png(16, gpuIcon(rgb)));
  writeFileSync(`resources/tray/${state}@2x.png`, png(32, gpuIcon(rgb)));
}
console.log('icons written');
