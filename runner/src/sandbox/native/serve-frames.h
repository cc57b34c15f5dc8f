/*
 * The spawn server's wire format (serve.h; docs/design.md, "The resident spawn server"). Both directions
 * are frames on a pipe between the runner and the server it started, in host byte order (same machine):
 *
 *   u32 length of what follows | u8 type | u32 job id (chosen by the runner) | payload
 *
 * Requests (runner → server, stdin):  'S' spawn: the one-shot helper's argv without argv[0], each NUL-terminated;
 *                                     'W' warm: the same ending at FILE; the job waits, hardened, for its arguments;
 *                                     'A' arguments of warm job id: the strings after FILE, each NUL-terminated;
 *                                     'K' kill:  u8 group (0 the job's pid, 1 its process group) | u8 signal.
 * Events (server → runner, stdout):   'R' ready (id 0) | 'P' spawned (or warm): i32 pid | 'F' failed: i32 errno |
 *                                     'O' output: u8 stream (1 stdout, 2 stderr) | bytes | 'E' end of stream: u8 stream |
 *                                     'X' exit: i32 wait status, once: the job's, from its first process once it
 *                                     reaped the job (early-status.h), else that process's own once it was reaped.
 * Included by serve.h.
 */
#ifndef NETDIAG_SERVE_FRAMES_H
#define NETDIAG_SERVE_FRAMES_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define FRAME_HEAD 9               /* length, type, id */
#define MAX_REQUEST (64 * 1024)    /* a spawn request is an argv: far below this; anything longer is a broken runner */
#define MAX_CHUNK (64 * 1024)      /* one read of a job's pipe, relayed as one 'O' frame */
#define MAX_ARGS 1024

/* Blocking write of everything (docs/design.md: the runner reads continuously; a slow runner slows the jobs' pipes
   down, nothing is buffered here). The runner gone (EPIPE): nothing left to serve for. */
static void write_all(const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(STDOUT_FILENO, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(HELPER_FAILED);
    p += n;
    len -= (size_t)n;
  }
}

static void send_frame(char type, uint32_t id, const void *payload, size_t len) {
  char head[FRAME_HEAD + 1];
  uint32_t total = (uint32_t)(len + 5);
  memcpy(head, &total, 4);
  head[4] = type;
  memcpy(head + 5, &id, 4);
  write_all(head, FRAME_HEAD);
  if (len > 0) write_all(payload, len);
}

static void send_int(char type, uint32_t id, int32_t value) { send_frame(type, id, &value, sizeof value); }

static void send_byte(char type, uint32_t id, char stream) { send_frame(type, id, &stream, 1); }

/* Splits a spawn payload into argv (argv[0] = "netdiag-sandbox", then the strings, NULL-terminated). 0 when malformed. */
static int split_argv(char *payload, size_t len, char **argv) {
  int argc = 0;
  argv[argc++] = "netdiag-sandbox";
  if (len == 0 || payload[len - 1] != '\0') return 0;
  for (size_t i = 0; i < len; i += strlen(payload + i) + 1) {
    if (argc >= MAX_ARGS - 1) return 0;
    argv[argc++] = payload + i;
  }
  argv[argc] = NULL;
  return argc;
}

#endif
