/**
 * `smartpole sim --netns`: the runtime as its own process inside the pole's network namespace
 * (`ip netns exec … smartpole run --config …`), since a Node process cannot move its sockets into
 * another namespace. It sees only the modem's interface; its log goes to `<data>/logs/runtime.log`.
 * The namespace guard kills it with everything else in the namespace if the sim dies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { packageRoot } from '../runtime/version.js';
import { netnsError, type HostNetns } from './devices/modem-netns.js';

export interface NetnsRuntime {
  readonly pid: number;
  readonly logFile: string;
  /** Exit code once it exited. */
  readonly exitCode: number | null;
  stop(): Promise<void>;
}

export function startRuntimeInNetns(netns: HostNetns, configFile: string, logDir: string, log: Logger): NetnsRuntime {
  const cli = join(packageRoot(), 'dist', 'smartpole.js');
  if (!existsSync(cli)) throw netnsError(`the runtime runs from ${cli}: run \`npm run build\` first`);
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, 'runtime.log');
  const out = createWriteStream(logFile, { flags: 'a' });
  const [cmd, ...args] = netns.inPole([process.execPath, cli, 'run', '--config', configFile]);
  const child: ChildProcess = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(out, { end: false });
  let exitCode: number | null = null;
  const exited = new Promise<void>((resolve) => child.on('exit', (code, signal) => {
    exitCode = code ?? (signal ? 128 : 1);
    log.info({ code, signal }, 'runtime in the pole namespace exited');
    resolve();
  }));
  log.info({ pid: child.pid, ns: netns.poleNs }, 'runtime started in the pole namespace');
  return {
    pid: child.pid ?? -1,
    logFile,
    get exitCode() { return exitCode; },
    async stop() {
      if (exitCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(t);
      }
      out.end();
    },
  };
}
