#include "check_wire.h"

#include <string.h>
#include <unistd.h>

#include "options_wire.h"
#include "records.h"

static void encode_state(textbuf *out, const history_state *state)
{
    wire_put_u64(out, state ? 1 : 0);
    if (!state)
        return;
    wire_put_u64(out, state->count);
    for (size_t i = 0; i < state->count; i++) {
        wire_put_str(out, state->items[i].key);
        wire_put_str(out, state->items[i].value);
    }
}

void check_wire_encode(textbuf *out, const nbaq_ctx *ctx)
{
    wire_put_u64(out, ctx->flags);
    wire_put_str(out, ctx->instance);
    wire_put_str(out, ctx->plugin);
    wire_put_str(out, ctx->monitor);
    wire_put_str(out, ctx->config_dir);
    wire_put_str(out, ctx->cache_dir);
    wire_put_u64(out, (uint64_t)ctx->run_started_ms);
    encode_state(out, ctx->state);
    options_encode(out, ctx->options);
}

/* Items point into the reader's buffer. */
static const history_state *decode_state(arena *mem, wire_reader *r)
{
    if (wire_get_u64(r) == 0 || r->bad)
        return NULL;
    uint64_t count = wire_get_u64(r);
    history_state *state = arena_alloc(mem, sizeof *state);
    if (!state || count > r->left / (2 * sizeof(uint64_t))) {
        r->bad = 1;
        return NULL;
    }
    state->items = arena_alloc(mem, (count ? count : 1) * sizeof *state->items);
    if (!state->items) {
        r->bad = 1;
        return NULL;
    }
    for (uint64_t i = 0; i < count; i++) {
        state->items[i].key = (char *)wire_get_str(r);
        state->items[i].value = (char *)wire_get_str(r);
        if (!state->items[i].key || !state->items[i].value)
            r->bad = 1;
    }
    state->count = (size_t)count;
    return state;
}

static void malformed(void)
{
    record_write(RECORD_BUG, "fork server: malformed check request",
                 sizeof "fork server: malformed check request");
    record_flush();
    _exit(70);
}

int check_wire_decode(arena *mem, wire_reader *r, const nbaq_option_spec *specs,
                      const char *plugin_name, nbaq_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->kind = NBAQ_KIND_CHECKER;
    ctx->stdout_fd = -1;
    ctx->flags = (uint32_t)wire_get_u64(r);
    ctx->instance = wire_get_str(r);
    ctx->plugin = wire_get_str(r);
    ctx->monitor = wire_get_str(r);
    ctx->config_dir = wire_get_str(r);
    ctx->cache_dir = wire_get_str(r);
    ctx->run_started_ms = (int64_t)wire_get_u64(r);
    ctx->state = decode_state(mem, r);
    ctx->options = options_decode(mem, r, specs, plugin_name);
    if (r->bad || r->left != 0 || !ctx->instance || !ctx->plugin) {
        r->bad = 1;
        return -1;
    }
    return 0;
}

void check_wire_run(wire_reader *r, const plugin *p, int stdout_fd,
                    int64_t deadline_ms)
{
    arena mem = ARENA_INIT; /* never freed: the child exits */
    nbaq_ctx ctx;
    if (check_wire_decode(&mem, r, p->options, p->name, &ctx) != 0)
        malformed();
    ctx.stdout_fd = stdout_fd;
    ctx.deadline_ms = deadline_ms;
    hostapi_run_check(&ctx, p->check);
}
