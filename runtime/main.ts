/**
 * `smartpole run --config FILE`: the runtime on real hardware. A bad config exits non-zero with
 * the path of the bad field; SIGINT/SIGTERM stop the pole in order (ports closed, store flushed,
 * offline state published).
 */
import { parseArgs } from 'node:util';
import { loadConfigFile, isConfigError } from './config/load.js';
import { createLogger } from './logger.js';
import { startPole } from './pole.js';

export const EXIT_CONFIG = 78; // EX_CONFIG from sysexits.h

export async function runMain(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help || !values.config) {
    console.error('usage: smartpole run --config FILE');
    return values.help ? 0 : 2;
  }
  let config;
  try {
    config = loadConfigFile(values.config);
  } catch (e) {
    if (isConfigError(e)) {
      console.error(`smartpole: ${e.message}`);
      const issues = (e.detail?.issues as { path: string; message: string }[] | undefined) ?? [];
      for (const i of issues.slice(1, 10)) console.error(`  also ${i.path}: ${i.message}`);
      return EXIT_CONFIG;
    }
    throw e;
  }
  const logger = createLogger({ level: config.log.level });
  const pole = await startPole({ config, logger });
  await new Promise<void>((resolve) => {
    const stop = (sig: string) => {
      logger.info({ signal: sig }, 'stopping');
      pole.stop().then(resolve, (e: Error) => { logger.error({ err: e.message }, 'stop failed'); resolve(); });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  logger.flush();
  return 0;
}
