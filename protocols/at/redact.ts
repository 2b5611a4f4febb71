/**
 * Secrets on the AT channel (docs/security.md §Hostile input): the SIM PIN/PUK (`+CPIN`, `+CPWD`,
 * `+CLCK`) and the APN credentials (`+QICSGP`, `+CGAUTH`) never reach a log line, at any level,
 * whether the caller flagged the command secret or not, and also in echoes and stray lines.
 */
const SECRET = /(\+(?:CPIN|CPWD|CLCK|QICSGP|CGAUTH)\s*=).*/gi;

export function redactAtSecrets(line: string): string {
  return line.replace(SECRET, '$1****');
}
