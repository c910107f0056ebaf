/*
 * fdio.h - a whole buffer through a file descriptor, again after EINTR
 * and short transfers: the fork servers' socket, the daemon's round pipe.
 */
#ifndef NBAQ_BASE_FDIO_H
#define NBAQ_BASE_FDIO_H

#include <stddef.h>

/* Writes all len bytes with write(2): 0, or -1 on an error (errno) or
 * when fd takes nothing more. */
int fdio_write_all(int fd, const void *data, size_t len);
/* The same with send(2) and MSG_NOSIGNAL, for a socket whose peer may be
 * gone: no SIGPIPE, -1 with EPIPE instead. */
int fdio_send_all(int fd, const void *data, size_t len);
/* Reads exactly len bytes: 0, or -1 on an error or at end of file. */
int fdio_read_all(int fd, void *data, size_t len);

#endif
