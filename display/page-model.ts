/**
 * What the screen shows, as data. The runtime builds a page model; display/ renders it.
 * Tests and the simulator read the model to know what is on screen without OCR.
 */
import type { LocalizedText, NoticePriority } from '../protocols/notice.js';

export type Language = 'zh' | 'en';

export interface NoticeView {
  id: string;
  priority: NoticePriority;
  title: LocalizedText;
  body: LocalizedText;
}

export interface AttractPage {
  page: 'attract';
  lang: Language;
  /** Local time, e.g. "18:40", and date, e.g. "11月26日 星期四". */
  clock: { time: string; date: string };
  location: string;
  notice: NoticeView | null;
  /** Position in the rotation, e.g. 1 of 3. */
  rotation: { index: number; count: number };
}

export interface EmergencyPage {
  page: 'emergency';
  lang: Language;
  clock: { time: string; date: string };
  notice: NoticeView;
}

export type PageModel = AttractPage | EmergencyPage;
