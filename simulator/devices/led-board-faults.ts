/**
 * The LED board's faults as /api/faults exposes them (docs/simulator.md): each takes JSON args,
 * validates them, and changes the simulated board. `clear` undoes every injected fault.
 */
import type { SerialPair } from '../serial/serial-pair.js';
import { cableFaults, faultNumber as num, type FaultSpec } from './sim-device.js';
import type { SimLedBoard } from './led-board.js';

export function ledBoardFaults(board: SimLedBoard, pair: SerialPair): Record<string, FaultSpec> {
  return {
    ...cableFaults(pair),
    reset: { describe: 'reboot the board (buffers lost, CAPS announced)', run: () => board.boot() },
    corrupt: {
      describe: 'corrupt bytes on the wire: {"rate": 0.01, "direction": "both"|"rx"|"tx"} (rate 0 stops)',
      run: (a) => {
        const direction = a.direction ?? 'both';
        if (direction !== 'both' && direction !== 'rx' && direction !== 'tx') throw new RangeError('"direction" must be both, rx or tx');
        board.faults.corruptRate = num(a, 'rate', 0, 0.5);
        board.faults.corruptDirection = direction;
      },
    },
    drop: { describe: 'ignore received frames at random: {"rate": 0.05} (rate 0 stops)', run: (a) => { board.faults.dropRate = num(a, 'rate', 0, 1); } },
    garbage: {
      describe: 'the board sends line noise: {"bytes": 64} random bytes the host must skip (the link resyncs)',
      run: (a) => board.garbage(num(a, 'bytes', 1, 65536, 64)),
    },
    stall: {
      describe: 'hang the board: no answers and received bytes lost for {"ms": 2000}',
      run: (a) => { board.faults.stalledUntil = performance.now() + num(a, 'ms', 0, 600_000); },
    },
    'fail-module': {
      describe: 'a panel module stops lighting: {"module": 4, "failed": true}',
      run: (a) => board.setModuleFailed(num(a, 'module', 0, 255), a.failed !== false),
    },
    lux: {
      describe: 'set the light sensor reading: {"lux": 20000}; {"lux": null} follows the sun again',
      run: (a) => { board.faults.luxOverride = a.lux === null ? null : num(a, 'lux', 0, 200_000); },
    },
    temperature: {
      describe: 'set the enclosure temperature: {"c": 80} (over 75 °C is a fault); {"c": null} models it again',
      run: (a) => board.setTemperature(a.c === null ? null : num(a, 'c', -40, 150)),
    },
    clear: { describe: 'undo every injected fault (corruption, drops, stall, failed modules, sensor overrides)', run: () => board.clearFaults() },
  };
}
