/**
 * Every parser of outside input with the property it must keep on any input (docs/security.md
 * §Fuzzing): it returns a value or its documented refusal, never throws anything else, never
 * hangs, and stays within its buffer bound. `npm run fuzz` runs each with ≥ 100 000 cases
 * (FUZZ_RUNS); the normal suite runs a few thousand (test/fuzz/fuzz.test.ts).
 */
import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openEnvelope, sealEnvelope, type TrustedKey } from '../../protocols/envelope.js';
import { parseCap } from '../../protocols/cap.js';
import { DataSetPayload } from '../../protocols/dataset.js';
import { DATASET_NAMES, DATASET_SCHEMAS } from '../../protocols/datasets.js';
import { AtFramer } from '../../protocols/at/framer.js';
import { parseCsq } from '../../protocols/at/signal.js';
import { parseRegistration } from '../../protocols/at/registration.js';
import { parseServingCell } from '../../protocols/at/serving-cell.js';
import { parseUrc } from '../../protocols/at/urc.js';
import { parseFinal } from '../../protocols/at/final.js';
import { SmartpoleError } from '../../protocols/errors.js';
import { RtuDecoder } from '../../protocols/modbus/rtu.js';
import { EgalaxDecoder } from '../../protocols/touch/egalax.js';
import { FrameDecoder } from '../../protocols/led-link/frame.js';
import { decodeAck, decodeBlit, decodeCaps, decodeFault, decodeHello, decodePresent, decodeStatus } from '../../protocols/led-link/messages.js';
import { KeyDecoder } from '../../protocols/console/key-decoder.js';
import { TrustListPayload } from '../../protocols/trust-list.js';

export interface FuzzOutcome { failed: boolean; numRuns: number; seed: number; counterexample: unknown; path: string | null; error: unknown }

export interface FuzzTarget {
  name: string;
  run(numRuns: number, seed?: number): FuzzOutcome;
}

function target<Ts extends [unknown, ...unknown[]]>(name: string, property: fc.IPropertyWithHooks<Ts>): FuzzTarget {
  return {
    name,
    run: (numRuns, seed) => {
      const r = fc.check(property, { numRuns, ...(seed !== undefined ? { seed } : {}) });
      return { failed: r.failed, numRuns: r.numRuns, seed: r.seed, counterexample: r.counterexample, path: r.counterexamplePath, error: r.errorInstance };
    },
  };
}

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const KEY: TrustedKey = { kid: 'fuzz', issuer: 'fuzz', key: publicKey, revoked: false };
const lookup = (kid: string) => (kid === 'fuzz' ? KEY : undefined);
const CAP_DIR = join(import.meta.dirname, '../../docs/examples/cap');
const CAP_SAMPLES = readdirSync(CAP_DIR).filter((f) => f.endsWith('.xml')).map((f) => readFileSync(join(CAP_DIR, f), 'utf8'));

/** A sample with random edits: deletions, insertions of XML-ish text, truncation. */
const mutatedXml = fc.tuple(fc.constantFrom(...CAP_SAMPLES), fc.array(fc.tuple(fc.nat(), fc.nat(40), fc.constantFrom('', '<', '>', '</info>', '<alert>', '&amp;', '&#x0;', ']]>', '<![CDATA[', 'x'.repeat(50), '<a><b><c>')), { maxLength: 6 }))
  .map(([xml, edits]) => edits.reduce((s, [at, del, ins]) => { const i = at % (s.length + 1); return s.slice(0, i) + ins + s.slice(i + del); }, xml));

const bytes = (max: number) => fc.uint8Array({ maxLength: max });
const never = <T>(f: () => T): T => f(); // documents that the call must simply return

function onlySmartpoleErrors(f: () => unknown): boolean {
  try { f(); return true; } catch (e) { if (e instanceof SmartpoleError) return true; throw e; }
}

