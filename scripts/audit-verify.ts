// `npm run audit:verify [-- FILE]`: check the audit log's hash chain (default: $MCP_AUDIT_FILE, else .netdiag/audit.log).
// Prints "audit chain OK: N entries" (exit 0) or "audit chain broken at line N: …" (exit 1); exit 2 if unreadable.
import { verifyAuditFile } from '../functions/node/audit-verify-file';

const file = process.argv[2] ?? process.env['MCP_AUDIT_FILE'] ?? '.netdiag/audit.log';

try {
  const report = await verifyAuditFile(file);
  if (report.ok) {
    process.stdout.write(`audit chain OK: ${report.entries} entries\n`);
  } else {
    process.stdout.write(`audit chain broken at line ${report.line}: ${report.problem}\n`);
    process.exitCode = 1;
  }
} catch (err) {
  process.stderr.write(`audit-verify: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
  process.exitCode = 2;
}
