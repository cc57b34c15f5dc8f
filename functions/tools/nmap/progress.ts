import type { JobProgress } from '../../shared/jobs/contract';
import { sanitizeLine } from '../../shared/text/sanitize';

/**
 * nmap's --stats-every output in XML mode: one line per report on stdout, between the other XML elements:
 *   <taskprogress task="Connect Scan" time="1795638242" percent="20.00" remaining="4" etc="1795638246"/>
 * percent is for the current task (Connect Scan, Service scan, NSE, ...), so it restarts with each task.
 */
const TASK_PROGRESS = /<taskprogress\s([^>]*)\/>/g;
const ATTRIBUTE = /([a-z]+)="([^"]*)"/g;
// A progress line is about 110 characters; a longer unterminated tail is not one worth keeping.
const MAX_CARRY = 1024;

function attributes(text: string): Map<string, string> {
  return new Map([...text.matchAll(ATTRIBUTE)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

function clock(totalSec: number): string {
  const s = Math.max(0, Math.floor(totalSec));
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
}

/** The last <taskprogress> element in complete lines of text, as JobProgress. */
export function lastTaskProgress(text: string): JobProgress | undefined {
  let last: JobProgress | undefined;
  for (const m of text.matchAll(TASK_PROGRESS)) {
    const a = attributes(m[1] ?? '');
    const percent = Number(a.get('percent'));
    if (!Number.isFinite(percent)) continue;
    const bounded = Math.min(100, Math.max(0, percent));
    const task = sanitizeLine(a.get('task') ?? 'scan', 40);
    const remaining = Number(a.get('remaining'));
    const eta = Number.isFinite(remaining) ? ` ETA ${clock(remaining)}` : '';
    last = { progress: bounded, total: 100, message: `${task} ${Math.round(bounded)}%${eta}` };
  }
  return last;
}

/**
 * A per-job reader: chunks may split a line, so the unterminated tail of one chunk is carried into the next.
 */
export function progressReader(): (chunk: string) => JobProgress | undefined {
  let carry = '';
  return (chunk) => {
    const text = carry + chunk;
    const cut = text.lastIndexOf('\n');
    const tail = cut === -1 ? text : text.slice(cut + 1);
    carry = tail.length > MAX_CARRY ? '' : tail;
    return cut === -1 ? undefined : lastTaskProgress(text.slice(0, cut + 1));
  };
}
