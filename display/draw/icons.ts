/**
 * Line icons drawn as vector paths (no emoji font is needed on the pole, and they stay crisp at
 * any scale). Each draws centred on (cx, cy) within a size × size box.
 */
import type { Ctx } from './ui.js';

export type IconName =
  | 'notices' | 'services' | 'transit' | 'charging' | 'messages' | 'language' | 'back' | 'home' | 'prev' | 'next'
  | 'warning' | 'lamp' | 'phone' | 'search' | 'pin' | 'clock' | 'touch' | 'metro' | 'sun' | 'cloud' | 'rain' | 'check' | 'ticket' | 'backspace';

export function icon(ctx: Ctx, name: IconName, cx: number, cy: number, size: number, color: string): void {
  const u = size / 24; // icons are designed on a 24-unit grid
  const P = (x: number, y: number): [number, number] => [cx + (x - 12) * u, cy + (y - 12) * u];
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = Math.max(1.5, 2 * u);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  const path = (pts: [number, number][], close = false) => {
    ctx.beginPath();
    pts.forEach(([x, y], i) => (i ? ctx.lineTo(...P(x, y)) : ctx.moveTo(...P(x, y))));
    if (close) ctx.closePath();
  };
  const circle = (x: number, y: number, r: number) => { ctx.beginPath(); ctx.arc(...P(x, y), r * u, 0, Math.PI * 2); };
  const rect = (x: number, y: number, w: number, h: number) => { ctx.beginPath(); ctx.rect(...P(x, y), w * u, h * u); };
  switch (name) {
    case 'notices': // megaphone
      path([[3, 10], [3, 14], [7, 14], [17, 19], [17, 5], [7, 10]], true); ctx.stroke();
      path([[7, 14], [8.5, 20], [11, 20], [10, 15.5]]); ctx.stroke();
      path([[20, 9.5], [21.5, 8.5]]); ctx.stroke(); path([[20, 14.5], [21.5, 15.5]]); ctx.stroke(); path([[20.5, 12], [22, 12]]); ctx.stroke();
      break;
    case 'services': // a hall with columns
      path([[2, 9], [12, 3], [22, 9]], true); ctx.stroke();
      for (const x of [5, 9.5, 14.5, 19]) { path([[x, 11], [x, 18]]); ctx.stroke(); }
      path([[2, 21], [22, 21]]); ctx.stroke(); path([[3, 19], [21, 19]]); ctx.stroke();
      break;
    case 'transit': // bus front
      ctx.beginPath(); ctx.roundRect(...P(4, 3), 16 * u, 16 * u, 3 * u); ctx.stroke();
      path([[4, 12], [20, 12]]); ctx.stroke(); path([[4, 7], [20, 7]]); ctx.stroke();
      circle(8, 15.5, 1.3); ctx.fill(); circle(16, 15.5, 1.3); ctx.fill();
      path([[7, 19], [7, 21.5]]); ctx.stroke(); path([[17, 19], [17, 21.5]]); ctx.stroke();
      break;
    case 'charging': // plug + bolt
      ctx.beginPath(); ctx.roundRect(...P(5, 4), 14 * u, 17 * u, 3 * u); ctx.stroke();
      path([[13, 7], [9, 13], [12, 13], [11, 18], [15, 11.5], [12, 11.5]], true); ctx.fill();
      break;
    case 'messages': // speech bubble
      path([[3, 5], [21, 5], [21, 16], [11, 16], [6, 20.5], [7, 16], [3, 16]], true); ctx.stroke();
      path([[7, 9], [17, 9]]); ctx.stroke(); path([[7, 12.5], [14, 12.5]]); ctx.stroke();
      break;
    case 'language': // globe
      circle(12, 12, 9); ctx.stroke();
      ctx.beginPath(); ctx.ellipse(...P(12, 12), 4 * u, 9 * u, 0, 0, Math.PI * 2); ctx.stroke();
      path([[3.5, 9], [20.5, 9]]); ctx.stroke(); path([[3.5, 15], [20.5, 15]]); ctx.stroke();
      break;
    case 'back': path([[15, 4], [7, 12], [15, 20]]); ctx.stroke(); break;
    case 'prev': path([[16, 4], [7, 12], [16, 20]], true); ctx.fill(); break;
    case 'next': path([[8, 4], [17, 12], [8, 20]], true); ctx.fill(); break;
    case 'home':
      path([[3, 11], [12, 3.5], [21, 11]]); ctx.stroke();
      path([[5.5, 9.5], [5.5, 20.5], [18.5, 20.5], [18.5, 9.5]]); ctx.stroke();
      rect(10, 14, 4, 6.5); ctx.stroke();
      break;
    case 'warning':
      path([[12, 2.5], [22.5, 21], [1.5, 21]], true); ctx.fill();
      break;
    case 'lamp': // bulb
      ctx.beginPath(); ctx.arc(...P(12, 10), 6.5 * u, Math.PI * 0.8, Math.PI * 2.2); ctx.stroke();
      path([[8.2, 15.2], [9, 18], [15, 18], [15.8, 15.2]]); ctx.stroke(); path([[9.5, 21], [14.5, 21]]); ctx.stroke();
      break;
    case 'phone':
      ctx.beginPath(); ctx.roundRect(...P(7, 2.5), 10 * u, 19 * u, 2.5 * u); ctx.stroke();
      path([[10.5, 18.5], [13.5, 18.5]]); ctx.stroke();
      break;
    case 'search': circle(10.5, 10.5, 6.5); ctx.stroke(); path([[15.5, 15.5], [21, 21]]); ctx.stroke(); break;
    case 'pin':
      ctx.beginPath(); ctx.arc(...P(12, 9.5), 6.5 * u, Math.PI * 0.85, Math.PI * 2.15); ctx.lineTo(...P(12, 22)); ctx.closePath(); ctx.stroke();
      circle(12, 9.5, 2.3); ctx.stroke();
      break;
    case 'clock': circle(12, 12, 9); ctx.stroke(); path([[12, 7], [12, 12], [15.5, 14]]); ctx.stroke(); break;
    case 'touch': // a hand, index finger raised, with a tap ripple
      path([[9, 21.5], [6.2, 15.5], [6, 13.6], [7.4, 13.2], [9.6, 15.8], [9.6, 6.2], [10.4, 5.2], [11.6, 5.2], [12.4, 6.2], [12.4, 11.5],
        [15.2, 11.9], [18.2, 12.6], [19, 13.8], [18.6, 18], [17.2, 21.5]]);
      ctx.stroke();
      ctx.beginPath(); ctx.arc(...P(11, 6.5), 4.2 * u, Math.PI * 1.1, Math.PI * 1.9); ctx.stroke();
      ctx.beginPath(); ctx.arc(...P(11, 6.5), 7.2 * u, Math.PI * 1.15, Math.PI * 1.85); ctx.stroke();
      break;
    case 'metro': // train front
      ctx.beginPath(); ctx.roundRect(...P(5, 2.5), 14 * u, 16 * u, 5 * u); ctx.stroke();
      rect(7.5, 6, 9, 5); ctx.stroke();
      circle(8.8, 14.5, 1.2); ctx.fill(); circle(15.2, 14.5, 1.2); ctx.fill();
      path([[8, 18.5], [5.5, 22]]); ctx.stroke(); path([[16, 18.5], [18.5, 22]]); ctx.stroke();
      break;
    case 'sun':
      circle(12, 12, 4.5); ctx.fill();
      for (let k = 0; k < 8; k++) {
        const a = (k * Math.PI) / 4;
        path([[12 + Math.cos(a) * 7.5, 12 + Math.sin(a) * 7.5], [12 + Math.cos(a) * 10, 12 + Math.sin(a) * 10]]); ctx.stroke();
      }
      break;
    case 'cloud':
    case 'rain':
      ctx.beginPath();
      ctx.arc(...P(8, 13), 4 * u, Math.PI * 0.5, Math.PI * 1.5);
      ctx.arc(...P(12.5, 9), 5 * u, Math.PI * 1.0, Math.PI * 1.95);
      ctx.arc(...P(17, 13), 4 * u, Math.PI * 1.5, Math.PI * 0.5);
      ctx.closePath(); ctx.stroke();
      if (name === 'rain') for (const x of [8, 12, 16]) { path([[x, 19], [x - 1.2, 22]]); ctx.stroke(); }
      break;
    case 'check': path([[4, 12.5], [10, 18], [20, 6]]); ctx.stroke(); break;
    case 'ticket':
      path([[3, 6], [21, 6], [21, 10], [19, 12], [21, 14], [21, 18], [3, 18], [3, 14], [5, 12], [3, 10]], true); ctx.stroke();
      path([[9, 10], [15, 10]]); ctx.stroke(); path([[9, 14], [15, 14]]); ctx.stroke();
      break;
    case 'backspace':
      path([[8, 5], [21, 5], [21, 19], [8, 19], [2, 12]], true); ctx.stroke();
      path([[11, 9], [17, 15]]); ctx.stroke(); path([[17, 9], [11, 15]]); ctx.stroke();
      break;
  }
  ctx.restore();
}

/** The warning triangle with its "!" cut out in `inner`. */
export function warningIcon(ctx: Ctx, cx: number, cy: number, size: number, color: string, inner: string): void {
  icon(ctx, 'warning', cx, cy, size, color);
  const u = size / 24;
  ctx.save();
  ctx.fillStyle = inner;
  ctx.fillRect(cx - 1.2 * u, cy - 3.5 * u, 2.4 * u, 8 * u);
  ctx.beginPath();
  ctx.arc(cx, cy + 7 * u, 1.5 * u, 0, Math.PI * 2);
  ctx.fill();
  ctx.restore();
}
