/**
 * Which AT commands the console's `modem at` passthrough sends freely and which need `--force`
 * (docs/console.md §Commands). Reading and testing (`AT+X?`, `AT+X=?`) is always safe; setting
 * commands that can take the pole offline, wipe modem settings or touch the SIM are "dangerous".
 * Command names are from 3GPP 27.007 and the Quectel manuals (docs/background.md §Modem and AT facts).
 */

export type AtVerdict =
  | { ok: true; dangerous: false }
  | { ok: true; dangerous: true; reason: string }
  | { ok: false; reason: string };

/** Set-forms that need --force, with why. */
const DANGEROUS: [RegExp, string][] = [
  [/^\+CFUN=/, 'changes the radio function or resets the modem'],
  [/^\+QPOWD/, 'powers the modem down until the pole power-cycles it'],
  [/^&F/, 'restores factory settings'],
  [/^Z/, 'resets the modem to its stored profile'],
  [/^&W/, 'writes the stored profile'],
  [/^\+COPS=/, 'changes operator selection (can deregister)'],
  [/^\+CGDCONT=/, 'changes the data context (APN)'],
  [/^\+QICSGP=/, 'changes the data context (APN, credentials)'],
  [/^\+CGACT=/, 'activates or deactivates the data context'],
  [/^\+QIACT=/, 'activates the data context (blocks the port up to 150 s)'],
  [/^\+QIDEACT=/, 'deactivates the data context'],
  [/^\+QNETDEVCTL=/, 'changes the data connection'],
  [/^\+QMAP=/, 'changes the data connection mapping'],
  [/^\+QCFG=/, 'changes persistent modem configuration'],
  [/^\+QPRTPARA=/, 'resets or restores modem parameters'],
  [/^\+QUIMSLOT=/, 'switches the SIM slot'],
  [/^\+CPIN=/, 'enters a SIM PIN/PUK (wrong tries block the SIM)'],
  [/^\+CLCK=/, 'changes SIM or network locks'],
  [/^\+CPWD=/, 'changes a SIM password'],
  [/^\+CRSM=/, 'raw SIM access'],
  [/^\+CSIM=/, 'raw SIM access'],
  [/^\+QFOTADL=/, 'starts a firmware update'],
  [/^\+QNVFW=/, 'writes modem NV memory'],
  [/^\+QNVW=/, 'writes modem NV memory'],
  [/^\+CMGD=/, 'deletes SMS'],
];

/** Longest AT line passed through (`AT` + 200; the `modem.at` command takes the same: runtime/modem/commands.ts). */
export const MAX_AT_LINE = 202;

/**
 * Checks one command line as typed (`AT+CSQ`, `at+cfun=1,1`). Several commands joined with `;`
 * are checked one by one: the line is dangerous if any part is.
 */
export function classifyAt(line: string): AtVerdict {
  const s = line.trim();
  if (!/^at/i.test(s)) return { ok: false, reason: 'an AT command starts with AT (e.g. AT+CSQ)' };
  if (s.length > MAX_AT_LINE) return { ok: false, reason: `longer than ${MAX_AT_LINE} characters` };
  if (!/^[\x20-\x7e]+$/.test(s)) return { ok: false, reason: 'only printable ASCII is sent to the modem' };
  const body = s.slice(2);
  const parts = body.split(';').map((p) => p.trim().toUpperCase()).filter((p) => p !== '');
  for (const p of parts) {
    if (p.endsWith('?')) continue; // read and test forms change nothing
    for (const [re, why] of DANGEROUS) if (re.test(p)) return { ok: true, dangerous: true, reason: `AT${p.split('=')[0]} ${why}` };
  }
  return { ok: true, dangerous: false };
}

/** The line with secrets hidden, for the audit record and logs (`AT+CPIN="1234"` → `AT+CPIN=…`). */
export function redactAt(line: string): string {
  return line.replace(/(\+(?:CPIN|CLCK|CPWD|QICSGP)=)[^;]*/gi, '$1[redacted]');
}
