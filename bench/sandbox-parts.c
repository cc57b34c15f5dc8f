/*
 * Where the sandbox helper's hardening time goes, step by step (bench/sandbox-parts.ts builds and runs it as root; the
 * figures are explained in docs/security.md "Sandbox"). It includes the helper's own harden-*.h with NETDIAG_MARK defined
 * to record, after each step, the wall clock, the thread's CPU clock and its page-fault count: the real code is timed,
 * and the helper itself is built without any of it.
 *
 * Each run is shaped like a helper job: a freshly exec'd copy of this program (like the helper: a forked copy would
 * fault on its code pages again) unshares a PID namespace and clones the job's first process as the helper does
 * (CLONE_VM | CLONE_VFORK, on a stack of its own), which applies the variant's protections in harden()'s order
 * (netdiag-sandbox.c) and exits. "exit → reaped" is the wall time from its last step to its parent's wait4: the
 * namespaces, Landlock domain, seccomp filter and cgroup leaving with it (its CPU: the job's rusage minus the steps).
 * Variants alternate run by run.
 *
 *   sandbox-parts RUNS CGROUP_PARENT|- CGROUP_PARENT|- VARIANT...
 * VARIANT: "none" or a '+'-joined list of cgroup, fs, exec, identity, seccomp. Two parents: cgroup v1 (pids, memory);
 * one: v2. Run as root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_MARKS 32
#define MAX_VARIANTS 12
struct mark {
  char name[48]; /* a copy: the helper copy's strings are not ours */
  long long wall, cpu, faults;
};
static struct shared {
  int n;
  struct mark m[MAX_MARKS];
  long long reaped, job_cpu;
} *sh; /* a memfd mapping that the parent and each helper copy share */

static long long now(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}
static void mark(const char *name) {
  struct rusage ru;
  getrusage(RUSAGE_THREAD, &ru);
  if (sh->n == MAX_MARKS) return;
  struct mark *m = &sh->m[sh->n++];
  strncpy(m->name, name, sizeof m->name - 1);
  m->wall = now(CLOCK_MONOTONIC), m->cpu = now(CLOCK_THREAD_CPUTIME_ID), m->faults = ru.ru_minflt + ru.ru_majflt;
}
#define NETDIAG_MARK(step) mark(step)
#define HELPER_FAILED 125
static void die(const char *what) {
  fprintf(stderr, "sandbox-parts: %s: %s\n", what, strerror(errno));
  _exit(HELPER_FAILED);
}
#include "harden-cgroup.h"
#include "harden-fs.h"
#include "harden-identity.h"
#include "harden-seccomp.h"
#include "harden-exec.h"

enum { CG = 1, FS = 2, EXEC = 4, ID = 8, SECCOMP = 16 };
static const char *const PARTS[] = {"cgroup", "fs", "exec", "identity", "seccomp"};
static int parse_variant(const char *s) {
  int flags = 0;
  for (const char *p = s; strcmp(s, "none") != 0 && *p != '\0';) {
    size_t len = strcspn(p, "+"), i = 0;
    while (i < 5 && (strlen(PARTS[i]) != len || strncmp(p, PARTS[i], len) != 0)) i++;
    if (i == 5) die("unknown part (cgroup, fs, exec, identity, seccomp or none)");
    flags |= 1 << i;
    p += len + (p[len] == '+');
  }
  return flags;
}

static const char *cgroup_dirs[2];
static int cgroup_count;

/* harden() of netdiag-sandbox.c, in its order, with what the runner passes for ping (the exec rule's binary). */
static int job(void *arg) {
  int flags = *(int *)arg;
  static struct fs_view fs = {64, 1, 0, {0}};
  static struct exec_rule rule = {1, 0, {0}};
  mark("start"); /* twice: the first call pays for its own first page touches */
  sh->n = 0;
  mark("start");
  if (flags & CG) join_cgroups(cgroup_dirs, cgroup_count);
  if (flags & FS) make_fs_view(&fs);
  if (flags & EXEC) restrict_exec(&rule, "/usr/bin/ping", 1);
  if (flags & ID) drop_identity(65534, 65534, 1);
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die("prctl(PR_SET_PDEATHSIG)");
  mark("pdeathsig");
  if (flags & SECCOMP) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("prctl(PR_SET_NO_NEW_PRIVS)");
    mark("seccomp: no_new_privs");
    install_seccomp();
    mark("seccomp: attach (prctl)");
  }
  _exit(0);
}
static char job_stack[64 * 1024] __attribute__((aligned(16))); /* as in netdiag-sandbox.c: untouched until the job runs */

