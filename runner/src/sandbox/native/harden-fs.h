/*
 * The job's own view of the filesystem (docs/security.md, "Sandbox"): a private mount namespace in which every
 * mount is read-only and nosuid (one recursive mount_setattr, Linux >= 5.12), a fresh size-limited tmpfs on
 * /tmp, a /proc of the job's own PID namespace (the runner's /proc/<pid>/environ and fds are not in it), and the
 * runner's own files (config, CA, keys: --hide PATH) covered by an empty read-only tmpfs or /dev/null.
 * Needs CAP_SYS_ADMIN: runs before the identity drop. Nothing here propagates back to the host (MS_PRIVATE).
 */
#ifndef NETDIAG_HARDEN_FS_H
#define NETDIAG_HARDEN_FS_H

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_HIDDEN 8

/* bench/sandbox-parts.c defines NETDIAG_MARK to time each step (docs/security.md "Sandbox"); in the helper: nothing. */
#ifndef NETDIAG_MARK
#define NETDIAG_MARK(step) ((void)0)
#endif

static void die(const char *what);

struct fs_view {
  unsigned long long tmp_mb; /* 0: no private filesystem view */
  int fresh_proc;            /* only inside our own PID namespace */
  int hidden_count;
  const char *hidden[MAX_HIDDEN];
};

static void hide_path(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return; /* nothing there to hide */
  if (S_ISDIR(st.st_mode)) {
    if (mount("none", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0555") != 0) die("hide: mount tmpfs");
  } else {
    if (mount("/dev/null", path, NULL, MS_BIND, NULL) != 0) die("hide: bind /dev/null");
    if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) die("hide: remount");
  }
}

static void make_fs_view(const struct fs_view *v) {
  if (v->tmp_mb == 0) return;
  if (unshare(CLONE_NEWNS) != 0) die("unshare(CLONE_NEWNS)");
  NETDIAG_MARK("fs: unshare(CLONE_NEWNS)");
  struct mount_attr attr = {0};
  /* Not nodev: /dev/null and /dev/urandom must keep working (nmap opens /dev/null); no CAP_MKNOD makes new nodes.
     One walk over the copied tree sets read-only, nosuid AND private propagation (so the tmpfs and proc mounts
     below never reach the host): the separate mount(MS_REC | MS_PRIVATE) walk it replaces cost as much again. */
  attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID;
  attr.propagation = MS_PRIVATE;
  if (syscall(SYS_mount_setattr, AT_FDCWD, "/", AT_RECURSIVE, &attr, sizeof attr) != 0) die("mount_setattr(/, RDONLY, PRIVATE)");
  NETDIAG_MARK("fs: mount_setattr(RDONLY, PRIVATE)");
  char options[64];
  snprintf(options, sizeof options, "size=%llum,mode=1777", v->tmp_mb);
  if (mount("none", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, options) != 0) die("mount /tmp");
  NETDIAG_MARK("fs: tmpfs /tmp");
  if (v->fresh_proc && mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) die("mount /proc");
  NETDIAG_MARK("fs: fresh /proc");
  for (int i = 0; i < v->hidden_count; i++) hide_path(v->hidden[i]);
}

#endif
