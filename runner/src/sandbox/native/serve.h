/*
 * netdiag-sandbox --serve --ppid PID: the resident spawn server (docs/design.md, "The resident spawn server";
 * docs/security.md, "Sandbox"). The runner starts it once; it forks each job on request, so the ~80 MB runner never
 * forks (its page tables made spawn() cost it ~6 ms per job) while this small static process forks in ~0.1 ms.
 *
 * Each job's first process is the one-shot helper itself: setsid, stdin /dev/null, stdout/stderr to two pipes of
 * ours, every other fd closed, default signal dispositions and an empty mask, our environment (the runner starts us
 * with exactly its SAFE_ENV, nothing else), then run_helper() on the argv the runner sent, whose --ppid is our pid.
 * One thread takes requests, SIGCHLD (signalfd) and the jobs' pipes in order, so a kill never reaches a reaped pid:
 * an exited job's group gets SIGKILL while its leader is still a zombie (nothing can reuse the id), then it is reaped.
 * A third pipe per job carries the job's wait status from its first process before it drops the job's mount namespace
 * (early-status.h): 'X' goes out then, once; at the reap when it never came (the helper failed, or was killed).
 * A warm job ('W', warm.h) is forked the same way with the helper's argv ending at FILE and a fourth pipe, its args
 * pipe; 'A' writes the job's arguments to it, once. A warm job not yet given its arguments is killed like any other job.
 * The runner gone (EOF on stdin, or the parent-death signal): every job's group is killed and we exit.
 * Frames: serve-frames.h. Included by netdiag-sandbox.c after run_helper().
 */
#ifndef NETDIAG_SERVE_H
#define NETDIAG_SERVE_H

#include <sys/signalfd.h>
#include <sys/syscall.h>
#include "serve-frames.h"

#define MAX_JOBS 256

struct served_job {
  uint32_t id;
  pid_t pid;  /* 0 once reaped */
  int fd[3];  /* read ends of its stdout, stderr and status pipe; -1 once at end of stream */
  int told;   /* its 'X' went out */
  int args;   /* a warm job's args pipe (write end) until 'A' used it; -1 otherwise */
};
static struct served_job jobs[MAX_JOBS];
static int job_count;

/* In the forked child: become the job's first process, then run the one-shot helper on its argv. Never returns. */
static void become_job(int out, int err, int status, int args, int argc, char **argv) {
  if (setsid() < 0) die("setsid");
  int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) die("dup2");
  /* The status pipe as fd 3, close-on-exec: the job's first process keeps it, the job never has it. */
  if ((status == 3 ? fcntl(3, F_SETFD, FD_CLOEXEC) : dup3(status, 3, O_CLOEXEC)) < 0) die("dup3");
  report_fd = 3;
  /* A warm job's args pipe as fd 4 (ARGS_FD), close-on-exec too: read before the exec (warm.h), never the job's. */
  if (args >= 0 && (args == ARGS_FD ? fcntl(ARGS_FD, F_SETFD, FD_CLOEXEC) : dup3(args, ARGS_FD, O_CLOEXEC)) < 0) die("dup3");
  if (args >= 0) args_fd = ARGS_FD;
  /* Nothing of ours (stdin/stdout of the server, other jobs' pipes, the signalfd) reaches a job. */
  unsigned int first = args >= 0 ? ARGS_FD + 1 : ARGS_FD;
  if (syscall(SYS_close_range, first, ~0U, 0U) != 0)
    for (int fd = (int)first; fd < 65536; fd++) close(fd);
  for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL); /* fails harmlessly for SIGKILL, SIGSTOP, 32, 33 */
  sigset_t none;
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, NULL) != 0) die("sigprocmask");
  _exit(run_helper(argc, argv));
}

static struct served_job *find_job(uint32_t id) {
  for (int i = 0; i < job_count; i++)
    if (jobs[i].id == id) return &jobs[i];
  return NULL;
}