/* The helper's part (`--helper FD FLAGS DIR|- DIR|-`): unshare a PID namespace, start the job in it, reap it. */
static int helper(char **argv) {
  sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED, atoi(argv[0]), 0);
  if (sh == MAP_FAILED) die("mmap");
  int flags = atoi(argv[1]);
  for (int i = 2; i < 4; i++)
    if (strcmp(argv[i], "-") != 0) cgroup_dirs[cgroup_count++] = argv[i];
  struct rusage ru;
  if (unshare(CLONE_NEWPID) != 0) die("unshare(CLONE_NEWPID)");
  pid_t j = clone(job, job_stack + sizeof job_stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &flags);
  if (j < 0) die("clone job");
  int status;
  if (wait4(j, &status, 0, &ru) != j) die("wait4");
  sh->reaped = now(CLOCK_MONOTONIC);
  sh->job_cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
  return WIFEXITED(status) ? WEXITSTATUS(status) : HELPER_FAILED;
}

static const char *parents[2];
static char dirs[2][4096];

/* A tool's limits in a job cgroup, as runner/src/sandbox/cgroup.ts writes them (v1 or v2 file names). */
static void write_limit(const char *dir, const char *file, const char *value) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  FILE *f = fopen(path, "w");
  if (f == NULL) return; /* not this hierarchy's file */
  if (fputs(value, f) < 0 || fclose(f) != 0) die(path);
}

/* One job; its steps are in sh afterwards. */
static void run_once(int shm_fd, int flags, int run) {
  char fd_text[16], flags_text[16];
  snprintf(fd_text, sizeof fd_text, "%d", shm_fd);
  snprintf(flags_text, sizeof flags_text, "%d", flags);
  char *args[] = {"sandbox-parts", "--helper", fd_text, flags_text, "-", "-", NULL};
  for (int i = 0; i < 2 && (flags & CG) && strcmp(parents[i], "-") != 0; i++) {
    snprintf(dirs[i], sizeof dirs[i], "%s/netdiag-job-bench-%d", parents[i], run);
    if (mkdir(dirs[i], 0755) != 0) die("mkdir cgroup");
    write_limit(dirs[i], "pids.max", "64");
    write_limit(dirs[i], "memory.limit_in_bytes", "536870912");
    write_limit(dirs[i], "memory.max", "536870912");
    args[4 + i] = dirs[i];
  }
  sh->n = 0;
  pid_t p = fork();
  if (p < 0) die("fork");
  if (p == 0) {
    execv("/proc/self/exe", args);
    die("exec self");
  }
  int status;
  if (waitpid(p, &status, 0) != p) die("waitpid");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) die("the job failed");
  for (int i = 4; i < 6 && strcmp(args[i], "-") != 0; i++)
    if (rmdir(args[i]) != 0) die("rmdir cgroup");
}

/* One line per step of a run: variant, step, wall µs, CPU µs, page faults (bench/sandbox-parts.ts sums them up). */
static void report(const char *variant, const char *step, double wall_ns, double cpu_ns, long long faults) {
  printf("%s\t%s\t%.1f\t%.1f\t%lld\n", variant, step, wall_ns / 1000, cpu_ns / 1000, faults);
}

int main(int argc, char **argv) {
  if (argc == 6 && strcmp(argv[1], "--helper") == 0) return helper(argv + 2);
  if (argc < 5) die("usage: sandbox-parts RUNS CGROUP_PARENT|- CGROUP_PARENT|- VARIANT...");
  int runs = atoi(argv[1]), variants = argc - 4, flags[MAX_VARIANTS];
  if (runs < 1 || variants > MAX_VARIANTS) die("RUNS or the number of variants out of range");
  parents[0] = argv[2];
  parents[1] = argv[3];
  for (int v = 0; v < variants; v++) flags[v] = parse_variant(argv[4 + v]);
  int shm_fd = memfd_create("sandbox-parts", 0); /* inherited by each helper copy */
  if (shm_fd < 0 || ftruncate(shm_fd, sizeof *sh) != 0) die("memfd");
  sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED, shm_fd, 0);
  if (sh == MAP_FAILED) die("mmap");
  for (int run = -10; run < runs; run++) /* 10 warm-up rounds */
    for (int v = 0; v < variants; v++) {
      if ((flags[v] & CG) && strcmp(parents[0], "-") == 0) die("a cgroup variant needs a cgroup parent");
      run_once(shm_fd, flags[v], run + 10 + v * (runs + 10));
      if (run < 0) continue;
      const char *name = argv[4 + v];
      const struct mark *m = sh->m, *last = &sh->m[sh->n - 1];
      for (int i = 1; i < sh->n; i++) report(name, m[i].name, (double)(m[i].wall - m[i - 1].wall), (double)(m[i].cpu - m[i - 1].cpu), m[i].faults - m[i - 1].faults);
      report(name, "= all steps", (double)(last->wall - m[0].wall), (double)(last->cpu - m[0].cpu), last->faults - m[0].faults);
      report(name, "exit → reaped (teardown)", (double)(sh->reaped - last->wall), (double)(sh->job_cpu - (last->cpu - m[0].cpu)), 0);
    }
  return 0;
}
