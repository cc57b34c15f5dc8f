/*
 * netdiag-sandbox: optional one-exec job wrapper for the netdiag runner.
 *
 * The runner can confine a job with util-linux alone (prlimit, then setpriv --pdeathsig KILL, then
 * unshare --pid --fork --kill-child), but that is three extra execs of dynamically linked programs,
 * about 2 ms per job. This static helper does the same work in one exec (about 0.5 ms) and closes
 * the race setpriv leaves open (the runner dying before the parent-death signal is armed).
 *
 *   netdiag-sandbox --as BYTES --nofile N --cpu SEC --ppid PID [--pidns]
 *                   [--cgroup DIR]... [--fs-tmp-mb MB [--hide PATH]...] [--uid UID --gid GID [--netraw]]
 *                   [--exec-only [--allow-exec PATH]...] [--seccomp] -- FILE [ARG...]
 *
 * In order: setrlimit AS, NOFILE, CPU and CORE=0 (soft = hard, so the job cannot raise them);
 * PR_SET_PDEATHSIG SIGKILL, then check that our parent is still PID (the runner); then either exec
 * FILE directly or, with --pidns, unshare a PID namespace and start FILE as its init (clone with CLONE_VM |
 * CLONE_VFORK: no page tables copied, no copy-on-write faults; see start_job). When that init
 * exits the kernel kills everything left in the namespace, so setsid grandchildren cannot survive.
 * The environment is passed through untouched (the runner already scrubbed it).
 *
 * Hardening, in the process that execs FILE, right before the exec (docs/security.md, "Sandbox"): --cgroup moves it
 * into a job cgroup the runner made (pids.max, memory limit; at most two, one per v1 hierarchy); --fs-tmp-mb gives
 * it a private read-only view of the filesystem with a fresh tmpfs /tmp of that size (harden-fs.h; --hide covers
 * the runner's own files); --exec-only lets it execute only FILE and each --allow-exec PATH (Landlock, harden-exec.h);
 * --uid/--gid drop it to that identity with no capability, or only CAP_NET_RAW with --netraw, and no_new_privs
 * (harden-identity.h); --seccomp installs the syscall deny-list (harden-seccomp.h). The options: options.h.
 * The helper itself stays root and the job's parent, so the job cannot signal or trace it.
 *
 * With --pidns the helper stays FILE's parent and is the only one that may end it: SIGUSR1 means "kill the
 * job now" (the runner's hard kill at the deadline or on cancel). The helper SIGKILLs FILE, which takes the
 * whole namespace with it, reaps it and exits with its status. The runner never SIGKILLs the helper itself,
 * so the job is never orphaned and left as a zombie for another process to reap (docs/security.md, "Sandbox").
 *
 * netdiag-sandbox --serve --ppid PID: the resident spawn server (serve.h). The runner starts it once and it forks each
 * job's first process, which then does exactly the above (run_helper) with the server as its --ppid parent, and
 * tells the server the job's status before it exits itself (early-status.h: the job's mount namespace goes after).
 * A warm job's first process (warm.h) is started ahead with FILE alone, hardens, and waits for the arguments only.
 *
 * Exit status: FILE's own, or FILE's signal re-raised; 125 when the helper itself fails,
 * 126 when FILE cannot be executed, 127 when it does not exist.
 *
 * Build (root-owned, not writable by others; the runner refuses it otherwise):
 *   gcc -static -O2 -Wall -Wextra -o /usr/local/libexec/netdiag-sandbox netdiag-sandbox.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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
#include "harden-exec.h"
#include "options.h"
#include "early-status.h"
#include "warm.h"

/* Order matters: mounts need CAP_SYS_ADMIN (before the drop); the filter denies mount (after it). `file`: the job's binary. */
static void harden(const struct hardening *h, const char *file) {
  /* First: /sys/fs/cgroup turns read-only with the filesystem view, and joining needs our root identity. */
  join_cgroups(h->cgroups, h->cgroup_count);
  make_fs_view(&h->fs);
  /* Still root (it reads each allowed binary for its interpreter); fresh_proc is set exactly in our own PID namespace. */
  restrict_exec(&h->exec, file, h->fs.fresh_proc);
  if (h->uid != 0) drop_identity((uid_t)h->uid, (gid_t)h->gid, h->netraw);
  /* Changing uid/gid clears the parent-death signal: arm it again (callers then check the parent is still there). */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die("prctl(PR_SET_PDEATHSIG)");
  if (h->seccomp) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("prctl(PR_SET_NO_NEW_PRIVS)");
    install_seccomp();
  }
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

