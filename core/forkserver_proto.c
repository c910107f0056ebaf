#include "forkserver_proto.h"

#include "fdio.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

typedef union fd_control {
    struct cmsghdr align;
    char buf[CMSG_SPACE(FORKSERVER_FDS_MAX * sizeof(int))];
} fd_control;

#define BODY_PARTS_MAX 4

static void attach_fds(struct msghdr *msg, fd_control *control, const int *fds,
                       size_t nfds)
{
    memset(control, 0, sizeof *control);
    if (nfds == 0)
        return;
    msg->msg_control = control->buf;
    msg->msg_controllen = CMSG_SPACE(nfds * sizeof(int));
    struct cmsghdr *c = CMSG_FIRSTHDR(msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
    memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
}

int forkserver_send_message(int fd, uint32_t type, const struct iovec *body,
                            size_t parts, const int *fds, size_t nfds)
{
    if (nfds > FORKSERVER_FDS_MAX || parts > BODY_PARTS_MAX)
        return -1;
    forkserver_header h = {.type = type, .len = 0};
    struct iovec iov[1 + BODY_PARTS_MAX] = {{&h, sizeof h}};
    for (size_t i = 0; i < parts; i++) {
        iov[1 + i] = body[i];
        h.len += (uint32_t)body[i].iov_len;
    }
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 1 + parts};
    fd_control control;
    attach_fds(&msg, &control, fds, nfds);
    ssize_t n;
    while ((n = sendmsg(fd, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR)
        ;
    if (n < 0)
        return -1;
    /* The rest of what the socket did not take at once. */
    size_t sent = (size_t)n;
    for (size_t i = 0; i < 1 + parts; i++) {
        size_t skip = sent < iov[i].iov_len ? sent : iov[i].iov_len;
        sent -= skip;
        if (fdio_send_all(fd, (const char *)iov[i].iov_base + skip,
                                 iov[i].iov_len - skip) != 0)
            return -1;
    }
    return 0;
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
    return fdio_read_all(fd, (char *)h + n, sizeof *h - (size_t)n);
}