/* 'S' (warm = 0) or 'W' (warm = 1: a fourth pipe, the job's args pipe; the server keeps its write end, non-blocking). */
static void spawn_job(uint32_t id, char *payload, size_t len, int warm) {
  char *argv[MAX_ARGS];
  int argc = split_argv(payload, len, argv);
  int p[4][2] = {{-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}}; /* stdout, stderr, status, args */
  if (argc == 0 || job_count >= MAX_JOBS) return send_int('F', id, argc == 0 ? EINVAL : EAGAIN);
  pid_t pid = -1;
  if (pipe2(p[0], O_CLOEXEC) == 0 && pipe2(p[1], O_CLOEXEC) == 0 && pipe2(p[2], O_CLOEXEC) == 0 &&
      (!warm || pipe2(p[3], O_CLOEXEC | O_NONBLOCK) == 0))
    pid = fork();
  if (pid == 0) become_job(p[0][1], p[1][1], p[2][1], p[3][0], argc, argv);
  int e = errno;
  for (int i = 0; i < 4; i++) /* ours: the read ends of the first three, the write end of the args pipe */
    for (int end = 0; end < 2; end++)
      if (p[i][end] >= 0 && (pid < 0 || end == (i == 3 ? 0 : 1))) close(p[i][end]);
  if (pid < 0) return send_int('F', id, e);
  jobs[job_count++] = (struct served_job){id, pid, {p[0][0], p[1][0], p[2][0]}, 0, p[3][1]};
  send_int('P', id, pid);
}

/* 'A': a warm job's arguments, once, as u32 length | the strings (warm.h). Not there any more (it died, or 'A' came
   before): ESRCH, and the runner fails that job. The pipe is empty and the payload below its size: one write. */
static void give_args(uint32_t id, const char *payload, size_t len) {
  struct served_job *j = find_job(id);
  if (j == NULL || j->pid == 0 || j->args < 0) return send_int('F', id, ESRCH);
  static char buf[4 + MAX_REQUEST];
  uint32_t n = (uint32_t)len;
  memcpy(buf, &n, 4);
  memcpy(buf + 4, payload, len);
  ssize_t wrote = write(j->args, buf, 4 + len);
  int e = wrote < 0 ? errno : EMSGSIZE;
  close(j->args);
  j->args = -1;
  if (wrote != (ssize_t)(4 + len)) send_int('F', id, e);
}

/* Only the signals the runner's JobKiller sends (job-killer.ts), only while the pid is ours and unreaped. */
static void kill_job(uint32_t id, const unsigned char *payload, size_t len) {
  struct served_job *j = find_job(id);
  if (len != 2 || j == NULL || j->pid == 0) return;
  int sig = payload[1];
  if (sig != SIGTERM && sig != SIGKILL && sig != SIGUSR1) return;
  kill(payload[0] ? -j->pid : j->pid, sig);
}

static void forget_finished(void) {
  for (int i = 0; i < job_count;)
    if (jobs[i].pid == 0 && jobs[i].fd[0] < 0 && jobs[i].fd[1] < 0 && jobs[i].fd[2] < 0) jobs[i] = jobs[--job_count];
    else i++;
}

static void reap_jobs(int sigfd) {
  struct signalfd_siginfo info;
  while (read(sigfd, &info, sizeof info) == (ssize_t)sizeof info) {
  }
  for (;;) {
    siginfo_t si;
    si.si_pid = 0;
    if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) != 0 || si.si_pid == 0) return;
    kill(-si.si_pid, SIGKILL); /* what it left in its group; the zombie leader keeps the group id ours */
    int status = 0;
    if (waitpid(si.si_pid, &status, 0) != si.si_pid) die("waitpid");
    for (int i = 0; i < job_count; i++)
      if (jobs[i].pid == si.si_pid) {
        jobs[i].pid = 0;
        if (jobs[i].args >= 0) close(jobs[i].args);
        jobs[i].args = -1;
        if (!jobs[i].told) send_int('X', jobs[i].id, status);
        jobs[i].told = 1;
      }
  }
}

