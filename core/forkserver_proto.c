#include "forkserver_proto.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static ssize_t send_some(int fd, void *data, size_t len)
{
    return send(fd, data, len, MSG_NOSIGNAL);
}

static ssize_t read_some(int fd, void *data, size_t len)
{
    return read(fd, data, len);
}

/* Calls io until len bytes went through; -1 on error or end of file. */
static int transfer_all(ssize_t (*io)(int, void *, size_t), int fd, char *p,
                        size_t len)
{
    while (len > 0) {
        ssize_t n = io(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int forkserver_write_all(int fd, const void *data, size_t len)
{
    return transfer_all(send_some, fd, (char *)data, len);
}

int forkserver_read_all(int fd, void *data, size_t len)
{
    return transfer_all(read_some, fd, data, len);
}

typedef union fd_control {
    struct cmsghdr align;
    char buf[CMSG_SPACE(FORKSERVER_FDS_MAX * sizeof(int))];
} fd_control;

int forkserver_send_header(int fd, const forkserver_header *h, const int *fds,
                           size_t nfds)
{
    fd_control control;
    memset(&control, 0, sizeof control);
    struct iovec iov = {.iov_base = (void *)h, .iov_len = sizeof *h};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    if (nfds > FORKSERVER_FDS_MAX)
        return -1;
    if (nfds > 0) {
        msg.msg_control = control.buf;
        msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
        memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
    }
    ssize_t n;
    while ((n = sendmsg(fd, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR)
        ;
    if (n < 0)
        return -1;
    return forkserver_write_all(fd, (const char *)h + n, sizeof *h - (size_t)n);
}

int forkserver_receive_header(int fd, forkserver_header *h,
                              int fds[FORKSERVER_FDS_MAX])
{
    fd_control control;
    struct iovec iov = {.iov_base = h, .iov_len = sizeof *h};
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = control.buf,
                         .msg_controllen = sizeof control.buf};
    for (int i = 0; i < FORKSERVER_FDS_MAX; i++)
        fds[i] = -1;
    ssize_t n;
    while ((n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
        ;
    if (n <= 0)
        return -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        if (count > FORKSERVER_FDS_MAX)
            count = FORKSERVER_FDS_MAX;
        memcpy(fds, CMSG_DATA(c), count * sizeof(int));
    }
    return forkserver_read_all(fd, (char *)h + n, sizeof *h - (size_t)n);
}
