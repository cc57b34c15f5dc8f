/*
 * The cost of joining a cgroup the way the helper does (runner/src/sandbox/native/harden-cgroup.h): a fresh process
 * writes "0" to DIR/cgroup.procs or to DIR/tasks, the two alternating, GAP_US apart, timed around open + write in the
 * process itself. cgroup.procs takes the kernel's global threadgroup lock for writing, which after about one RCU grace
 * period without a writer first waits for a grace period; tasks (cgroup v1 only) does not take it. Prints one line per
 * write: "file<TAB>gap µs<TAB>wall µs". No network. Run by bench/cgroup-join.ts.
 *   cgroup-join DIR RUNS GAP_US...
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* A fresh child joins through DIR/FILE; its own clock, sent back on a pipe. -1 when the write failed. */
static double join_once(const char *dir, const char *file) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  int p[2];
  if (pipe(p) != 0) return -1;
  pid_t child = fork();
  if (child == 0) {
    double t0 = now_us();
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    double d = fd >= 0 && write(fd, "0", 1) == 1 ? now_us() - t0 : -1;
    if (write(p[1], &d, sizeof d) != (ssize_t)sizeof d) _exit(1);
    _exit(0);
  }
  double d = -1;
  if (child < 0 || read(p[0], &d, sizeof d) != (ssize_t)sizeof d) d = -1;
  if (child > 0) waitpid(child, NULL, 0);
  close(p[0]);
  close(p[1]);
  return d;
}

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  int runs = atoi(argv[2]);
  for (int g = 3; g < argc; g++) {
    int gap = atoi(argv[g]);
    for (int i = 0; i < runs; i++) {
      static const char *const files[] = {"cgroup.procs", "tasks"};
      for (int f = 0; f < 2; f++) {
        usleep((useconds_t)gap);
        printf("%s\t%d\t%.1f\n", files[f], gap, join_once(argv[1], files[f]));
      }
    }
  }
  return 0;
}
