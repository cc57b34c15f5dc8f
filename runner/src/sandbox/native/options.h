/*
 * The helper's command line (see the top of netdiag-sandbox.c), parsed strictly: an unknown option, a missing value,
 * a non-numeric or zero number, or a combination that makes no sense ends the helper with HELPER_FAILED before it
 * changes anything. Every limit is mandatory, so a job never runs half-confined because an option was forgotten.
 * Included by netdiag-sandbox.c after the harden-*.h files.
 */
#ifndef NETDIAG_OPTIONS_H
#define NETDIAG_OPTIONS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What the job gets besides the rlimits; applied by harden() in the process that execs FILE. */
struct hardening {
  int cgroup_count;
  const char *cgroups[MAX_CGROUPS]; /* job cgroup directories the runner created (one per hierarchy) */
  struct fs_view fs;
  struct exec_rule exec;
  unsigned long long uid, gid;
  int netraw, seccomp;
};

struct options {
  unsigned long long as, nofile, cpu, ppid;
  int pidns;
  struct hardening h;
  char **file_argv; /* FILE [ARG...] */
};

static void usage(void) {
  fputs("usage: netdiag-sandbox --as BYTES --nofile N --cpu SEC --ppid PID [--pidns] [--cgroup DIR]... [--fs-tmp-mb MB [--hide PATH]...]\n"
        "                       [--uid UID --gid GID [--netraw]] [--exec-only [--allow-exec PATH]...] [--seccomp] -- FILE [ARG...]\n",
        stderr);
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

/* An absolute path for a list with room left; anything else is a usage error. */
static void add_path(const char **list, int *count, int max, const char *path) {
  if (*count >= max || path[0] != '/') usage();
  list[(*count)++] = path;
}

static void parse_options(int argc, char **argv, struct options *o) {
  memset(o, 0, sizeof *o);
  struct hardening *h = &o->h;
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) { i++; break; }
    if (strcmp(a, "--pidns") == 0) { o->pidns = 1; continue; }
    if (strcmp(a, "--netraw") == 0) { h->netraw = 1; continue; }
    if (strcmp(a, "--seccomp") == 0) { h->seccomp = 1; continue; }
    if (strcmp(a, "--exec-only") == 0) { h->exec.on = 1; continue; }
    if (i + 1 >= argc) usage();
    const char *v = argv[++i];
    if (strcmp(a, "--as") == 0) o->as = number(v);
    else if (strcmp(a, "--nofile") == 0) o->nofile = number(v);
    else if (strcmp(a, "--cpu") == 0) o->cpu = number(v);
    else if (strcmp(a, "--ppid") == 0) o->ppid = number(v);
    else if (strcmp(a, "--uid") == 0) h->uid = number(v);
    else if (strcmp(a, "--gid") == 0) h->gid = number(v);
    else if (strcmp(a, "--cgroup") == 0) add_path(h->cgroups, &h->cgroup_count, MAX_CGROUPS, v);
    else if (strcmp(a, "--fs-tmp-mb") == 0) h->fs.tmp_mb = number(v);
    else if (strcmp(a, "--hide") == 0) add_path(h->fs.hidden, &h->fs.hidden_count, MAX_HIDDEN, v);
    else if (strcmp(a, "--allow-exec") == 0) add_path(h->exec.paths, &h->exec.count, MAX_EXECS, v);
    else usage();
  }
  if (i >= argc || argv[i][0] != '/' || o->as == 0 || o->nofile == 0 || o->cpu == 0 || o->ppid == 0) usage();
  /* uid and gid come together (number() refuses 0: never "drop" to root); the others only make sense with theirs. */
  if ((h->uid == 0) != (h->gid == 0) || (h->netraw && h->uid == 0) || (h->fs.hidden_count > 0 && h->fs.tmp_mb == 0)) usage();
  if (h->exec.count > 0 && !h->exec.on) usage();
  o->file_argv = argv + i;
}

#endif
