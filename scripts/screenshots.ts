/**
 * Regenerates docs/screenshots/: every page of the public screen, rendered by the real Renderer
 * from page models the real ScreenService builds over the Wuhan sample data, reached by tapping
 * hit regions as a visitor would (simulator/screen-tour.ts). `npm run screenshots` builds first.
 *
 *   node dist/scripts/screenshots.js [--out DIR]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCanvas, loadImage } from 'canvas';
import { packageRoot } from '../runtime/version.js';
import { screenFixture } from '../simulator/screen-fixture.js';
import { tour } from '../simulator/screen-tour.js';

export async function generateScreenshots(out: string): Promise<string[]> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // A fixed ticket (random in a pole: protocols/feedback.ts) keeps the pictures the same run to run.
  const f = screenFixture({ start: Date.parse('2026-11-27T18:40:00+08:00'), ticketRandom: () => 40_534_374 });
  const files: string[] = [];
  let i = 0;
  for await (const name of tour(f)) {
    const file = join(out, `${String(++i).padStart(2, '0')}-${name}.png`);
    writeFileSync(file, f.renderer.png());
    files.push(file);
  }
  f.screen.stop();
  await contactSheet(files, join(out, 'contact-sheet.png'));
  return files;
}

/** All screenshots on one image, for the README and review. */
async function contactSheet(files: string[], out: string): Promise<void> {
  const cols = 6;
  const scale = 0.4;
  const w = Math.round(480 * scale);
  const h = Math.round(800 * scale);
  const gap = 12;
  const rows = Math.ceil(files.length / cols);
  const c = createCanvas(cols * (w + gap) + gap, rows * (h + gap) + gap);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#d7dee8';
  ctx.fillRect(0, 0, c.width, c.height);
  for (const [i, f] of files.entries()) {
    const img = await loadImage(f);
    ctx.drawImage(img, gap + (i % cols) * (w + gap), gap + Math.floor(i / cols) * (h + gap), w, h);
  }
  writeFileSync(out, c.toBuffer('image/png'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const out = values.out ?? join(packageRoot(), 'docs', 'screenshots');
  const files = await generateScreenshots(out);
  console.log(`wrote ${files.length} screenshots and a contact sheet to ${out}`);
}
