/*
 * Identity drop for one job (docs/security.md, "Sandbox"): an unprivileged uid/gid with no supplementary groups,
 * no capability at all or only CAP_NET_RAW (permitted, effective, inheritable and ambient, so it survives the exec
 * of a binary without file capabilities), the bounding set reduced to the same, and no_new_privs so no setuid or
 * file-capability binary can give anything back. Raw syscalls only (capset, prctl): no libcap, so the helper still
 * links statically. Included by netdiag-sandbox.c: the helper is one translation unit, built by one gcc call.
 */
#ifndef NETDIAG_HARDEN_IDENTITY_H
#define NETDIAG_HARDEN_IDENTITY_H

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

static void die(const char *what);

/* bench/sandbox-parts.c defines NETDIAG_MARK to time each step (docs/security.md "Sandbox"); in the helper: nothing. */
#ifndef NETDIAG_MARK
#define NETDIAG_MARK(step) ((void)0)
#endif

/* Every capability the kernel knows, except CAP_NET_RAW when the job may keep it. Needs CAP_SETPCAP: before setuid.
   One syscall per capability: dropping past the last one the kernel knows fails with EINVAL, which ends the loop
   (no PR_CAPBSET_READ first; each syscall counts, docs/security.md "Sandbox"). */
static void reduce_bounding_set(int keep_net_raw) {
  for (int cap = 0;; cap++) {
    if (keep_net_raw && cap == CAP_NET_RAW) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0) continue;
    if (errno == EINVAL && cap > CAP_NET_RAW) return;
    die("prctl(PR_CAPBSET_DROP)");
  }
}

static void set_capabilities(int keep_net_raw) {
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {{0, 0, 0}, {0, 0, 0}};
  if (keep_net_raw) {
    unsigned int bit = 1u << CAP_NET_RAW; /* CAP_NET_RAW is 13: in the first 32-bit word */
    data[0].effective = bit;
    data[0].permitted = bit;
    data[0].inheritable = bit;
  }
  if (syscall(SYS_capset, &header, data) != 0) die("capset");
  if (keep_net_raw) {
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0) != 0) die("prctl(PR_CAP_AMBIENT_RAISE)");
  } else if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) {
    die("prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
  }
}

/* Become uid:gid for good (real, effective and saved alike), keeping at most CAP_NET_RAW; then no_new_privs. */
static void drop_identity(uid_t uid, gid_t gid, int keep_net_raw) {
  reduce_bounding_set(keep_net_raw);
  NETDIAG_MARK("identity: bounding set");
  if (setgroups(0, NULL) != 0) die("setgroups");
  if (setresgid(gid, gid, gid) != 0) die("setresgid");
  /* KEEPCAPS keeps the permitted set across setuid so capset can keep CAP_NET_RAW; it is cleared again on exec. */
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) die("prctl(PR_SET_KEEPCAPS)");
  if (setresuid(uid, uid, uid) != 0) die("setresuid");
  NETDIAG_MARK("identity: groups, gid, keepcaps, uid");
  set_capabilities(keep_net_raw);
  NETDIAG_MARK("identity: capset + ambient");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("prctl(PR_SET_NO_NEW_PRIVS)");
}

#endif
