/*
 * netdiag-sandbox: optional one-exec job wrapper for the netdiag runner.
 *
 * The runner can confine a job with util-linux alone (prlimit, then setpriv --pdeathsig KILL, then
 * unshare --pid --fork --kill-child), but that is three extra execs of dynamically linked programs,
 * about 2 ms per job. This static helper does the same work in one exec (about 0.5 ms) and closes
 * the race setpriv leaves open (the runner dying before the parent-death signal is armed).
 *
 *   netdiag-sandbox --as BYTES --nofile N --cpu SEC --ppid PID [--pidns]
 *                   [--cgroup DIR]... [--fs-tmp-mb MB [--hide PATH]...] [--uid UID --gid GID [--netraw]] [--seccomp]
 *                   -- FILE [ARG...]
 *
 * In order: setrlimit AS, NOFILE, CPU and CORE=0 (soft = hard, so the job cannot raise them);
 * PR_SET_PDEATHSIG SIGKILL, then check that our parent is still PID (the runner); then either exec
 * FILE directly or, with --pidns, unshare a PID namespace and fork FILE as its init. When that init
 * exits the kernel kills everything left in the namespace, so setsid grandchildren cannot survive.
 * The environment is passed through untouched (the runner already scrubbed it).
 *
 * Hardening, in the process that execs FILE, right before the exec (docs/security.md, "Sandbox"): --cgroup moves it
 * into a job cgroup the runner made (pids.max, memory limit; at most two, one per v1 hierarchy); --fs-tmp-mb gives
 * it a private read-only view of the filesystem with a fresh tmpfs /tmp of that size (harden-fs.h; --hide covers
 * the runner's own files); --uid/--gid drop it to that identity with no capability, or only CAP_NET_RAW with
 * --netraw, and no_new_privs (harden-identity.h); --seccomp installs the syscall deny-list (harden-seccomp.h).
 * The helper itself stays root and the job's parent, so the job cannot signal or trace it.
 *
 * With --pidns the helper stays FILE's parent and is the only one that may end it: SIGUSR1 means "kill the
 * job now" (the runner's hard kill at the deadline or on cancel). The helper SIGKILLs FILE, which takes the
 * whole namespace with it, reaps it and exits with its status. The runner never SIGKILLs the helper itself,
 * so the job is never orphaned and left as a zombie for another process to reap (docs/security.md, "Sandbox").
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

#include "harden-cgroup.h"
#include "harden-fs.h"
#include "harden-identity.h"
#include "harden-seccomp.h"

static void usage(void) {
  fputs("usage: netdiag-sandbox --as BYTES --nofile N --cpu SEC --ppid PID [--pidns] [--cgroup DIR]... [--fs-tmp-mb MB [--hide PATH]...]\n"
        "                       [--uid UID --gid GID [--netraw]] [--seccomp] -- FILE [ARG...]\n",
        stderr);
  _exit(HELPER_FAILED);
}

/* What the job gets besides the rlimits; applied by harden() in the process that execs FILE. */
struct hardening {
  int cgroup_count;
  const char *cgroups[MAX_CGROUPS]; /* job cgroup directories the runner created (one per hierarchy) */
  struct fs_view fs;
  unsigned long long uid, gid;
  int netraw, seccomp;
};

