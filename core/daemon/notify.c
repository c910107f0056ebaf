#include "notify.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static struct sockaddr_un target;
static socklen_t target_len;

void notify_init(void)
{
    const char *path = getenv("NOTIFY_SOCKET");
    target_len = 0;
    if (!path || (path[0] != '/' && path[0] != '@') ||
        strlen(path) >= sizeof target.sun_path) {
        unsetenv("NOTIFY_SOCKET");
        return;
    }
    memset(&target, 0, sizeof target);
    target.sun_family = AF_UNIX;
    size_t len = strlen(path);
    memcpy(target.sun_path, path, len);
    if (path[0] == '@') /* an abstract socket */
        target.sun_path[0] = '\0';
    target_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
    unsetenv("NOTIFY_SOCKET");
}

void notify_send(const char *state)
{
    if (target_len == 0)
        return;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    sendto(fd, state, strlen(state), MSG_NOSIGNAL,
           (const struct sockaddr *)&target, target_len);
    close(fd);
}
