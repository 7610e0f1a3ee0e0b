/** Small ports shared by every domain service. */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new ULID: time-ordered, so creation order is id order. */
  next(): string;
}
