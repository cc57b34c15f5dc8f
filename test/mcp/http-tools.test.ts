import { connectHttp } from './helpers/http-client';
import { toolSuite } from './helpers/tool-suite';

// /mcp on the API process, through the SDK's StreamableHTTPClientTransport with the client token.
toolSuite('Streamable HTTP (/mcp)', (lab) => connectHttp(lab.api.url, lab.tokens.client));
