#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <readline/readline.h>
#include <readline/history.h>

/* Swift 6 does not let Swift code touch mutable C globals, and readline is mostly
 * globals: the functions below do that part in C. */

typedef enum __attribute__((enum_extensibility(closed))) PolicyChatInput {
  PolicyChatInputLine,
  PolicyChatInputEnd,
  PolicyChatInputInterrupted,
} PolicyChatInput;

/* State of the line being read. Being static, every Swift file that uses these functions
 * gets its own copy of it: only ReadlineChat.swift may use them. */
static volatile sig_atomic_t policychat_interrupted = 0;
static int policychat_line_done = 0;
static char *policychat_line = NULL;

/* Only records the Ctrl-C: the reading loop acts on it where readline is in a known state.
 * During an answer the record is dropped, so Ctrl-C neither ends the program nor cuts the
 * answer short. */
static inline void policychat_note_interrupt(int signal_number) {
  (void)signal_number;
  policychat_interrupted = 1;
}

/* Whether Ctrl-C was pressed since the line was read, which the terminal echoed as ^C. */
static inline int policychat_take_interrupt(void) {
  int interrupted = policychat_interrupted;
  policychat_interrupted = 0;
  return interrupted;
}

static inline void policychat_take_line(char *line) {
  /* Removed here, or readline would show the next prompt before the answer. */
  rl_callback_handler_remove();
  policychat_line = line;
  policychat_line_done = 1;
}

/* SA_RESTART: a Ctrl-C while the engine reads or writes its database must not surface
 * there as EINTR. */
static inline void policychat_install_interrupt_handler(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = policychat_note_interrupt;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, NULL);
}

/* Forgets the line being typed: readline's own SIGINT processing has usually done this
 * already (ends a search, completion listing or numeric argument, echoes ^C, restores the
 * terminal); repeating it is harmless and covers a signal it did not see. */
static inline void policychat_abandon_line(void) {
  rl_free_line_state();
  rl_callback_sigcleanup();
  rl_callback_handler_remove();
  fputc('\n', rl_outstream);
  fflush(rl_outstream);
}

/* Like readline(prompt), except that Ctrl-C ends the call with PolicyChatInputInterrupted,
 * so that the next call starts a fresh line: blocking readline() would keep its history
 * position and the discarded text (Down brings it back), or stay in an incremental search.
 *
 * Readline's callback interface, with readline's own signal handlers installed for the
 * whole line (rl_catch_signals, rl_persistent_signal_handlers): a signal interrupts poll,
 * and rl_check_signals lets readline deal with it at this safe point; for SIGINT,
 * SIGTSTP, SIGTERM and SIGHUP it restores the terminal and re-raises the signal, which
 * reaches policychat_note_interrupt or the default action. Also SIGWINCH is seen while
 * waiting for a key. (A Ctrl-C landing between the check of policychat_interrupted and
 * poll is seen at the next key; the window is a few instructions wide.)
 * On PolicyChatInputLine, *line is readline's string, for free(). */
static inline PolicyChatInput policychat_read_line(const char *prompt, char **line) {
  policychat_install_interrupt_handler();
  rl_catch_signals = 1;
  rl_persistent_signal_handlers = 1;
  policychat_interrupted = 0;
  policychat_line_done = 0;
  policychat_line = NULL;
  *line = NULL;
  rl_callback_handler_install(prompt, policychat_take_line);
  while (!policychat_line_done) {
    if (policychat_interrupted) {
      policychat_abandon_line();
      return PolicyChatInputInterrupted;
    }
    struct pollfd input = {.fd = fileno(rl_instream), .events = POLLIN, .revents = 0};
    int ready = poll(&input, 1, -1);
    if (ready > 0 && (input.revents & POLLNVAL) == 0) {
      rl_callback_read_char();
    } else if (ready < 0 && errno == EINTR) {
      rl_check_signals();
    } else {
      rl_callback_handler_remove();
      return PolicyChatInputEnd;
    }
  }
  *line = policychat_line;
  return policychat_line == NULL ? PolicyChatInputEnd : PolicyChatInputLine;
}

/* Also names the program for conditional sections of ~/.inputrc (`$if policychat`). */
static inline void policychat_configure_completion(rl_completion_func_t *complete) {
  rl_readline_name = "policychat";
  rl_attempted_completion_function = complete;
}

/* Called by the completion function: no fallback to file names, even without a match. */
static inline void policychat_disable_default_completion(void) {
  rl_attempted_completion_over = 1;
}

/* Whether the word being completed, at `start`, is the first of the line. */
static inline int policychat_is_first_word(int start) {
  for (int index = 0; index < start; index++) {
    if (rl_line_buffer == NULL || (rl_line_buffer[index] != ' ' && rl_line_buffer[index] != '\t')) {
      return 0;
    }
  }
  return 1;
}
