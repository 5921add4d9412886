// shim.h — libedit's native (histedit) API made callable from Swift.
// el_set/el_get/history are C variadics, which Swift cannot call: each use is
// wrapped in a static inline function here. stdin/stdout/stderr get getters
// (they are not concurrency-safe globals in Swift 6). See ../shared/notes/libedit.md.
#ifndef FISCALQL_CEDITLINE_SHIM_H
#define FISCALQL_CEDITLINE_SHIM_H

#include <stdio.h>
#include <wchar.h>
#include <locale.h>
#include <langinfo.h>
#include <histedit.h>
#include <sys/ioctl.h>

static inline FILE *fql_stdin(void) { return stdin; }
static inline FILE *fql_stdout(void) { return stdout; }
static inline FILE *fql_stderr(void) { return stderr; }

typedef wchar_t *(*fql_wprompt_fn)(EditLine *);
typedef unsigned char (*fql_command_fn)(EditLine *, int);

static inline int fql_el_set_wprompt(EditLine *el, fql_wprompt_fn f) { return el_wset(el, EL_PROMPT, f); }
static inline int fql_el_set_editor(EditLine *el, const wchar_t *mode) { return el_wset(el, EL_EDITOR, mode); }
static inline int fql_el_set_signal(EditLine *el, int on) { return el_wset(el, EL_SIGNAL, on); }
static inline int fql_el_set_hist(EditLine *el, History *h) { return el_wset(el, EL_HIST, history_w, h); }
static inline int fql_el_set_clientdata(EditLine *el, void *data) { return el_wset(el, EL_CLIENTDATA, data); }
static inline void *fql_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_wget(el, EL_CLIENTDATA, &data);
    return data;
}
static inline int fql_el_addfn(EditLine *el, const wchar_t *name, const wchar_t *help, fql_command_fn f) {
    return el_wset(el, EL_ADDFN, name, help, f);
}
static inline int fql_el_bind(EditLine *el, const wchar_t *key, const wchar_t *fn) {
    return el_wset(el, EL_BIND, key, fn, NULL);
}

static inline History *fql_history_init(void) { return history_winit(); }
static inline void fql_history_end(History *h) { history_wend(h); }
static inline int fql_history_setsize(History *h, int n) { HistEventW ev; return history_w(h, &ev, H_SETSIZE, n); }
static inline int fql_history_setunique(History *h, int on) { HistEventW ev; return history_w(h, &ev, H_SETUNIQUE, on); }
static inline int fql_history_enter(History *h, const wchar_t *line) { HistEventW ev; return history_w(h, &ev, H_ENTER, line); }
static inline int fql_history_load(History *h, const char *file) { HistEventW ev; return history_w(h, &ev, H_LOAD, file); }
static inline int fql_history_save(History *h, const char *file) { HistEventW ev; return history_w(h, &ev, H_SAVE, file); }

/* The line being edited, for completion: text before the cursor is [buffer, cursor). */
static inline const wchar_t *fql_el_line_buffer(EditLine *el) { const LineInfoW *li = el_wline(el); return li ? li->buffer : NULL; }
static inline int fql_el_line_cursor(EditLine *el) { const LineInfoW *li = el_wline(el); return li ? (int)(li->cursor - li->buffer) : 0; }

extern int wcwidth(wchar_t c);

/* The width in cells of the terminal on `fd`, or 0 when it is not a terminal (ioctl is a C variadic). */
static inline int fql_terminal_columns(int fd) {
    struct winsize w;
    if (ioctl(fd, TIOCGWINSZ, &w) == 0 && w.ws_col > 0) return w.ws_col;
    return 0;
}

#endif
