#include "fdio.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

static ssize_t write_some(int fd, void *data, size_t len)
{
    return write(fd, data, len);
}

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

int fdio_write_all(int fd, const void *data, size_t len)
{
    return transfer_all(write_some, fd, (char *)data, len);
}

int fdio_send_all(int fd, const void *data, size_t len)
{
    return transfer_all(send_some, fd, (char *)data, len);
}

int fdio_read_all(int fd, void *data, size_t len)
{
    return transfer_all(read_some, fd, data, len);
}
