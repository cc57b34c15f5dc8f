/*
 * The job's exit status, told before the job's mount namespace is torn down (docs/security.md, "Sandbox", cost per
 * job). The job is the last process in its private mount namespace (harden-fs.h), so whoever drops the namespace's
 * last reference waits for its teardown (an RCU grace period: ~0.2-0.4 ms on a quiet host, several ms at p95 on a busy
 * one). Without this that is the job's own exit, and the helper, the spawn server and the runner all wait for it.
 *
 * In the spawn server's jobs (serve.h) the job's first process, right after the clone, opens the job's
 * /proc/<pid>/ns/mnt and keeps it: the job's exit then leaves the namespace alive and is as quick as an unhardened
 * one; the job's wait status goes to the server through a pipe of its own (fd report_fd) and only then does this
 * process exit, dropping the last reference: the teardown happens off the job's path. The fd is opened after the
 * clone and is close-on-exec, as is report_fd: the job never has either. The one-shot helper (report_fd < 0) does none
 * of it. Included by netdiag-sandbox.c before run_in_pid_namespace().
 */
#ifndef NETDIAG_EARLY_STATUS_H
#define NETDIAG_EARLY_STATUS_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

static int report_fd = -1; /* set by serve.h's become_job(): the write end of the job's status pipe */
static int held_mounts = -1;

/* After the clone returned (the job has exec'd, or failed). A job already gone, or no /proc: only slower, as before. */
static void hold_job_mounts(pid_t job) {
  if (report_fd < 0) return;
  char path[40];
  snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int)job);
  held_mounts = open(path, O_RDONLY | O_CLOEXEC);
}

/* The job was reaped (and with it every process of its PID namespace): tell its wait status, then we may exit. */
static void report_job_status(int status) {
  if (report_fd < 0) return;
  int32_t s = status;
  /* The job's stdout and stderr are ours too: closed first, so the server sees their end with the status (one wake-up),
     not when we are gone. */
  close(STDOUT_FILENO);
  close(STDERR_FILENO);
  ssize_t n = write(report_fd, &s, sizeof s); /* 4 bytes: one atomic pipe write. Failed: the server tells at the reap */
  (void)n;
  close(report_fd);
}

#endif
