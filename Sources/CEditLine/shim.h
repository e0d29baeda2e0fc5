// libedit's readline-compatible API, plus small setters and getters for its global variables:
// Swift 6 refuses to touch mutable C globals directly ("not concurrency-safe").
#include <stdio.h>
#include <editline/readline.h>

typedef char *_Nullable (*nnplay_generator_t)(const char *_Nonnull, int);
typedef char *_Nullable *_Nullable (*nnplay_completer_t)(const char *_Nonnull, int, int);

static inline void nnplay_set_completer(nnplay_completer_t f) { rl_attempted_completion_function = (rl_completion_func_t *)f; }
static inline void nnplay_set_completion_over(int v) { rl_attempted_completion_over = v; }
static inline void nnplay_set_append_character(int c) { rl_completion_append_character = c; }
// words end at spaces and ';' only, so that `key=value` and paths complete as one word
static inline void nnplay_use_word_breaks(void) {
    static char breaks[] = " \t\n;";
    rl_completer_word_break_characters = breaks;
    rl_basic_word_break_characters = breaks;
}
static inline void nnplay_set_name(const char *_Nonnull s) { rl_readline_name = s; }
static inline const char *_Nullable nnplay_line_buffer(void) { return rl_line_buffer; }
static inline int nnplay_point(void) { return rl_point; }
static inline char *_Nullable *_Nullable nnplay_completion_matches(const char *_Nonnull text, nnplay_generator_t f) {
    return rl_completion_matches(text, (rl_compentry_func_t *)f);
}
