/** Entry of dist/smartpole-launcher.js (runtime/update/launcher.ts; docs/updates.md §Launcher). */
import { parseLauncherArgs, runLauncher } from './launcher.js';

process.exitCode = await runLauncher(parseLauncherArgs(process.argv.slice(2)));
