/**
 * Thickness of one printed page by paper stock, as Amazon KDP publishes it for its spine-width formula
 * (white 0.002252 in, cream 0.0025 in, colour 0.002347 in per page). IngramSpark's calculator gives
 * close values for its 50–55 lb stocks; `print.spine-per-page` overrides for any other service.
 */
export const PAGE_THICKNESS_IN = { white: 0.002252, cream: 0.0025, color: 0.002347 } as const;

export type Paper = keyof typeof PAGE_THICKNESS_IN;
