// NeedMore: the result of a stream decoder that has not yet seen enough bytes to decide.

export type NeedMore = { kind: 'need_more' }

/** One shared, frozen instance: returning it allocates nothing. */
export const NEED_MORE: NeedMore = Object.freeze({ kind: 'need_more' })