/* Order matters: mounts need CAP_SYS_ADMIN (before the drop); the filter denies mount (after it). */
static void harden(const struct hardening *h) {
  /* First: /sys/fs/cgroup turns read-only with the filesystem view, and joining needs our root identity. */
  join_cgroups(h->cgroups, h->cgroup_count);
  make_fs_view(&h->fs);
  if (h->uid != 0) drop_identity((uid_t)h->uid, (gid_t)h->gid, h->netraw);
  /* Changing uid/gid clears the parent-death signal: arm it again (callers then check the parent is still there). */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die("prctl(PR_SET_PDEATHSIG)");
  if (h->seccomp) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("prctl(PR_SET_NO_NEW_PRIVS)");
    install_seccomp();
  }
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
static int run_in_pid_namespace(char **argv, struct hardening *h) {
  if (unshare(CLONE_NEWPID) != 0) die("unshare(CLONE_NEWPID)");
  /* SIGCHLD and SIGUSR1 are blocked and taken one at a time with sigwaitinfo below, so the kill() for SIGUSR1
     and the waitpid() that reaps the job happen in one thread, in order: kill() never reaches a reaped pid. */
  sigset_t wanted, old;
  sigemptyset(&wanted);
  sigaddset(&wanted, SIGCHLD);
  sigaddset(&wanted, SIGUSR1);
  if (sigprocmask(SIG_BLOCK, &wanted, &old) != 0) die("sigprocmask");
  int alive[2];
  if (pipe(alive) != 0) die("pipe");
  pid_t child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    close(alive[1]);
    if (sigprocmask(SIG_SETMASK, &old, NULL) != 0) die("sigprocmask");
    /* pdeathsig is not inherited across fork: arm it again, then make sure the parent did not die
       before that (its end of the pipe would be closed, so poll reports a hang-up). */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die("prctl(PR_SET_PDEATHSIG)");
    h->fs.fresh_proc = 1;
    harden(h); /* re-arms the parent-death signal after the identity drop; the check below covers both */
    struct pollfd p = {alive[0], POLLIN, 0};
    if (poll(&p, 1, 0) != 0) _exit(HELPER_FAILED);
    close(alive[0]);
    exec_file(argv);
  }
  close(alive[0]);
  /* Stay alive to report the status: the runner's SIGTERM to the group is for the job (which gets
     it directly as a group member); SIGUSR1 asks us to kill the job (see the top of this file). */
  signal(SIGTERM, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  int status = 0;
  for (;;) {
    pid_t done = waitpid(child, &status, WNOHANG);
    if (done == child) break;
    if (done < 0 && errno != EINTR) die("waitpid");
    if (sigwaitinfo(&wanted, NULL) == SIGUSR1) kill(child, SIGKILL);
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
  struct hardening h;
  memset(&h, 0, sizeof h);
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) { i++; break; }
    if (strcmp(a, "--pidns") == 0) { pidns = 1; continue; }
    if (strcmp(a, "--netraw") == 0) { h.netraw = 1; continue; }
    if (strcmp(a, "--seccomp") == 0) { h.seccomp = 1; continue; }
    if (i + 1 >= argc) usage();
    if (strcmp(a, "--as") == 0) as = number(argv[++i]);
    else if (strcmp(a, "--nofile") == 0) nofile = number(argv[++i]);
    else if (strcmp(a, "--cpu") == 0) cpu = number(argv[++i]);
    else if (strcmp(a, "--ppid") == 0) ppid = number(argv[++i]);
    else if (strcmp(a, "--uid") == 0) h.uid = number(argv[++i]);
    else if (strcmp(a, "--gid") == 0) h.gid = number(argv[++i]);
    else if (strcmp(a, "--cgroup") == 0 && h.cgroup_count < MAX_CGROUPS && argv[i + 1][0] == '/') h.cgroups[h.cgroup_count++] = argv[++i];
    else if (strcmp(a, "--fs-tmp-mb") == 0) h.fs.tmp_mb = number(argv[++i]);
    else if (strcmp(a, "--hide") == 0 && h.fs.hidden_count < MAX_HIDDEN && argv[i + 1][0] == '/') h.fs.hidden[h.fs.hidden_count++] = argv[++i];
    else usage();
  }
  /* Every limit is mandatory: a job never runs half-confined because an option was forgotten. */
  if (i >= argc || argv[i][0] != '/' || as == 0 || nofile == 0 || cpu == 0 || ppid == 0) usage();
  /* uid and gid come together (number() refuses 0: never "drop" to root); the others only make sense with them. */
  if ((h.uid == 0) != (h.gid == 0) || (h.netraw && h.uid == 0) || (h.fs.hidden_count > 0 && h.fs.tmp_mb == 0)) usage();

  limit(RLIMIT_AS, (rlim_t)as, "setrlimit(AS)");
  limit(RLIMIT_NOFILE, (rlim_t)nofile, "setrlimit(NOFILE)");
  limit(RLIMIT_CPU, (rlim_t)cpu, "setrlimit(CPU)");
  limit(RLIMIT_CORE, 0, "setrlimit(CORE)");
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die("prctl(PR_SET_PDEATHSIG)");
  if ((unsigned long long)getppid() != ppid) _exit(HELPER_FAILED); /* the runner is already gone */

  if (pidns) return run_in_pid_namespace(argv + i, &h);
  harden(&h);
  if ((unsigned long long)getppid() != ppid) _exit(HELPER_FAILED); /* the runner died while we hardened */
  exec_file(argv + i);
  return HELPER_FAILED;
}
