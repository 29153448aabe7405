/**
 * A count of the writes expressions make into event data (SetMeta, SetParsed, UnmarshalJSON,
 * ParseKV…). Whoever keeps values read from an event across several programs (the bucket
 * engine's guard values, per pour) keeps them only while the count has not moved.
 */
export const eventWrites = { count: 0 };
