/*
 * LD_PRELOAD shim for the load generators (wrk, h2load), built by run.py with
 * `cc -shared -fPIC -O2 -o tls_client_shim.so tls_client_shim.c -ldl`.
 * It needs no OpenSSL headers: it only forwards to libssl via dlsym.
 *
 *   BENCH_TLS_SNI=name       send `name` as SNI (wrk sends the URL's host,
 *                            i.e. "127.0.0.1", and has no option to change it)
 *   BENCH_TLS_NO_RESUME=1    never offer a previous session: wrk (and h2load)
 *                            keep the SSL object across reconnects and resume
 *                            the last session, so a "new connection per
 *                            request" run would measure resumptions, not full
 *                            handshakes. With this set, every connection is a
 *                            full handshake (checked by run.py's probe).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>

typedef struct ssl_st SSL;
typedef struct ssl_session_st SSL_SESSION;

#define SSL_CTRL_SET_TLSEXT_HOSTNAME 55

static int no_resume(void) {
    const char *e = getenv("BENCH_TLS_NO_RESUME");
    return e != NULL && e[0] == '1';
}

static int (*real_set_session)(SSL *, SSL_SESSION *);

static int call_set_session(SSL *s, SSL_SESSION *sess) {
    if (real_set_session == NULL)
        real_set_session = (int (*)(SSL *, SSL_SESSION *))dlsym(RTLD_NEXT, "SSL_set_session");
    return real_set_session(s, sess);
}

long SSL_ctrl(SSL *s, int cmd, long larg, void *parg) {
    static long (*real)(SSL *, int, long, void *);
    if (real == NULL)
        real = (long (*)(SSL *, int, long, void *))dlsym(RTLD_NEXT, "SSL_ctrl");
    if (cmd == SSL_CTRL_SET_TLSEXT_HOSTNAME) {
        const char *sni = getenv("BENCH_TLS_SNI");
        if (sni != NULL && sni[0] != '\0')
            parg = (void *)sni;
    }
    return real(s, cmd, larg, parg);
}

int SSL_set_session(SSL *s, SSL_SESSION *sess) {
    if (no_resume())
        sess = NULL;
    return call_set_session(s, sess);
}

int SSL_clear(SSL *s) {
    static int (*real)(SSL *);
    if (real == NULL)
        real = (int (*)(SSL *))dlsym(RTLD_NEXT, "SSL_clear");
    if (no_resume())
        call_set_session(s, NULL); /* drop the session SSL_clear would keep */
    return real(s);
}
