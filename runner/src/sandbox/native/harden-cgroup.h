/*
 * Joining the job's cgroups (docs/security.md, "Sandbox"): the runner created one directory per hierarchy with the
 * tool's pids.max and memory limit (runner/src/sandbox/cgroup.ts); writing "0" to cgroup.procs moves the writer, the
 * process about to exec the job, so everything it starts is counted there too. Included by netdiag-sandbox.c.
 */
#ifndef NETDIAG_HARDEN_CGROUP_H
#define NETDIAG_HARDEN_CGROUP_H

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#define MAX_CGROUPS 2

static void die(const char *what);

/* bench/sandbox-parts.c defines NETDIAG_MARK to time each step (docs/security.md "Sandbox"); in the helper: nothing. */
#ifndef NETDIAG_MARK
#define NETDIAG_MARK(step) ((void)0)
#endif

static void join_cgroups(const char *const *dirs, int count) {
  for (int i = 0; i < count; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/cgroup.procs", dirs[i]);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, "0", 1) != 1) die("join cgroup");
    close(fd);
    NETDIAG_MARK(i == 0 ? "cgroup: join the first" : "cgroup: join the second");
  }
}

#endif