/* The job's wait status from its first process, which is still ours and unreaped (reap_jobs then sends nothing more). */
static void take_status(struct served_job *j) {
  int32_t status = 0;
  ssize_t n = read(j->fd[2], &status, sizeof status);
  if (n < 0 && errno == EINTR) return;
  close(j->fd[2]);
  j->fd[2] = -1;
  if (n == (ssize_t)sizeof status && !j->told++) send_int('X', j->id, status);
}

static void relay_output(struct served_job *j, int stream) {
  static char buf[MAX_CHUNK + 1];
  if (stream == 2) return take_status(j);
  ssize_t n = read(j->fd[stream], buf + 1, MAX_CHUNK);
  if (n < 0 && errno == EINTR) return;
  buf[0] = (char)(stream + 1);
  if (n > 0) return send_frame('O', j->id, buf, (size_t)n + 1);
  close(j->fd[stream]);
  j->fd[stream] = -1;
  send_byte('E', j->id, (char)(stream + 1));
}

/* Complete frames from the start of `buf`; returns how many bytes they took. A malformed frame ends the server. */
static size_t take_requests(char *buf, size_t have) {
  size_t used = 0;
  while (have - used >= FRAME_HEAD) {
    uint32_t len, id;
    memcpy(&len, buf + used, 4);
    memcpy(&id, buf + used + 5, 4);
    if (len < 5 || len > MAX_REQUEST) _exit(HELPER_FAILED);
    if (have - used < 4 + (size_t)len) break;
    char type = buf[used + 4];
    char *payload = buf + used + FRAME_HEAD;
    size_t plen = len - 5;
    if (type == 'S' || type == 'W') spawn_job(id, payload, plen, type == 'W');
    else if (type == 'A') give_args(id, payload, plen);
    else if (type == 'K') kill_job(id, (unsigned char *)payload, plen);
    else _exit(HELPER_FAILED);
    used += 4 + len;
  }
  return used;
}

static int serve(int argc, char **argv) {
  char *end = NULL;
  if (argc != 4 || strcmp(argv[2], "--ppid") != 0) usage();
  unsigned long long ppid = strtoull(argv[3], &end, 10);
  if (*end != '\0' || ppid == 0) usage();
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die("prctl(PR_SET_PDEATHSIG)");
  if ((unsigned long long)getppid() != ppid) _exit(HELPER_FAILED); /* the runner is already gone */
  signal(SIGPIPE, SIG_IGN);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  if (sigprocmask(SIG_BLOCK, &chld, NULL) != 0) die("sigprocmask");
  int sigfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sigfd < 0) die("signalfd");
  static char req[2 * MAX_REQUEST];
  size_t have = 0;
  send_frame('R', 0, NULL, 0);
  for (;;) {
    struct pollfd p[2 + 3 * MAX_JOBS];
    p[0] = (struct pollfd){STDIN_FILENO, POLLIN, 0};
    p[1] = (struct pollfd){sigfd, POLLIN, 0};
    for (int i = 0; i < job_count; i++)
      for (int s = 0; s < 3; s++) p[2 + 3 * i + s] = (struct pollfd){jobs[i].fd[s], POLLIN, 0}; /* -1: ignored */
    int count = job_count;
    if (poll(p, (nfds_t)(2 + 3 * count), -1) < 0) {
      if (errno == EINTR) continue;
      die("poll");
    }
    if (p[1].revents) reap_jobs(sigfd);
    for (int i = 0; i < count; i++)
      for (int s = 0; s < 3; s++)
        if (p[2 + 3 * i + s].revents) relay_output(&jobs[i], s);
    if (p[0].revents) {
      ssize_t n = read(STDIN_FILENO, req + have, sizeof req - have);
      if (n == 0 || (n < 0 && errno != EINTR)) break; /* the runner is gone */
      have += n > 0 ? (size_t)n : 0;
      size_t used = take_requests(req, have);
      memmove(req, req + used, have - used);
      have -= used;
    }
    forget_finished();
  }
  for (int i = 0; i < job_count; i++)
    if (jobs[i].pid != 0) kill(-jobs[i].pid, SIGKILL);
  return 0;
}

#endif
