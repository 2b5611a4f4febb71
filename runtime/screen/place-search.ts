/**
 * Pinyin-initial search over the services directory (docs/screen.md §Behaviour): "hz" finds 护照
 * (passport). Each place's name and keywords are indexed by their pinyin initials and full pinyin
 * (pinyin-pro, which reads 重庆 as chóng qìng from context), and its English name by word; the index is
 * rebuilt only when the data set changes. Results rank exact keyword matches first, then nearer places.
 */
import { pinyin } from 'pinyin-pro';
import type { ServicePlace, ServicesData } from '../../protocols/datasets.js';

interface Term { initials: string; full: string }
interface Entry { place: ServicePlace; keywords: Term[]; name: Term; english: string[] }

export interface SearchHit { place: ServicePlace; score: number }

function term(s: string): Term {
  const clean = (a: string[]) => a.join('').toLowerCase().replace(/[^a-z0-9]/g, '');
  return {
    initials: clean(pinyin(s, { pattern: 'first', toneType: 'none', type: 'array' })),
    full: clean(pinyin(s, { toneType: 'none', type: 'array' })),
  };
}

export class PlaceSearch {
  private source: ServicesData | null = null;
  private entries: Entry[] = [];

  private index(data: ServicesData): Entry[] {
    if (data !== this.source) {
      this.source = data;
      this.entries = data.places.map((place) => ({
        place,
        name: term(place.name.zh),
        keywords: place.keywords.map(term),
        english: (place.name.en ?? '').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean),
      }));
    }
    return this.entries;
  }

  /** Places matching `query` (lower-case letters), best first; ties go to the nearer place. */
  search(data: ServicesData, query: string, distance: (p: ServicePlace) => number): SearchHit[] {
    const q = query.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (!q) return [];
    const hits: SearchHit[] = [];
    for (const e of this.index(data)) {
      let score = 0;
      for (const k of e.keywords) {
        if (k.initials === q) score = Math.max(score, 100);
        else if (k.initials.startsWith(q)) score = Math.max(score, 80);
        else if (q.length >= 2 && k.full.startsWith(q)) score = Math.max(score, 70);
      }
      if (e.name.initials.startsWith(q)) score = Math.max(score, 60);
      else if (e.name.initials.includes(q)) score = Math.max(score, 40);
      else if (q.length >= 3 && e.name.full.includes(q)) score = Math.max(score, 30);
      if (q.length >= 2 && e.english.some((w) => w.startsWith(q))) score = Math.max(score, 50);
      if (score > 0) hits.push({ place: e.place, score });
    }
    return hits.sort((a, b) => b.score - a.score || distance(a.place) - distance(b.place));
  }
}
