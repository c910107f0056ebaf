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

#include "fdio.h"
#include "textbuf.h"

typedef struct recorded {
    struct recorded *next;
    char *target;
    textbuf answer; /* the whole response, head and body */
} recorded;

static int upstream_port;
static long delay_ns;
static int replay;
static recorded *records;
static pthread_mutex_t records_lock = PTHREAD_MUTEX_INITIALIZER;

/* Drops the first n bytes of b (a request or a chunk dealt with). */
static void drop_front(textbuf *b, size_t n)
{
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
    b->data[b->len] = '\0';
}

/* Reads more of fd into b; 0 at end of stream or on an error. */
static int read_more(int fd, textbuf *b)
{
    char chunk[65536];
    ssize_t n;
    do
        n = read(fd, chunk, sizeof chunk);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return 0;
    textbuf_append(b, chunk, (size_t)n);
    return !textbuf_failed(b);
}

/* Length of the head (up to and with its blank line) once b holds it. */
static size_t head_length(int fd, textbuf *b)
{
    char *end;
    while (!(end = strstr(textbuf_cstr(b), "\r\n\r\n")))
        if (!read_more(fd, b))
            return 0;
    return (size_t)(end + 4 - textbuf_cstr(b));
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
static int read_at_least(int fd, textbuf *b, size_t n)
{
    while (b->len < n)
        if (!read_more(fd, b))
            return -1;
    return 0;
}

/* Decodes the chunked body at the start of in into out. */
static int read_chunked(int fd, textbuf *in, textbuf *out)
{
    for (;;) {
        char *eol;
        while (!(eol = strstr(textbuf_cstr(in), "\r\n")))
            if (!read_more(fd, in))
                return -1;
        size_t size = strtoul(in->data, NULL, 16);
        size_t line = (size_t)(eol + 2 - in->data);
        if (read_at_least(fd, in, line + size + 2) != 0)
            return -1;
        textbuf_append(out, in->data + line, size);
        drop_front(in, line + size + 2);
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
static int read_body(int up, textbuf *in, size_t head_len, int is_head,
                     textbuf *body)
{
    int status = atoi(in->data + 9);
    long length = content_length(in->data, head_len);
    int chunked = header_is(in->data, head_len, "Transfer-Encoding", "chunked");
    drop_front(in, head_len);
    if (is_head || status == 204 || status == 304 || status < 200)
        return 0;
    if (chunked)
        return read_chunked(up, in, body) == 0 ? 0 : -1;
    if (length >= 0) {
        if (read_at_least(up, in, (size_t)length) != 0)
            return -1;
        textbuf_append(body, in->data, (size_t)length);
        return 0;
    }
    while (read_more(up, in))
        ;
    textbuf_append(body, textbuf_cstr(in), in->len);
    return 1;
}

/* The client's answer: head (without the headers that describe the
 * transfer, which are set again), then body. */
static void compose_answer(const char *head, long head_length, int is_head,
                           const textbuf *body, textbuf *answer)
{
    const char *line = head, *eol;
    while ((eol = strstr(line, "\r\n")) && eol != line) {
        size_t n = (size_t)(eol - line);
        if (line == head || (strncasecmp(line, "Content-Length:", 15) != 0 &&
                             strncasecmp(line, "Connection:", 11) != 0 &&
                             strncasecmp(line, "Transfer-Encoding:", 18) != 0))
            textbuf_append(answer, line, n + 2);
        line = eol + 2;
    }
    char cl[64];
    snprintf(cl, sizeof cl, "Content-Length: %zu\r\n\r\n",
             is_head && head_length >= 0 ? (size_t)head_length : body->len);
    textbuf_append(answer, cl, strlen(cl));
    if (!is_head)
        textbuf_append(answer, textbuf_cstr(body), body->len);
}

/* Sends the request (req_len bytes of req) upstream over *up, opened if
 * need be, and builds the client's answer in answer. */
static int forward(int *up, const char *req, size_t req_len, int is_head,
                   textbuf *answer)
{
    if (*up < 0 && (*up = connect_upstream()) < 0)
        return -1;
    textbuf in = TEXTBUF_INIT, body = TEXTBUF_INIT;
    int rc = -1;
    size_t head_len;
    if (fdio_send_all(*up, req, req_len) == 0 &&
        (head_len = head_length(*up, &in)) > 0) {
        char *head = strndup(in.data, head_len);
        long length = content_length(head, head_len);
        rc = read_body(*up, &in, head_len, is_head, &body);
        if (rc >= 0)
            compose_answer(head, length, is_head, &body, answer);
        if (textbuf_failed(answer))
            rc = -1;
        free(head);
    }
    textbuf_free(&in);
    textbuf_free(&body);
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

static void record(const char *target, const textbuf *answer)
{
    recorded *r = calloc(1, sizeof *r);
    r->target = strdup(target);
    textbuf_append(&r->answer, answer->data, answer->len);
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
static int serve_one(int client, int *up, textbuf *in)
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
    textbuf answer = TEXTBUF_INIT;
    int rc = 0;
    wait_until(&due);
    if (r)
        rc = fdio_send_all(client, r->answer.data, r->answer.len);
    else {
        rc = forward(up, in->data, req_len, strcmp(method, "HEAD") == 0,
                     &answer);
        if (rc != 0) {
            static const char bad[] = "HTTP/1.1 502 Bad Gateway\r\n"
                                      "Content-Length: 0\r\n\r\n";
            textbuf_clear(&answer);
            textbuf_append(&answer, bad, sizeof bad - 1);
            closing = 1;
        } else if (replay && is_get && strncmp(answer.data + 9, "200", 3) == 0)
            record(target, &answer);
        rc = fdio_send_all(client, answer.data, answer.len);
    }
    textbuf_free(&answer);
    drop_front(in, req_len);
    return rc != 0 || closing ? -1 : 0;
}

static void *serve_connection(void *arg)
{
    int client = (int)(intptr_t)arg, up = -1, one = 1;
    textbuf in = TEXTBUF_INIT;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    while (serve_one(client, &up, &in) == 0)
        ;
    if (up >= 0)
        close(up);
    close(client);
    textbuf_free(&in);
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
