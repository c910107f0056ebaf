/*
 * latency_proxy - a plain HTTP/1.1 forwarder that answers every request a
 * fixed delay after it has arrived, to stand for S3's round trip in front
 * of s3rver on loopback:
 *
 *     latency_proxy LISTEN_PORT UPSTREAM_PORT [DELAY_MS=50] [replay]
 *
 * Each client connection has a thread of its own and, when it needs one, a
 * connection of its own to 127.0.0.1:UPSTREAM_PORT. A request is read
 * whole; at its arrival + DELAY_MS it goes upstream as it came (the Host
 * header is kept, so SigV4 signatures stay valid) and the answer is passed
 * back whole, with a Content-Length.
 *
 * With "replay", a GET whose target was answered 200 before is answered
 * again from memory at its arrival + DELAY_MS, without asking s3rver: a
 * warm-up listing records s3rver's pages, and the listings after it then
 * cost the delay and the client's work only, as on S3, where the server's
 * time per page is small beside the round trip.
 *
 * It is C, not Python, because S3's latency does not depend on how many
 * requests are in flight: threads sharing an interpreter lock answered a
 * round of 8 requests due together over several milliseconds
 * (docs/performance.md, "Prefix-parallel listing").
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct bytes {
    char *data;
    size_t len, cap;
} bytes;

typedef struct recorded {
    struct recorded *next;
    char *target;
    bytes answer; /* the whole response, head and body */
} recorded;

static int upstream_port;
static long delay_ns;
static int replay;
static recorded *records;
static pthread_mutex_t records_lock = PTHREAD_MUTEX_INITIALIZER;

static void bytes_add(bytes *b, const void *data, size_t len)
{
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + len + 1)
            cap *= 2;
        b->data = realloc(b->data, cap);
        if (!b->data) {
            perror("latency_proxy");
            abort();
        }
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

static void bytes_drop(bytes *b, size_t n)
{
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
    b->data[b->len] = '\0';
}

/* Reads more of fd into b; 0 at end of stream or on an error. */
static int read_more(int fd, bytes *b)
{
    char chunk[65536];
    ssize_t n;
    do
        n = read(fd, chunk, sizeof chunk);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return 0;
    bytes_add(b, chunk, (size_t)n);
    return 1;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Length of the head (up to and with its blank line) once b holds it. */
static size_t head_length(int fd, bytes *b)
{
    char *end;
    while (!b->data || !(end = strstr(b->data, "\r\n\r\n")))
        if (!read_more(fd, b))
            return 0;
    return (size_t)(end + 4 - b->data);
}

/* The value of header name in head, or NULL; *len is its length. */
static const char *header_value(const char *head, size_t head_len,
                                const char *name, size_t *len)
{
    size_t name_len = strlen(name);
    const char *line = strstr(head, "\r\n");
    const char *end = head + head_len;
    while (line && line + 2 < end) {
        line += 2;
        if (strncasecmp(line, name, name_len) == 0 && line[name_len] == ':') {
            const char *v = line + name_len + 1;
            while (*v == ' ')
                v++;
            *len = (size_t)(strstr(v, "\r\n") - v);
            return v;
        }
        line = strstr(line, "\r\n");
    }
    return NULL;
}

static int header_is(const char *head, size_t head_len, const char *name,
                     const char *value)
{
    size_t len;
    const char *v = header_value(head, head_len, name, &len);
    return v && len == strlen(value) && strncasecmp(v, value, len) == 0;
}

static long content_length(const char *head, size_t head_len)
{
    size_t len;
    const char *v = header_value(head, head_len, "Content-Length", &len);
    return v ? strtol(v, NULL, 10) : -1;
}

/* Makes sure b holds n bytes. */
static int read_at_least(int fd, bytes *b, size_t n)
{
    while (b->len < n)
        if (!read_more(fd, b))
            return -1;
    return 0;
}

/* Decodes the chunked body at the start of in into out. */
static int read_chunked(int fd, bytes *in, bytes *out)
{
    for (;;) {
        char *eol;
        while (!(eol = strstr(in->data, "\r\n")))
            if (!read_more(fd, in))
                return -1;
        size_t size = strtoul(in->data, NULL, 16);
        size_t line = (size_t)(eol + 2 - in->data);
        if (read_at_least(fd, in, line + size + 2) != 0)
            return -1;
        bytes_add(out, in->data + line, size);
        bytes_drop(in, line + size + 2);
        if (size == 0)
            return 0; /* no trailers from s3rver */
    }
}

static int connect_upstream(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)upstream_port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads the body of an answer whose head (head_len bytes) is in in into
 * body; 1 if the upstream connection ended with it. */
static int read_body(int up, bytes *in, size_t head_len, int is_head,
                     bytes *body)
{
    int status = atoi(in->data + 9);
    long length = content_length(in->data, head_len);
    int chunked = header_is(in->data, head_len, "Transfer-Encoding", "chunked");
    bytes_drop(in, head_len);
    if (is_head || status == 204 || status == 304 || status < 200)
        return 0;
    if (chunked)
        return read_chunked(up, in, body) == 0 ? 0 : -1;
    if (length >= 0) {
        if (read_at_least(up, in, (size_t)length) != 0)
            return -1;
        bytes_add(body, in->data, (size_t)length);
        return 0;
    }
    while (read_more(up, in))
        ;
    bytes_add(body, in->data ? in->data : "", in->len);
    return 1;
}

/* The client's answer: head (without the headers that describe the
 * transfer, which are set again), then body. */
static void compose_answer(const char *head, long head_length, int is_head,
                           const bytes *body, bytes *answer)
{
    const char *line = head, *eol;
    while ((eol = strstr(line, "\r\n")) && eol != line) {
        size_t n = (size_t)(eol - line);
        if (line == head || (strncasecmp(line, "Content-Length:", 15) != 0 &&
                             strncasecmp(line, "Connection:", 11) != 0 &&
                             strncasecmp(line, "Transfer-Encoding:", 18) != 0))
            bytes_add(answer, line, n + 2);
        line = eol + 2;
    }
    char cl[64];
    snprintf(cl, sizeof cl, "Content-Length: %zu\r\n\r\n",
             is_head && head_length >= 0 ? (size_t)head_length : body->len);
    bytes_add(answer, cl, strlen(cl));
    if (!is_head)
        bytes_add(answer, body->data ? body->data : "", body->len);
}

/* Sends the request (req_len bytes of req) upstream over *up, opened if
 * need be, and builds the client's answer in answer. */
static int forward(int *up, const char *req, size_t req_len, int is_head,
                   bytes *answer)
{
    if (*up < 0 && (*up = connect_upstream()) < 0)
        return -1;
    bytes in = {0}, body = {0};
    int rc = -1;
    size_t head_len;
    if (write_all(*up, req, req_len) == 0 &&
        (head_len = head_length(*up, &in)) > 0) {
        char *head = strndup(in.data, head_len);
        long length = content_length(head, head_len);
        rc = read_body(*up, &in, head_len, is_head, &body);
        if (rc >= 0)
            compose_answer(head, length, is_head, &body, answer);
        free(head);
    }
    free(in.data);
    free(body.data);
    if (rc != 0) { /* an error, or the upstream closed after this answer */
        close(*up);
        *up = -1;
    }
    return rc < 0 ? -1 : 0;
}

static const recorded *find_record(const char *target)
{
    pthread_mutex_lock(&records_lock);
    const recorded *r = records;
    while (r && strcmp(r->target, target) != 0)
        r = r->next;
    pthread_mutex_unlock(&records_lock);
    return r;
}

static void record(const char *target, const bytes *answer)
{
    recorded *r = calloc(1, sizeof *r);
    r->target = strdup(target);
    bytes_add(&r->answer, answer->data, answer->len);
    pthread_mutex_lock(&records_lock);
    r->next = records;
    records = r;
    pthread_mutex_unlock(&records_lock);
}

static void wait_until(const struct timespec *due)
{
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, due, NULL) == EINTR)
        ;
}

