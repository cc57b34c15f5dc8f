/*
 * The job's seccomp filter: a hand-written classic-BPF deny-list (no libseccomp, so the helper links statically).
 * Every entry and why it is there is listed in docs/security.md, "Sandbox". A denied call fails with EPERM (the
 * tool reports an error instead of dying unexplained); clone3 fails with ENOSYS so libc falls back to clone, whose
 * flags a filter can read (clone3 passes them in memory). Any other architecture or the x32 ABI is killed outright:
 * syscall numbers differ there and a deny-list for x86_64 would not hold.
 *
 * Shape (cost, docs/security.md "Sandbox"): the syscall number is found by a binary search over the sorted special
 * numbers (4 comparisons, then at most LEAF equality tests) instead of one test per entry. An allowed call walks at
 * most 17 instructions instead of 64 (test/fixtures/seccomp-check.c measures it); the kernel also walks the filter
 * once per syscall number when it is attached, to fill its allow cache (kernel/seccomp.c, seccomp_cache_prepare).
 * Most of the attach cost is fixed, whatever its shape: allocating the program (vmalloc) and the JIT copying it into
 * executable memory (text_poke), about half each (perf; a one-instruction filter costs as much).
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

/* bench/sandbox-parts.c defines NETDIAG_MARK to time each step (docs/security.md "Sandbox"); in the helper: nothing. */
#ifndef NETDIAG_MARK
#define NETDIAG_MARK(step) ((void)0)
#endif

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

/* What a special syscall number leads to: the blocks at the end of the program, in this order. */
enum seccomp_action { ACT_EPERM, ACT_ENOSYS, ACT_CLONE, ACT_PERSONALITY, ACT_COUNT };
struct special {
  unsigned int nr;
  enum seccomp_action act;
};
#define SPECIAL_MAX (DENIED_COUNT + 3)
#define LEAF 4 /* equality tests per leaf of the search tree */
#define FILTER_MAX 256

struct filter {
  struct sock_filter f[FILTER_MAX];
  unsigned int n;
  unsigned int fixup[SPECIAL_MAX]; /* leaf tests whose jt is patched once the action blocks are placed */
  enum seccomp_action fixup_act[SPECIAL_MAX];
  unsigned int fixups;
};

static void emit(struct filter *p, struct sock_filter s) {
  if (p->n >= FILTER_MAX) die("seccomp filter too long");
  p->f[p->n++] = s;
}

/* Sorted specials [lo, hi): a JGE split (left half follows, right half after it) down to leaves of LEAF tests. */
static void emit_tree(struct filter *p, const struct special *s, unsigned int lo, unsigned int hi) {
  if (hi - lo <= LEAF) {
    for (unsigned int i = lo; i < hi; i++) {
      p->fixup[p->fixups] = p->n;
      p->fixup_act[p->fixups++] = s[i].act;
      emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, s[i].nr, 0, 0));
    }
    emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)); /* not special: allowed */
    return;
  }
  unsigned int mid = lo + (hi - lo) / 2;
  unsigned int split = p->n;
  emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, s[mid].nr, 0, 0));
  emit_tree(p, s, lo, mid);
  unsigned int right = p->n - split - 1;
  if (right > 255) die("seccomp filter: jump too long");
  p->f[split].jt = (unsigned char)right;
  emit_tree(p, s, mid, hi);
}

static unsigned int collect_specials(struct special *s) {
  unsigned int n = 0;
  for (unsigned int i = 0; i < DENIED_COUNT; i++) s[n++] = (struct special){DENIED[i], ACT_EPERM};
  s[n++] = (struct special){SYS_clone3, ACT_ENOSYS};
  s[n++] = (struct special){SYS_clone, ACT_CLONE};
  s[n++] = (struct special){SYS_personality, ACT_PERSONALITY};
  for (unsigned int i = 1; i < n; i++) /* insertion sort: 52 entries, once per job */
    for (unsigned int j = i; j > 0 && s[j - 1].nr > s[j].nr; j--) {
      struct special t = s[j];
      s[j] = s[j - 1];
      s[j - 1] = t;
    }
  return n;
}

static void install_seccomp(void) {
  /* On the stack, not static: the steps before this one (cgroup, filesystem, exec) took the job's fresh stack deeper
     already, so these pages are there, while a static buffer is one more fresh page: a page fault, dear on a virtual
     machine (bench/sandbox-parts.c: building the program 23 → 7 µs). */
  struct filter p;
  struct special specials[SPECIAL_MAX];
  unsigned int count = collect_specials(specials);
  p.n = p.fixups = 0;
  emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
  emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NETDIAG_AUDIT_ARCH, 1, 0));
  emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
  emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
  emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1)); /* x32 ABI */
  emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
  emit_tree(&p, specials, 0, count);
  unsigned int at[ACT_COUNT];
  at[ACT_EPERM] = p.n;
  emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1 /* EPERM */));
  at[ACT_ENOSYS] = p.n;
  emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 38 /* ENOSYS */));
  /* clone(flags, ...): no new namespaces (the first argument's low word holds them). */
  at[ACT_CLONE] = p.n;
  emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])));
  emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NS_FLAGS, 0, 1));
  emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1));
  emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  at[ACT_PERSONALITY] = p.n;
  emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])));
  for (unsigned int i = 0; i < PERSONALITY_COUNT; i++)
    emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PERSONALITY_OK[i], (unsigned char)(PERSONALITY_COUNT - i), 0));
  emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1));
  emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  for (unsigned int i = 0; i < p.fixups; i++) {
    unsigned int jump = at[p.fixup_act[i]] - p.fixup[i] - 1;
    if (jump > 255) die("seccomp filter: jump too long");
    p.f[p.fixup[i]].jt = (unsigned char)jump;
  }
  struct sock_fprog prog = {(unsigned short)p.n, p.f};
  NETDIAG_MARK("seccomp: build the program");
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) die("prctl(PR_SET_SECCOMP)");
}
#else
static void install_seccomp(void) {
  errno = ENOSYS;
  die("seccomp filter (only built for x86_64)");
}
#endif

#endif
