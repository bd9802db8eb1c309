// Reconnect tokens: bearer capabilities for one seat of one match, held by one user.
//
// The core never sees randomness or a hash function of its own: the adapter passes `TokenDeps`
// (nk.uuidv4 and nk.sha256Hash in the server). Only the hash is kept in match state or storage.

/** Source of fresh tokens and the one-way hash stored in their place. */
export interface TokenDeps {
  /** A new token with at least 128 bits from a secure random source. */
  newToken(): string;
  /** Hex digest of a token. */
  hash(token: string): string;
}

/** 64 lowercase hex characters: two UUIDv4 draws, 244 random bits. */
export const TOKEN_PATTERN = /^[0-9a-f]{64}$/;

/** Builds a token from two UUIDv4 strings (122 random bits each). */
export function tokenFromUuids(a: string, b: string): string {
  return (a + b).replace(/-/g, '').toLowerCase();
}

/** Whether a presented value is even shaped like a token; anything else is refused unhashed. */
export function isTokenShaped(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value);
}

/**
 * Compares two digests in time that depends only on their length, so response timing does not
 * reveal how many leading characters of a guessed token's hash were right.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
