/*
 * The job's seccomp filter: a hand-written classic-BPF deny-list (no libseccomp, so the helper links statically).
 * Every entry and why it is there is listed in docs/security.md, "Sandbox". A denied call fails with EPERM (the
 * tool reports an error instead of dying unexplained); clone3 fails with ENOSYS so libc falls back to clone, whose
 * flags a filter can read (clone3 passes them in memory). Any other architecture or the x32 ABI is killed outright:
 * syscall numbers differ there and a deny-list for x86_64 would not hold.
 */
#ifndef NETDIAG_HARDEN_SECCOMP_H
#define NETDIAG_HARDEN_SECCOMP_H

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

static void die(const char *what);

#define LOAD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))

#if defined(__x86_64__)
#define NETDIAG_AUDIT_ARCH AUDIT_ARCH_X86_64
#define NETDIAG_HAS_SECCOMP 1
#else
#define NETDIAG_HAS_SECCOMP 0
#endif

#if NETDIAG_HAS_SECCOMP
/* Denied outright: tracing, mounting, namespaces, kernel keyrings, BPF, kexec, modules, perf, userfaultfd,
   cross-process memory, host-wide settings. */
static const unsigned int DENIED[] = {
  SYS_ptrace, SYS_process_vm_readv, SYS_process_vm_writev, SYS_kcmp, SYS_pidfd_getfd,
  SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot, SYS_open_tree, SYS_move_mount, SYS_fsopen, SYS_fsconfig, SYS_fsmount,
  SYS_fspick, SYS_mount_setattr, SYS_unshare, SYS_setns, SYS_bpf, SYS_keyctl, SYS_add_key, SYS_request_key,
  SYS_kexec_load, SYS_kexec_file_load, SYS_init_module, SYS_finit_module, SYS_delete_module, SYS_perf_event_open,
  SYS_userfaultfd, SYS_open_by_handle_at, SYS_name_to_handle_at, SYS_swapon, SYS_swapoff, SYS_reboot, SYS_acct,
  SYS_quotactl, SYS_syslog, SYS_iopl, SYS_ioperm, SYS_settimeofday, SYS_clock_settime, SYS_clock_adjtime, SYS_adjtimex,
  SYS_lookup_dcookie, SYS_uselib, SYS_vhangup, SYS_sethostname, SYS_setdomainname, SYS_fanotify_init,
};
#define DENIED_COUNT (sizeof DENIED / sizeof DENIED[0])
/* personality(): only the values Docker's default profile allows (query, PER_LINUX, UNAME26, PER_LINUX32 and
   their combination); ADDR_NO_RANDOMIZE and the rest would turn off ASLR or change the ABI. */
static const unsigned int PERSONALITY_OK[] = {0x0, 0x8, 0x20000, 0x20008, 0xffffffff};
#define PERSONALITY_COUNT (sizeof PERSONALITY_OK / sizeof PERSONALITY_OK[0])
#define CLONE_NS_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP)

static void install_seccomp(void) {
  struct sock_filter f[128];
  unsigned int n = 0;
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NETDIAG_AUDIT_ARCH, 1, 0);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  f[n++] = (struct sock_filter)LOAD_NR;
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1); /* x32 ABI */
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  for (unsigned int i = 0; i < DENIED_COUNT; i++) {
    f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DENIED[i], 0, 1);
    f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1 /* EPERM */);
  }
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 38 /* ENOSYS */);
  /* clone(flags, ...): no new namespaces (the first argument's low word holds them). */
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 3);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NS_FLAGS, 0, 1);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1);
  f[n++] = (struct sock_filter)LOAD_NR;
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_personality, 0, (unsigned char)(PERSONALITY_COUNT + 2));
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
  for (unsigned int i = 0; i < PERSONALITY_COUNT; i++)
    f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PERSONALITY_OK[i], (unsigned char)(PERSONALITY_COUNT - i), 0);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  struct sock_fprog prog = {(unsigned short)n, f};
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) die("prctl(PR_SET_SECCOMP)");
}
#else
static void install_seccomp(void) {
  errno = ENOSYS;
  die("seccomp filter (only built for x86_64)");
}
#endif

#endif
