/*
 * Warm job processes (docs/security.md, "Sandbox"; docs/design.md, "The resident spawn server"). The hardening is
 * fixed kernel work (seccomp attach, cgroup join, mount namespace, Landlock, bounding set: ~1 ms per job), none of which
 * depends on the job's arguments. So the spawn server can start a job's first process ahead ('W' request, serve.h)
 * with the helper's complete option set and the binary (its argv ends at FILE): it does everything run_helper() does,
 * up to and including the seccomp filter, and then waits here, fully hardened, for the job's arguments only. The job
 * request ('A') then just writes them to this pipe and the process execs.
 *
 * What the request can change is only argv[1..]: argv[0], the binary, was fixed when the process was prepared and is
 * the only program its Landlock domain lets it execute (harden-exec.h). The pipe is fd ARGS_FD, close-on-exec: the
 * job never has it (its fds are 0, 1, 2). The arguments come as u32 length | NUL-terminated strings; anything shorter
 * (the server gone: end of file) or malformed ends the process instead of running the binary with missing arguments.
 * The runner discards a warm process it has not used within its idle limit (warm-pool.ts); WARM_MAX_WAIT_MS is only
 * the backstop should that never come. read() and poll() are allowed by the filter (harden-seccomp.h).
 * Included by netdiag-sandbox.c before start_job().
 */
#ifndef NETDIAG_WARM_H
#define NETDIAG_WARM_H

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define ARGS_FD 4                 /* where become_job() puts the read end of a warm job's args pipe */
#define WARM_MAX_WAIT_MS 60000    /* backstop only: the runner discards an unused warm process after 10 s */
#define WARM_MAX_BYTES (64 * 1024) /* a spawn request's own limit (serve-frames.h MAX_REQUEST) */
#define WARM_MAX_ARGS 1024

static int args_fd = -1; /* set by serve.h's become_job() for a warm job only; -1: a cold job, nothing to wait for */

/* Reads exactly `len` bytes; 0 when the pipe ended first or the wait was too long. */
static int read_exactly(char *buf, size_t len) {
  size_t have = 0;
  while (have < len) {
    struct pollfd p = {args_fd, POLLIN, 0};
    int ready = poll(&p, 1, WARM_MAX_WAIT_MS);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return 0;
    ssize_t n = read(args_fd, buf + have, len - have);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 0;
    have += (size_t)n;
  }
  return 1;
}

/* In the process about to exec, after harden(): `file_argv` is FILE alone for a warm job. Returns the argv to exec:
   FILE, then the arguments the job request delivered. Static storage: with CLONE_VM it is the suspended helper's. */
static char **take_job_args(char **file_argv) {
  static char buf[WARM_MAX_BYTES];
  static char *argv[WARM_MAX_ARGS];
  if (args_fd < 0) return file_argv;
  uint32_t len = 0;
  if (file_argv[1] != NULL || !read_exactly((char *)&len, sizeof len) || len > sizeof buf) _exit(HELPER_FAILED);
  if (len > 0 && (!read_exactly(buf, len) || buf[len - 1] != '\0')) _exit(HELPER_FAILED);
  close(args_fd);
  int argc = 0;
  argv[argc++] = file_argv[0];
  for (size_t i = 0; i < len; i += strlen(buf + i) + 1) {
    if (argc >= WARM_MAX_ARGS - 1) _exit(HELPER_FAILED);
    argv[argc++] = buf + i;
  }
  argv[argc] = NULL;
  return argv;
}

#endif
