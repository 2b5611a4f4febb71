/**
 * NoticeRef: which notice, exactly — issuer, id and version (docs/mqtt-api.md §Notices). The
 * screen gives it to the frame that shows the notice; the presenter hands it back, untouched, when
 * the board has shown that frame (device/ never looks inside), and receipts and proof of play read
 * it there. Two versions of one notice are different refs; the same id from two issuers too.
 */
export interface NoticeRef {
  readonly issuer: string;
  readonly id: string;
  readonly version: number;
}

/** The ref of a notice (a fresh, frozen object: nothing downstream can change the stored notice through it). */
export function noticeRef(n: NoticeRef): NoticeRef {
  return Object.freeze({ issuer: n.issuer, id: n.id, version: n.version });
}

/** The same notice and version. */
export function sameNotice(a: NoticeRef | null | undefined, b: NoticeRef | null | undefined): boolean {
  return !!a && !!b && a.issuer === b.issuer && a.id === b.id && a.version === b.version;
}

/** The same notice, any version (an update of a notice keeps its place). */
export function sameNoticeId(a: NoticeRef, b: Pick<NoticeRef, 'issuer' | 'id'>): boolean {
  return a.issuer === b.issuer && a.id === b.id;
}
