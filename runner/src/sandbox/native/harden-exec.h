/*
 * Which programs a job may execute (docs/security.md, "Sandbox"): a Landlock ruleset that handles only
 * LANDLOCK_ACCESS_FS_EXECUTE and grants it on exactly the job's own binary, the programs its tool declares it runs
 * (--allow-exec: mtr runs mtr-packet) and what the kernel must open to start each of them (the ELF interpreter,
 * ld-linux; for a "#!" script its interpreter and that one's ELF interpreter). Any other execve, of /bin/sh or of a
 * file written to /tmp, fails with EACCES. Reading and writing files is not restricted here (the read-only mount
 * view does that). Inside its own PID namespace the job also gets vm.memfd_noexec=2 (per PID namespace, Linux >= 6.3),
 * since Landlock lets an anonymous memfd through. Needs Linux >= 5.13 with Landlock enabled; asked for and not
 * available, the helper fails (the runner probes it first and reports it missing). Included by netdiag-sandbox.c.
 */
#ifndef NETDIAG_HARDEN_EXEC_H
#define NETDIAG_HARDEN_EXEC_H

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_EXECS 8

/* Landlock ABI 6 (Linux 6.12) scopes signals: a process in the domain may not signal one outside it. The installed
   <linux/landlock.h> may predate it, so the ruleset attribute is spelled out here (the kernel's layout, ABI >= 4). */
#define NETDIAG_LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#define NETDIAG_LANDLOCK_ABI_VERSION (1U << 0) /* LANDLOCK_CREATE_RULESET_VERSION */
struct netdiag_ruleset_attr {
  __u64 handled_access_fs;
  __u64 handled_access_net;
  __u64 scoped;
};

static void die(const char *what);

/* bench/sandbox-parts.c defines NETDIAG_MARK to time each step (docs/security.md "Sandbox"); in the helper: nothing. */
#ifndef NETDIAG_MARK
#define NETDIAG_MARK(step) ((void)0)
#endif

struct exec_rule {
  int on;
  int count;
  const char *paths[MAX_EXECS]; /* --allow-exec, besides the job's own binary */
};

enum starter { NO_STARTER, SCRIPT_INTERPRETER, ELF_INTERPRETER };

/* The program the kernel opens to start `fd`'s file: a "#!" interpreter or the ELF PT_INTERP (ld-linux). One read of
   the first KiB covers the header, the program headers and the PT_INTERP string of ordinary binaries; past it, pread. */
static enum starter starter_of(int fd, char *out, size_t size) {
  union {
    char bytes[1024];
    Elf64_Ehdr eh;
  } head;
  ssize_t got = pread(fd, head.bytes, sizeof head.bytes, 0);
  if (got >= 4 && memcmp(head.bytes, "#!", 2) == 0) {
    size_t i = 2, n = 0, end = (size_t)got;
    while (i < end && (head.bytes[i] == ' ' || head.bytes[i] == '\t')) i++;
    while (i + n < end && head.bytes[i + n] != ' ' && head.bytes[i + n] != '\t' && head.bytes[i + n] != '\n' && n + 1 < size) n++;
    memcpy(out, head.bytes + i, n);
    out[n] = '\0';
    return n > 0 && out[0] == '/' ? SCRIPT_INTERPRETER : NO_STARTER;
  }
  const Elf64_Ehdr *eh = &head.eh;
  if (got < (ssize_t)sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64) return NO_STARTER;
  if (eh->e_phentsize != sizeof(Elf64_Phdr)) return NO_STARTER;
  for (unsigned int i = 0; i < eh->e_phnum && i < 64; i++) {
    Elf64_Phdr ph;
    Elf64_Off at = eh->e_phoff + (Elf64_Off)i * sizeof ph;
    if (at + sizeof ph <= (Elf64_Off)got) memcpy(&ph, head.bytes + at, sizeof ph);
    else if (pread(fd, &ph, sizeof ph, (off_t)at) != (ssize_t)sizeof ph) return NO_STARTER;
    if (ph.p_type != PT_INTERP) continue;
    if (ph.p_filesz < 2 || ph.p_filesz > size) return NO_STARTER;
    if (ph.p_offset + ph.p_filesz <= (Elf64_Off)got) memcpy(out, head.bytes + ph.p_offset, ph.p_filesz);
    else if (pread(fd, out, ph.p_filesz, (off_t)ph.p_offset) != (ssize_t)ph.p_filesz) return NO_STARTER;
    out[ph.p_filesz - 1] = '\0';
    return out[0] == '/' ? ELF_INTERPRETER : NO_STARTER;
  }
  return NO_STARTER;
}

