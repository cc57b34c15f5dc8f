// `npm run audit:verify [-- FILE]`: check the audit log's hash chains (default: $MCP_AUDIT_FILE, else .netdiag/audit.log).
// FILE and every replica's chain next to it (FILE's name with .<replica> before the extension, MCP_REPLICA_ID) are
// checked. One chain: "audit chain OK: N entries" (exit 0) or "audit chain broken at line N: …" (exit 1). Several: one
// such line per chain, naming its file. Exit 1 if any chain is broken; exit 2 if none is found or one is unreadable.
import { basename } from 'node:path';
import { verifyAuditChains } from '../functions/node/audit-chains';

const file = process.argv[2] ?? process.env['MCP_AUDIT_FILE'] ?? '.netdiag/audit.log';

try {
  const results = await verifyAuditChains(file);
  if (results.length === 0) throw Object.assign(new Error('no audit file'), { code: 'ENOENT' });
  const named = results.length > 1;
  for (const { file: chain, report } of results) {
    const where = named ? ` in ${basename(chain)}` : '';
    if (report.ok) {
      process.stdout.write(`audit chain OK${where}: ${report.entries} entries\n`);
    } else {
      process.stdout.write(`audit chain broken${where} at line ${report.line}: ${report.problem}\n`);
      process.exitCode = 1;
    }
  }
} catch (err) {
  process.stderr.write(`audit-verify: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
  process.exitCode = 2;
}