static void add_delay(struct timespec *t)
{
    t->tv_nsec += delay_ns;
    t->tv_sec += t->tv_nsec / 1000000000L;
    t->tv_nsec %= 1000000000L;
}

/* One request read from the client in in, answered; -1 to close. */
static int serve_one(int client, int *up, bytes *in)
{
    size_t head_len = head_length(client, in);
    if (head_len == 0)
        return -1;
    long length = content_length(in->data, head_len);
    size_t req_len = head_len + (size_t)(length > 0 ? length : 0);
    if (read_at_least(client, in, req_len) != 0)
        return -1;
    struct timespec due;
    clock_gettime(CLOCK_MONOTONIC, &due);
    add_delay(&due);

    char method[16], target[8192];
    if (sscanf(in->data, "%15s %8191s", method, target) != 2)
        return -1;
    int is_get = strcmp(method, "GET") == 0;
    int closing = header_is(in->data, head_len, "Connection", "close");
    const recorded *r = replay && is_get ? find_record(target) : NULL;
    bytes answer = {0};
    int rc = 0;
    wait_until(&due);
    if (r)
        rc = write_all(client, r->answer.data, r->answer.len);
    else {
        rc = forward(up, in->data, req_len, strcmp(method, "HEAD") == 0,
                     &answer);
        if (rc != 0) {
            static const char bad[] = "HTTP/1.1 502 Bad Gateway\r\n"
                                      "Content-Length: 0\r\n\r\n";
            bytes_add(&answer, bad, sizeof bad - 1);
            closing = 1;
        } else if (replay && is_get && strncmp(answer.data + 9, "200", 3) == 0)
            record(target, &answer);
        rc = write_all(client, answer.data, answer.len);
    }
    free(answer.data);
    bytes_drop(in, req_len);
    return rc != 0 || closing ? -1 : 0;
}

static void *serve_connection(void *arg)
{
    int client = (int)(intptr_t)arg, up = -1, one = 1;
    bytes in = {0};
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    while (serve_one(client, &up, &in) == 0)
        ;
    if (up >= 0)
        close(up);
    close(client);
    free(in.data);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: latency_proxy LISTEN_PORT UPSTREAM_PORT "
                        "[DELAY_MS=50] [replay]\n");
        return 64;
    }
    upstream_port = atoi(argv[2]);
    delay_ns = (argc > 3 ? atol(argv[3]) : 50) * 1000000L;
    replay = argc > 4 && strcmp(argv[4], "replay") == 0;
    signal(SIGPIPE, SIG_IGN);

    int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)atoi(argv[1])),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 128)) {
        perror("latency_proxy: listen");
        return 1;
    }
    for (;;) {
        int client = accept(fd, NULL, NULL);
        if (client < 0)
            continue;
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &attr, serve_connection,
                           (void *)(intptr_t)client) != 0)
            close(client);
        pthread_attr_destroy(&attr);
    }
}
