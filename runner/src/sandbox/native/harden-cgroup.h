/*
 * Joining the job's cgroups (docs/security.md, "Sandbox"): the runner created one directory per hierarchy with the
 * tool's pids.max and memory limit (runner/src/sandbox/cgroup.ts); writing "0" moves the writer, the process about to
 * exec the job, so everything it starts is counted there too. Included by netdiag-sandbox.c.
 *
 * cgroup v1 through `tasks`, v2 (which has no `tasks`) through cgroup.procs. A write to cgroup.procs moves a whole
 * thread group, so the kernel takes its global threadgroup lock for writing, and taking that lock when nobody has for
 * about one RCU grace period waits for a full grace period first: 7 ms at the median, 15 ms at p95 on the 2-core lab VM
 * (docs/security.md, "Sandbox"), on the path of a job that arrives while its warm process is still joining. Writing "0"
 * to `tasks` moves the calling thread alone, which the kernel does without that lock (0.06 ms). The writer is always
 * single-threaded (this helper starts no thread, and the job's first process is a clone without CLONE_THREAD), so
 * moving the thread moves the process: the job and everything it starts are in the cgroup exactly as before.
 */
#ifndef NETDIAG_HARDEN_CGROUP_H
#define NETDIAG_HARDEN_CGROUP_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#define MAX_CGROUPS 2

static void die(const char *what);

/* bench/sandbox-parts.c defines NETDIAG_MARK to time each step (docs/security.md "Sandbox"); in the helper: nothing. */
#ifndef NETDIAG_MARK
#define NETDIAG_MARK(step) ((void)0)
#endif

/* The directory's `tasks` (v1), or its cgroup.procs when it has none (v2); -1 with errno when neither opens. */
static int open_join_file(const char *dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/tasks", dir);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd >= 0 || errno != ENOENT) return fd;
  snprintf(path, sizeof path, "%s/cgroup.procs", dir);
  return open(path, O_WRONLY | O_CLOEXEC);
}

static void join_cgroups(const char *const *dirs, int count) {
  for (int i = 0; i < count; i++) {
    int fd = open_join_file(dirs[i]);
    if (fd < 0 || write(fd, "0", 1) != 1) die("join cgroup");
    close(fd);
    NETDIAG_MARK(i == 0 ? "cgroup: join the first" : "cgroup: join the second");
  }
}

#endif
