/*
 * notify.h - readiness notification to systemd (Type=notify) without
 * libsystemd: one datagram to $NOTIFY_SOCKET, as sd_notify(3) sends it.
 */
#ifndef NBAQ_DAEMON_NOTIFY_H
#define NBAQ_DAEMON_NOTIFY_H

/* Takes $NOTIFY_SOCKET and removes it from the environment, so that
 * checks and the commands they run do not inherit it. Call once, first. */
void notify_init(void);

/* Sends state ("READY=1", "RELOADING=1", "STOPPING=1", "STATUS=...",
 * several joined by newlines). Does nothing without a socket. */
void notify_send(const char *state);

#endif
