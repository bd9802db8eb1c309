import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, isTokenShaped, tokenFromUuids } from '../../src/core/arena/tokens';

describe('tokens', () => {
  it('builds 64 hex characters from two UUIDv4 draws', () => {
    const t = tokenFromUuids(randomUUID(), randomUUID());
    expect(t).toMatch(/^[0-9a-f]{64}$/);
    expect(isTokenShaped(t)).toBe(true);
  });

  it('differs on every draw', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => tokenFromUuids(randomUUID(), randomUUID())));
    expect(seen.size).toBe(1000);
  });

  it.each([[''], ['abc'], ['A'.repeat(64)], ['g'.repeat(64)], ['a'.repeat(65)], [42], [null], [{}]])('refuses %j unhashed', (v) => {
    expect(isTokenShaped(v)).toBe(false);
  });

  it('compares digests exactly', () => {
    expect(constantTimeEqual('abcd', 'abcd')).toBe(true);
    expect(constantTimeEqual('abcd', 'abce')).toBe(false);
    expect(constantTimeEqual('abcd', 'abc')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
