import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { DIST } from './processes';

export interface ShimSession {
  client: Client;
  stderr(): string;
  close(): Promise<void>;
}

/** Spawn the bundled shim and connect the SDK's own Client to it over stdio. */
export async function connectShim(env: Record<string, string>, options?: ClientOptions): Promise<ShimSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [`${DIST}/shim.cjs`],
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const client = new Client({ name: 'netdiag-e2e', version: '1.0.0' }, options);
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}
