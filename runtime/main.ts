/**
 * `smartpole run --config FILE`: the runtime on real hardware. A bad config exits non-zero with
 * the path of the bad field; SIGINT/SIGTERM stop the pole in order (ports closed, store flushed,
 * offline state published).
 */
import { parseArgs } from 'node:util';
import { loadConfigFile, isConfigError } from './config/load.js';
import { createLogger, LogRing } from './logger.js';
import { startPole } from './pole.js';
import { installFatalHandlers } from './fatal.js';
import { createServiceSupervisor } from './service/supervisor.js';
import { poleServiceSubject } from './service/pole-subject.js';
import { EXIT_RESTART } from './update/launcher.js';

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
  const logRing = new LogRing();
  const logger = createLogger({ level: config.log.level, ring: logRing });
  installFatalHandlers(logger);
  // systemd: READY/STATUS/WATCHDOG/RELOADING/STOPPING (docs/deployment.md §Watchdog).
  const service = createServiceSupervisor({ env: process.env, logger });
  // Run until a signal; a restart request (the console's `reboot`) stops the pole, reads the
  // config file again and starts it anew in the same process.
  let wake: (why: string) => void = () => {};
  let signalled = false;
  const onSignal = (sig: string) => { signalled = true; service.stopping(); logger.info({ signal: sig }, 'stopping'); wake(sig); };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  while (!signalled) {
    const pole = await startPole({ config, logger, configFile: values.config, logRing, restart: (reason) => wake(`restart: ${reason}`) });
    service.watch(poleServiceSubject(pole));
    const why = signalled ? 'signal' : await new Promise<string>((resolve) => { wake = resolve; });
    if (!signalled) service.reloading(why);
    try {
      await pole.stop();
    } catch (e) {
      logger.error({ err: (e as Error).message }, 'stop failed');
    }
    if (signalled) break;
    logger.warn({ reason: why }, 'restarting the runtime');
    try {
      config = loadConfigFile(values.config);
    } catch (e) {
      logger.error({ err: (e as Error).message }, 'config file does not load; restarting with the previous config');
    }
  }
  service.close();
  logger.flush();
  // The update module asks for a start of another release this way (docs/updates.md §Launcher).
  return process.exitCode === EXIT_RESTART ? EXIT_RESTART : 0;
}
