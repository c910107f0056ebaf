/*
 * forkserver_proto.h - what the host and a fork server (forkserver.h)
 * say to each other over their socket (SOCK_STREAM, one request at a
 * time): a header, with descriptors attached (SCM_RIGHTS), then `len`
 * bytes; the answer is one reply. The first message is LOAD, read by the
 * server; every later one is read by the server's spare (a copy made
 * ahead of the request), which answers it.
 *
 *   LOAD   no fds, no reply. Body: (plugin name, plugin path) pairs; the
 *          server opens them before it makes its first spare.
 *   SPAWN  fds: record pipe (write end), stdout, stderr. Body (wire.h):
 *          plugin name, plugin path, cgroup cell (NULL: none), deadline
 *          (clock_mono_ms), then the check (check_wire.h). The spare
 *          becomes the check's process. Reply: its pid.
 *   CLONE  fds: a socket. The spare becomes a server for it, in a
 *          process group of its own. Reply:
 *          the new server's pid (the spare's own).
 */
#ifndef NBAQ_CORE_FORKSERVER_PROTO_H
#define NBAQ_CORE_FORKSERVER_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#define FORKSERVER_REQUEST_MAX                                                 \
    (256u * 1024 * 1024) /* a bound, not a budget                              \
                          */
#define FORKSERVER_FDS_MAX 3

enum { FORKSERVER_SPAWN = 1, FORKSERVER_CLONE = 2, FORKSERVER_LOAD = 3 };

typedef struct forkserver_header {
    uint32_t type;
    uint32_t len; /* body bytes after the header */
} forkserver_header;

typedef struct forkserver_reply {
    int32_t pid;   /* > 0: the child's (or the new server's)            */
    int32_t error; /* errno when pid <= 0                               */
} forkserver_reply;

/* A message of `type` whose body is the `parts` pieces of body, with nfds
 * (<= FORKSERVER_FDS_MAX) descriptors attached: header and body in one
 * sendmsg() when the socket takes it all. */
int forkserver_send_message(int fd, uint32_t type, const struct iovec *body,
                            size_t parts, const int *fds, size_t nfds);
/* A header and the descriptors that came with it (close-on-exec; the
 * missing ones are -1). -1 at end of file or on error. */
int forkserver_receive_header(int fd, forkserver_header *h,
                              int fds[FORKSERVER_FDS_MAX]);

#endif