export const TARGETS: FuzzTarget[] = [
  target('signed envelope (openEnvelope)', fc.property(fc.oneof(
      bytes(400).map((b) => Buffer.from(b)),
      fc.json().map((j) => Buffer.from(j)),
      fc.record({ kid: fc.constantFrom('fuzz', 'x'), alg: fc.constantFrom('Ed25519', 'none'), payload: fc.base64String({ maxLength: 300 }), sig: fc.base64String({ minLength: 88, maxLength: 88 }) }).map((e) => Buffer.from(JSON.stringify(e))),
      fc.jsonValue({ maxDepth: 6 }).map((v) => Buffer.from(JSON.stringify(sealEnvelope(v, 'fuzz', privateKey)))),
    ), (raw) => {
      const r = never(() => openEnvelope(raw, lookup));
      return typeof r.ok === 'boolean';
    })),
  target('CAP 1.2 XML (parseCap)', fc.property(fc.oneof(fc.string({ maxLength: 400 }), mutatedXml), (xml) => typeof never(() => parseCap(xml)).ok === 'boolean')),
  target('data sets (DataSetPayload + content schemas) and the trust list', fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(...DATASET_NAMES), (v, name) => {
      DataSetPayload.safeParse(v);
      DataSetPayload.safeParse({ type: 'dataset', id: name, audience: 'all', version: 1, issuedAt: '2026-01-01T00:00:00+08:00', data: v });
      DATASET_SCHEMAS[name].safeParse(v);
      TrustListPayload.safeParse(v);
      return true;
    })),
  target('AT lines (AtFramer + reply parsers)', fc.property(bytes(600), fc.array(fc.string({ maxLength: 120 }), { maxLength: 4 }), (b, lines) => {
      const f = new AtFramer({ maxLineBytes: 256 });
      const tokens = f.push(b);
      const texts = [...tokens.flatMap((t) => (t.kind === 'line' ? [t.text] : [])), ...lines];
      for (const line of texts) {
        onlySmartpoleErrors(() => parseCsq(`+CSQ: ${line}`));
        onlySmartpoleErrors(() => parseRegistration(`+CEREG: ${line}`));
        onlySmartpoleErrors(() => parseServingCell([`+QENG: "servingcell",${line}`]));
        onlySmartpoleErrors(() => parseUrc(line));
        onlySmartpoleErrors(() => parseFinal(line));
      }
      return f.pending <= 256;
    })),
  target('Modbus RTU frames (RtuDecoder, both roles)', fc.property(fc.array(bytes(300), { maxLength: 6 }), (chunks) => {
      for (const role of ['master', 'slave'] as const) {
        const d = new RtuDecoder(role);
        for (const c of chunks) d.push(c);
        if (d.pending > 256) return false;
      }
      return true;
    })),
  target('eGalax touch packets (EgalaxDecoder)', fc.property(fc.array(bytes(200), { maxLength: 6 }), (chunks) => {
      const d = new EgalaxDecoder();
      for (const c of chunks) for (const p of d.push(c)) if (p.x < 0 || p.y < 0) return false;
      return true;
    })),
  target('LED link frames and messages (FrameDecoder + message decoders)', fc.property(fc.array(bytes(700), { maxLength: 5 }), (chunks) => {
      const d = new FrameDecoder(4096);
      for (const c of chunks) {
        for (const r of d.push(c)) if (r.ok) for (const dec of [decodeAck, decodeBlit, decodeCaps, decodeFault, decodeHello, decodePresent, decodeStatus]) dec(r.frame.payload);
      }
      for (const c of chunks) for (const dec of [decodeAck, decodeBlit, decodeCaps, decodeFault, decodeHello, decodePresent, decodeStatus]) dec(c);
      return true;
    })),
  target('console keys (KeyDecoder)', fc.property(fc.array(bytes(100), { maxLength: 8 }), (chunks) => {
      const d = new KeyDecoder();
      for (const c of chunks) for (const k of d.push(c)) if (typeof k.k !== 'string') return false;
      return true;
    })),
];
