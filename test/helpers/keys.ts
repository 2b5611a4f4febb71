import { generateKeyPairSync } from 'node:crypto';
import { rawPublicKey, sealEnvelope, type TrustedKey } from '../../protocols/envelope.js';
import { isoWithOffset } from '../../protocols/time.js';
import { audienceOfTopic } from '../../protocols/audience.js';

export interface TestIssuer {
  kid: string;
  issuer: string;
  publicKey: string;
  trusted: TrustedKey;
  seal(payload: unknown): string;
  /** Seals with the audience the topic implies (what the ops client does), replacing any other. */
  sealFor(topic: string, payload: object): string;
}

export function testIssuer(kid = 'test-ops-1', issuer = 'test-ops'): TestIssuer {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    kid, issuer, publicKey: rawPublicKey(publicKey),
    trusted: { kid, issuer, key: publicKey, revoked: false },
    seal: (payload) => JSON.stringify(sealEnvelope(payload, kid, privateKey)),
    sealFor: (topic, payload) => JSON.stringify(sealEnvelope({ ...payload, audience: audienceOfTopic(topic.split('/').slice(0, 2).join('/'), topic) }, kid, privateKey)),
  };
}

export function notice(id: string, over: Record<string, unknown> = {}, now = Date.now()): Record<string, unknown> {
  return {
    type: 'notice', id, audience: 'all', version: 1, issuedAt: isoWithOffset(now - 1000), priority: 'normal',
    title: { zh: `标题 ${id}` }, body: { zh: `内容 ${id}` }, ...over,
  };
}