/* What the job's first process needs; it runs on job_stack, sharing our memory until its exec (see below). */
struct job_start {
  char **argv;
  struct hardening h; /* its own copy: harden() runs on it */
  int alive[2];       /* a pipe: it reads [0]; [1] is ours, so it reports a hang-up once we are gone */
  sigset_t mask;      /* the signal mask to restore */
};
static char job_stack[64 * 1024] __attribute__((aligned(16)));

static int start_job(void *arg) {
  struct job_start *j = arg;
  close(j->alive[1]);
  if (sigprocmask(SIG_SETMASK, &j->mask, NULL) != 0) die("sigprocmask");
  /* pdeathsig is not inherited across clone: arm it again, then make sure the parent did not die
     before that (its end of the pipe would be closed, so poll reports a hang-up). */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die("prctl(PR_SET_PDEATHSIG)");
  j->h.fs.fresh_proc = 1;
  harden(&j->h, j->argv[0]); /* re-arms the parent-death signal after the identity drop; the check below covers both */
  char **argv = take_job_args(j->argv); /* a warm job waits here, hardened, for its arguments (warm.h) */
  struct pollfd p = {j->alive[0], POLLIN, 0};
  if (poll(&p, 1, 0) != 0) _exit(HELPER_FAILED);
  close(j->alive[0]);
  exec_file(argv);
  return HELPER_FAILED;
}

/* Run FILE as init of a new PID namespace and mirror its exit status. */
static int run_in_pid_namespace(char **argv, const struct hardening *h) {
  if (unshare(CLONE_NEWPID) != 0) die("unshare(CLONE_NEWPID)");
  /* SIGCHLD and SIGUSR1 are blocked and taken one at a time with sigwaitinfo below, so the kill() for SIGUSR1
     and the waitpid() that reaps the job happen in one thread, in order: kill() never reaches a reaped pid. */
  sigset_t wanted;
  struct job_start j = {argv, *h, {-1, -1}, {{0}}};
  sigemptyset(&wanted);
  sigaddset(&wanted, SIGCHLD);
  sigaddset(&wanted, SIGUSR1);
  if (sigprocmask(SIG_BLOCK, &wanted, &j.mask) != 0) die("sigprocmask");
  if (pipe2(j.alive, O_CLOEXEC) != 0) die("pipe");
  /* CLONE_VM | CLONE_VFORK, as posix_spawn does: the job's first process borrows our memory until its exec (we wait,
     suspended), so no page table is copied and nothing is copied on write, on either side: each such page fault costs
     a job start time (docs/security.md, "Sandbox"). Its own fd table, credentials, namespaces and seccomp filter. */
  pid_t child = clone(start_job, job_stack + sizeof job_stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &j);
  if (child < 0) die("clone");
  close(j.alive[0]);
  close(j.alive[1]); /* the job has exec'd (or failed): the pipe did its work */
  if (args_fd >= 0) close(args_fd); /* a warm job's: read by the job's first process, not by us */
  hold_job_mounts(child); /* spawn server's jobs only: its teardown after the status is out (early-status.h) */
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
  report_job_status(status);
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

/* The one-shot helper: main() below, and each job's first process in the spawn server (serve.h). */
static int run_helper(int argc, char **argv) {
  struct options o;
  parse_options(argc, argv, &o);
  limit(RLIMIT_AS, (rlim_t)o.as, "setrlimit(AS)");
  limit(RLIMIT_NOFILE, (rlim_t)o.nofile, "setrlimit(NOFILE)");
  limit(RLIMIT_CPU, (rlim_t)o.cpu, "setrlimit(CPU)");
  limit(RLIMIT_CORE, 0, "setrlimit(CORE)");
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die("prctl(PR_SET_PDEATHSIG)");
  if ((unsigned long long)getppid() != o.ppid) _exit(HELPER_FAILED); /* the runner is already gone */

  if (o.pidns) return run_in_pid_namespace(o.file_argv, &o.h);
  harden(&o.h, o.file_argv[0]);
  char **file_argv = take_job_args(o.file_argv); /* a warm job waits here, hardened, for its arguments (warm.h) */
  if ((unsigned long long)getppid() != o.ppid) _exit(HELPER_FAILED); /* the runner died while we hardened */
  exec_file(file_argv);
  return HELPER_FAILED;
}

#include "serve.h"

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--serve") == 0) return serve(argc, argv);
  return run_helper(argc, argv);
}
