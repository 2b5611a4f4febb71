/** docs/protocols/field-bus.md lists every field of every register map with its exact address. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapRows, type RegisterMap } from '../protocols/fieldbus/register-map.js';
import { EV_CC_MAP } from '../protocols/fieldbus/ev-cc-ac1-m3.js';
import { SDM_MAP } from '../protocols/fieldbus/sdm-meter.js';
import { LAMP_MAP } from '../protocols/fieldbus/lamp-driver.js';
import { chargePadsMap } from '../protocols/fieldbus/charge-pads.js';

describe('field-bus register documentation', () => {
  it('has a row per field with its table and address', () => {
    const doc = readFileSync(join(import.meta.dirname, '../docs/protocols/field-bus.md'), 'utf8');
    const maps: [string, RegisterMap][] = [['Unit 1', EV_CC_MAP], ['Unit 2', SDM_MAP], ['Unit 3', chargePadsMap(2)], ['Unit 4', LAMP_MAP]];
    for (const [section, map] of maps) {
      const start = doc.indexOf(`### ${section}`);
      expect(start, section).toBeGreaterThan(0);
      const body = doc.slice(start, doc.indexOf('\n### ', start + 5));
      for (const r of mapRows(map)) {
        const row = body.split('\n').find((l) => l.startsWith(`| \`${r.name}\` |`));
        expect(row, `${section} ${r.name}`).toBeDefined();
        expect(row, `${section} ${r.name}`).toContain(`| ${r.table} (`);
        expect(row, `${section} ${r.name}`).toContain(`| ${r.address} | 0x${r.address.toString(16).toUpperCase().padStart(4, '0')} | ${r.words} |`);
      }
    }
  });
});
