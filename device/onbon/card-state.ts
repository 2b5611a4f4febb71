/** The Onbon card's link state (docs/protocols/onbon.md §8): one enum, one machine. */
export enum CardState {
  /** Line closed, or the card has not answered a ping yet. */
  Offline = 'offline',
  /** Answering: requests are sent. */
  Ready = 'ready',
  /** Stopped by the runtime. */
  Stopped = 'stopped',
}
