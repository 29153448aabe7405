/**
 * The event fields enrichers read and write, structurally: any event with these Go-named fields
 * (core/event's Event) can be enriched.
 */
export interface EnrichTarget {
  /** 0 LIVE, 1 TIMEMACHINE. */
  ExpectMode: number;
  StrTimeFormat: string;
  Time: unknown;
  readonly Line: { readonly Raw: string };
  readonly Unmarshaled: Record<string, unknown>;
}
