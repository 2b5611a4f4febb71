/**
 * screen.* commands (CommandRegistry; run from MQTT `poles/{id}/cmd` and the console): what the
 * screen shows, a screenshot, a tap at a point, and a reset to the attract loop.
 */
import { z } from 'zod';
import type { CommandRegistry } from '../commands/registry.js';
import type { Renderer } from '../../display/renderer.js';
import type { ScreenService } from './screen-service.js';

export function registerScreenCommands(reg: CommandRegistry, screen: ScreenService, renderer: Renderer): void {
  reg.register({
    name: 'screen.state',
    description: 'current page, UI mode, language and screen statistics',
    args: z.object({}).strict(),
    run: () => {
      const p = screen.page;
      return { page: p?.page ?? null, mode: screen.session.mode, lang: screen.session.lang, idle: p?.idle ?? null, stats: screen.stats };
    },
  });
  reg.register({
    name: 'screen.page',
    description: 'the full page model on screen (content and hit regions)',
    args: z.object({}).strict(),
    run: () => screen.page,
  });
  reg.register({
    name: 'screen.screenshot',
    description: 'the last rendered frame as a base64 PNG',
    args: z.object({}).strict(),
    run: () => ({ page: screen.page?.page ?? null, png: renderer.png().toString('base64') }),
  });
  reg.register({
    name: 'screen.tap',
    description: 'tap at a screen point {x, y} in pixels, as a finger would',
    args: z.object({ x: z.number().int().min(0).max(renderer.width - 1), y: z.number().int().min(0).max(renderer.height - 1) }).strict(),
    run: (a) => ({ hit: screen.tap(a.x, a.y), page: screen.page?.page ?? null }),
  });
  reg.register({
    name: 'screen.reset',
    description: 'end the current visit and return to the attract loop',
    args: z.object({}).strict(),
    run: () => { screen.reset(); return { page: screen.page?.page ?? null }; },
  });
}
