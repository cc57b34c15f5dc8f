import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../shared/config/env-schema';
import { parseNodeSettings } from './node-env';
import { loadTokens } from './tokens';
import { tempDir } from '../../test/helpers/temp-dir';

const record = { id: 'client', sha256: createHash('sha256').update('secret-token-value-1').digest('hex'), scopes: ['tools:read', 'tools:run'] };
const fileWith = (text: string): string => {
  const path = join(tempDir('netdiag-tokens-'), 'tokens.json');
  writeFileSync(path, text);
  return path;
};
const load = (env: Record<string, string>) => loadTokens(parseNodeSettings(env));

describe('token records from MCP_TOKENS or MCP_TOKENS_FILE', () => {
  it('reads MCP_TOKENS as a JSON array', () => {
    expect(load({ MCP_TOKENS: JSON.stringify([record]) })).toEqual([record]);
  });

  it('reads MCP_TOKENS_FILE', () => {
    expect(load({ MCP_TOKENS_FILE: fileWith(JSON.stringify([record])) })).toEqual([record]);
  });

  it('treats an empty value as unset', () => {
    expect(load({ MCP_TOKENS: JSON.stringify([record]), MCP_TOKENS_FILE: '' })).toEqual([record]);
  });

  it('refuses both at once, naming both keys', () => {
    const both = { MCP_TOKENS: JSON.stringify([record]), MCP_TOKENS_FILE: fileWith(JSON.stringify([record])) };
    expect(() => load(both)).toThrow(ConfigError);
    expect(() => load(both)).toThrow(/MCP_TOKENS and MCP_TOKENS_FILE are both set/);
  });

  it('refuses neither, naming both keys', () => {
    expect(() => load({})).toThrow(/MCP_TOKENS_FILE or MCP_TOKENS: neither is set/);
  });

  it('names MCP_TOKENS for bad JSON without echoing the value', () => {
    const err = (() => {
      try {
        load({ MCP_TOKENS: '[{"id":"x", sha256-secret-ish' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.message).toMatch(/^MCP_TOKENS: not valid JSON/);
    expect(err?.message).not.toMatch(/secret-ish/);
  });

  it('names MCP_TOKENS for records that fail the schema, and refuses an empty list', () => {
    expect(() => load({ MCP_TOKENS: JSON.stringify([{ ...record, sha256: 'nope' }]) })).toThrow(/^MCP_TOKENS: .*sha256 must be 64 lower-case hex digits/s);
    expect(() => load({ MCP_TOKENS: '[]' })).toThrow(/^MCP_TOKENS: .*at least one token record/s);
  });

  it('names MCP_TOKENS_FILE when the file is missing', () => {
    expect(() => load({ MCP_TOKENS_FILE: '/nonexistent/tokens.json' })).toThrow(/^MCP_TOKENS_FILE: cannot read \/nonexistent\/tokens.json \(ENOENT\)/);
  });
});
