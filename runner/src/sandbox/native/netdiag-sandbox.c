/*
 * netdiag-sandbox: optional one-exec job wrapper for the netdiag runner.
 *
 * The runner can confine a job with util-linux alone (prlimit, then setpriv --pdeathsig KILL, then
 * unshare --pid --fork --kill-child), but that is three extra execs of dynamically linked programs,
 * about 2 ms per job. This static helper does the same work in one exec (about 0.5 ms) and closes
 * the race setpriv leaves open (the runner dying before the parent-death signal is armed).
 *
 *   netdiag-sandbox --as BYTES --nofile N --cpu SEC --ppid PID [--pidns] -- FILE [ARG...]
 *
 * In order: setrlimit AS, NOFILE, CPU and CORE=0 (soft = hard, so the job cannot raise them);
 * PR_SET_PDEATHSIG SIGKILL, then check that our parent is still PID (the runner); then either exec
 * FILE directly or, with --pidns, unshare a PID namespace and fork FILE as its init. When that init
 * exits the kernel kills everything left in the namespace, so setsid grandchildren cannot survive.
 * The environment is passed through untouched (the runner already scrubbed it).
 *
 * Exit status: FILE's own, or FILE's signal re-raised; 125 when the helper itself fails,
 * 126 when FILE cannot be executed, 127 when it does not exist.
 *
 * Build (root-owned, not writable by others; the runner refuses it otherwise):
 *   gcc -static -O2 -Wall -Wextra -o /usr/local/libexec/netdiag-sandbox netdiag-sandbox.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define HELPER_FAILED 125

static void die(const char *what) {
  fprintf(stderr, "netdiag-sandbox: %s: %s\n", what, strerror(errno));
  _exit(HELPER_FAILED);
}

static void usage(void) {
  fputs("usage: netdiag-sandbox --as BYTES --nofile N --cpu SEC --ppid PID [--pidns] -- FILE [ARG...]\n", stderr);
  _exit(HELPER_FAILED);
}

/* Strict unsigned decimal: no sign, no spaces, no trailing garbage, at least 1. */
static unsigned long long number(const char *s) {
  if (s == NULL || *s < '0' || *s > '9') usage();
  char *end = NULL;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno != 0 || *end != '\0' || v == 0) usage();
  return v;
}

static void limit(int resource, rlim_t value, const char *name) {
  struct rlimit l = {value, value};
  if (setrlimit(resource, &l) != 0) die(name);
}

static void exec_file(char **argv) {
  execv(argv[0], argv);
  int code = errno == ENOENT ? 127 : 126;
  fprintf(stderr, "netdiag-sandbox: exec %s: %s\n", argv[0], strerror(errno));
  _exit(code);
}

/* Run FILE as init of a new PID namespace and mirror its exit status. */
static int run_in_pid_namespace(char **argv) {
  if (unshare(CLONE_NEWPID) != 0) die("unshare(CLONE_NEWPID)");
  int alive[2];
  if (pipe(alive) != 0) die("pipe");
  pid_t child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    close(alive[1]);
    /* pdeathsig is not inherited across fork: arm it again, then make sure the parent did not die
       before that (its end of the pipe would be closed, so poll reports a hang-up). */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die("prctl(PR_SET_PDEATHSIG)");
    struct pollfd p = {alive[0], POLLIN, 0};
    if (poll(&p, 1, 0) != 0) _exit(HELPER_FAILED);
    close(alive[0]);
    exec_file(argv);
  }
  close(alive[0]);
  /* Stay alive to report the status: the runner's SIGTERM to the group is for the job (which gets
     it directly as a group member), its SIGKILL ends us both. */
  signal(SIGTERM, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) die("waitpid");
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  int sig = WTERMSIG(status);
  signal(sig, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  raise(sig);
  return 128 + sig;
}

int main(int argc, char **argv) {
  unsigned long long as = 0, nofile = 0, cpu = 0, ppid = 0;
  int pidns = 0, i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) { i++; break; }
    if (strcmp(a, "--pidns") == 0) { pidns = 1; continue; }
    if (i + 1 >= argc) usage();
    if (strcmp(a, "--as") == 0) as = number(argv[++i]);
    else if (strcmp(a, "--nofile") == 0) nofile = number(argv[++i]);
    else if (strcmp(a, "--cpu") == 0) cpu = number(argv[++i]);
    else if (strcmp(a, "--ppid") == 0) ppid = number(argv[++i]);
    else usage();
  }
  /* Every limit is mandatory: a job never runs half-confined because an option was forgotten. */
  if (i >= argc || argv[i][0] != '/' || as == 0 || nofile == 0 || cpu == 0 || ppid == 0) usage();

  limit(RLIMIT_AS, (rlim_t)as, "setrlimit(AS)");
  limit(RLIMIT_NOFILE, (rlim_t)nofile, "setrlimit(NOFILE)");
  limit(RLIMIT_CPU, (rlim_t)cpu, "setrlimit(CPU)");
  limit(RLIMIT_CORE, 0, "setrlimit(CORE)");
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die("prctl(PR_SET_PDEATHSIG)");
  if ((unsigned long long)getppid() != ppid) _exit(HELPER_FAILED); /* the runner is already gone */

  if (pidns) return run_in_pid_namespace(argv + i);
  exec_file(argv + i);
  return HELPER_FAILED;
}
