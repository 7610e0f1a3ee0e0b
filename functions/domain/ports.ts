/** Small ports shared by every domain service. */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /**
   * A new ULID: time-ordered, so creation order is id order. `hint` names what the id is for within
   * one request (e.g. `row:7` of an import): a retried request gets the same id for the same hint.
   */
  next(hint?: string): string;
}
