import { connectShim } from '../helpers/shim-client';
import { toolSuite } from './helpers/tool-suite';

// The bundled shim (dist/shim.cjs) as an MCP client starts it: the SDK's StdioClientTransport.
toolSuite('stdio (dist/shim.cjs)', (lab) => connectShim({ NETDIAG_API_URL: lab.api.url, NETDIAG_TOKEN: lab.tokens.client }));
