import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { redactAtSecrets } from './redact.js';

describe('redactAtSecrets', () => {
  it('hides PINs and APN credentials in commands, echoes and stray lines', () => {
    expect(redactAtSecrets('AT+CPIN="1234"')).toBe('AT+CPIN=****');
    expect(redactAtSecrets('AT+QICSGP=1,1,"cmnet","user","s3cret",1')).toBe('AT+QICSGP=****');
    expect(redactAtSecrets('at+cgauth=1,1,"user","pw"')).toBe('at+cgauth=****');
    expect(redactAtSecrets('AT+CPWD="SC","1234","5678"')).toBe('AT+CPWD=****');
    expect(redactAtSecrets('AT+CSQ')).toBe('AT+CSQ');
    expect(redactAtSecrets('+CPIN: READY')).toBe('+CPIN: READY');
  });

  it('never lets a secret after the = through', () => {
    fc.assert(fc.property(fc.constantFrom('CPIN', 'QICSGP', 'CGAUTH', 'CLCK', 'CPWD'), fc.string({ minLength: 4, maxLength: 40 }).filter((s) => !/[\r\n]/.test(s)), (cmd, secret) => {
      expect(redactAtSecrets(`AT+${cmd}=${secret}`)).toBe(`AT+${cmd}=****`);
    }), { numRuns: 2000 });
  });
});
