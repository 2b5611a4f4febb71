/**
 * The host data path of the state machine against the simulated module over in-process serial
 * pairs (unit test: the host interface is a reader that follows the module's data call, or a
 * withdrawn route; the real interface, DHCP and routes are in test/e2e/modem-netns.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { modemRig, type ModemRig } from '../../test/helpers/modem-rig.js';
import { until } from '../../test/helpers/sim-process.js';
import { UsbNetMode } from '../../protocols/at/usbnet.js';
import type { HostLinkStatus } from '../net/host-link.js';
import { ModemState } from './modem-state.js';

let r: ModemRig | null = null;
afterEach(async () => { await r?.stop(); r = null; });

/** The host side: a lease and a default route exactly while the module's call is up, unless withdrawn. */
function hostSide() {
  const h = { call: () => false, withdrawn: false, leaseless: false, reads: 0 };
  const read = (): HostLinkStatus => {
    h.reads++;
    const up = h.call();
    const leased = up && !h.leaseless;
    const route = leased && !h.withdrawn;
    return {
      interface: 'usb0', present: true, operstate: up ? 'up' : 'lowerlayerdown', carrier: up, mtu: 1500, address: leased ? '192.168.225.31' : null, prefix: leased ? 24 : null,
      defaultVia: route ? '192.168.225.1' : null, brokerRoute: route ? { iface: 'usb0', gateway: '192.168.225.1' } : null,
      problem: !up ? 'usb0 has no carrier (no data call on the module)' : !leased ? 'usb0 has no IPv4 lease' : !route ? 'no default route' : null, at: Date.now(),
    };
  };
  return { h, opts: { interface: 'usb0', usbnet: UsbNetMode.Ecm, read } };
}

describe('ModemMachine on the host data path', () => {
  it('switches the module to ECM once (with a reboot), makes the data call, and is online only with lease and route', async () => {
    const { h, opts } = hostSide();
    r = await modemRig({ host: opts });
    const sim = r.sim;
    h.call = () => sim.s.ctx.active;
    expect(sim.s.usbnet).toBe(UsbNetMode.RmNet);
    await until(() => r!.machine.state === ModemState.Online, 15_000, `online (now ${r!.machine.state})`);
    expect(sim.s.usbnet).toBe(UsbNetMode.Ecm);
    expect(sim.s.ctx).toMatchObject({ active: true, netdev: true });
    expect(r.machine.counters.usbnetSwitches).toBe(1);
    const to = r.states.map((s) => s.to);
    expect(to.slice(0, 3)).toEqual(['absent', 'probing', 'resetting']);
    expect(to.slice(-3)).toEqual(['registering', 'connecting', 'online']);
    expect(r.states.at(-1)!.reason).toBe('data call 1 up; usb0 192.168.225.31/24 via 192.168.225.1');
    expect(r.machine.info.host).toMatchObject({ usbnet: 'ecm', link: { address: '192.168.225.31', defaultVia: '192.168.225.1' } });
    expect(await r.machine.checkData()).toBe(true);
  });

  it('a route withdrawn while the module stays attached is a data stall after the grace', async () => {
    const { h, opts } = hostSide();
    r = await modemRig({ host: opts, overrides: { hostStallMs: 150 } });
    const sim = r.sim;
    sim.s.usbnet = UsbNetMode.Ecm;
    h.call = () => sim.s.ctx.active;
    await until(() => r!.machine.state === ModemState.Online, 15_000, 'online');
    expect(r.machine.checkHost()).toBeNull();
    h.withdrawn = true;
    expect(r.machine.checkHost()).toBe('no default route');
    expect(r.machine.failure).toBeNull(); // within the grace: a deregistration URC may still explain it
    await new Promise((res) => setTimeout(res, 200));
    r.machine.checkHost();
    expect(r.machine.failure).toMatchObject({ code: 'SP_MODEM_DATA_STALL', message: expect.stringMatching(/says attached but no default route/) });
    expect(r.machine.counters.routeLosses).toBe(1);
    r.machine.checkHost();
    expect(r.machine.counters.routeLosses).toBe(1); // reported once
    expect(r.machine.state).toBe(ModemState.Online); // the recovery ladder decides, not the machine
  });

  it('a data call without a lease fails with SP_MODEM_HOST_LINK after the host timeout', async () => {
    const { h, opts } = hostSide();
    r = await modemRig({ host: opts, overrides: { hostLinkTimeoutMs: 300 } });
    const sim = r.sim;
    sim.s.usbnet = UsbNetMode.Ecm;
    h.call = () => sim.s.ctx.active;
    h.leaseless = true;
    await until(() => r!.machine.failure?.code === 'SP_MODEM_HOST_LINK', 15_000, `host link failure (now ${r!.machine.state})`);
    expect(r.machine.state).toBe(ModemState.Connecting);
    expect(r.machine.failure!.message).toMatch(/data call up but usb0 has no IPv4 lease/);
    expect(r.machine.counters.usbnetSwitches).toBe(0);
  });

  it('a module that does not keep the mode is switched once, never rebooted in a loop', async () => {
    const { h, opts } = hostSide();
    r = await modemRig({ host: opts, startMachine: false });
    const sim = r.sim;
    h.call = () => sim.s.ctx.active;
    const failures: string[] = [];
    r.machine.on('failure', (f) => failures.push(f.code));
    // The firmware forgets the setting across the reboot.
    r.machine.on('state', (c) => { if (c.to === ModemState.Resetting) setTimeout(() => { sim.s.usbnet = UsbNetMode.RmNet; }, 0); });
    r.machine.start();
    await until(() => r!.machine.state === ModemState.Online, 15_000, `online (now ${r!.machine.state})`);
    expect(r.states.filter((s) => s.to === ModemState.Resetting)).toHaveLength(1);
    expect(failures).toContain('SP_MODEM_USBNET');
    expect(r.machine.info.host!.usbnet).toBe('rmnet');
  });

  it('a firmware without AT+QNETDEVCTL (router mode dials by itself): online on the host link alone', async () => {
    const { h, opts } = hostSide();
    r = await modemRig({ host: opts });
    const sim = r.sim;
    sim.s.usbnet = UsbNetMode.Ecm;
    // This firmware answers ERROR to AT+QNETDEVCTL and brings its call up by itself once registered.
    const interpret = (sim as unknown as { interpretCommand(c: string): unknown }).interpretCommand.bind(sim);
    (sim as unknown as { interpretCommand(c: string): unknown }).interpretCommand = (c: string) =>
      (/^AT\+QNETDEVCTL/i.test(c) ? { lines: [], final: 'ERROR', latencyMs: 20 } : interpret(c));
    h.call = () => sim.registered();
    await until(() => r!.machine.state === ModemState.Online, 15_000, `online (now ${r!.machine.state})`);
    expect(r.machine.callByModule).toBe(true);
    expect(await r.machine.checkData()).toBe(true);
    expect(r.machine.counters.dataActivations).toBe(0);
  });
});