/* Grant EXECUTE on `path` and on what starts it: a script's interpreter (and that one's ld-linux), a binary's ld-linux
   (itself started by nothing: it is not read). A path that does not exist grants nothing. */
static void allow_exec(int ruleset, const char *path, int scripts) {
  int readable = 1, fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == EACCES) { /* execute-only for a non-root helper: granted, but its interpreter is not read */
    readable = 0;
    fd = open(path, O_PATH | O_CLOEXEC);
  }
  if (fd < 0) {
    if (errno == ENOENT) return;
    die("landlock: open an allowed program");
  }
  struct landlock_path_beneath_attr rule = {LANDLOCK_ACCESS_FS_EXECUTE, fd};
  if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0) die("landlock_add_rule");
  char starter[256];
  enum starter kind = readable && scripts >= 0 ? starter_of(fd, starter, sizeof starter) : NO_STARTER;
  close(fd);
  if (kind == ELF_INTERPRETER) allow_exec(ruleset, starter, -1);
  if (kind == SCRIPT_INTERPRETER && scripts > 0) allow_exec(ruleset, starter, scripts - 1);
}

/* `file`: the job's own binary. After this, execve of anything not granted fails with EACCES. */
static void restrict_exec(const struct exec_rule *r, const char *file, int own_pid_namespace) {
  if (!r->on) return;
  if (own_pid_namespace) { /* before Linux 6.3 the sysctl does not exist (and memfds cannot be sealed no-exec) */
    int fd = open("/proc/sys/vm/memfd_noexec", O_WRONLY | O_CLOEXEC);
    if (fd < 0 && errno != ENOENT) die("vm.memfd_noexec");
    if (fd >= 0 && write(fd, "2", 1) != 1) die("vm.memfd_noexec");
    if (fd >= 0) close(fd);
  }
  NETDIAG_MARK("exec: vm.memfd_noexec");
  /* Any domain already keeps the job from ptrace-accessing (opening /proc/<pid>/environ, mem of) a process outside it,
     whatever the uids: for a non-root runner, whose jobs share its uid, that guards its token. With ABI 6 the job
     also may not signal (kill) the runner or other jobs of the same uid (docs/security.md, "Sandbox"). */
  struct netdiag_ruleset_attr attr = {LANDLOCK_ACCESS_FS_EXECUTE, 0, 0};
  size_t size = sizeof attr.handled_access_fs; /* what every ABI takes */
  if (syscall(SYS_landlock_create_ruleset, NULL, 0, NETDIAG_LANDLOCK_ABI_VERSION) >= 6) {
    attr.scoped = NETDIAG_LANDLOCK_SCOPE_SIGNAL;
    size = sizeof attr;
  }
  int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
  if (ruleset < 0) die("landlock_create_ruleset");
  NETDIAG_MARK("exec: create ruleset");
  allow_exec(ruleset, file, 1); /* a script: its interpreter, and that one's ld-linux */
  for (int i = 0; i < r->count; i++) allow_exec(ruleset, r->paths[i], 1);
  NETDIAG_MARK("exec: rules (open, read ELF interpreter)");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("prctl(PR_SET_NO_NEW_PRIVS)");
  if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) die("landlock_restrict_self");
  close(ruleset);
  NETDIAG_MARK("exec: restrict_self");
}

#endif
