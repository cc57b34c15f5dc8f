import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type TokenRecord, TokenRecordSchema } from '../src/auth/tokens';
import { ConfigError } from '../shared/config/env-schema';
import type { NodeSettings } from './node-env';

const TokenListSchema = z.array(TokenRecordSchema).min(1, 'at least one token record is needed');

/**
 * The API's token records, from exactly one of MCP_TOKENS (JSON array) or MCP_TOKENS_FILE (a file holding the same
 * array). Problems are ConfigErrors naming the variable; the text of MCP_TOKENS is never echoed.
 */
export function loadTokens(settings: Pick<NodeSettings, 'tokensJson' | 'tokensFile'>): TokenRecord[] {
  const { tokensJson, tokensFile } = settings;
  if (tokensJson !== undefined && tokensFile !== undefined) {
    throw new ConfigError('MCP_TOKENS and MCP_TOKENS_FILE are both set; set exactly one of them');
  }
  if (tokensJson !== undefined) return parseTokens('MCP_TOKENS', tokensJson);
  if (tokensFile !== undefined) return parseTokens(`MCP_TOKENS_FILE: ${tokensFile}`, readTokensFile(tokensFile));
  throw new ConfigError('MCP_TOKENS_FILE or MCP_TOKENS: neither is set; the API needs its token records (npm start writes .netdiag/tokens.json)');
}

function readTokensFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new ConfigError(`MCP_TOKENS_FILE: cannot read ${path} (${code})`);
  }
}

function parseTokens(source: string, text: string): TokenRecord[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`${source}: not valid JSON; expected an array of { id, sha256, scopes, tools? }`);
  }
  const parsed = TokenListSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`${source}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
