# shellcheck shell=bash
# Sourced by ensure-node.sh. `run_stoppable CMD...` runs a command that a stop must not outlive: a
# first start's npm install, which otherwise goes on writing into the checkout after the start was
# stopped (and breaks the next start's install). The command runs in a process group of its own while
# this shell waits, and the whole group (npm's own nested installs included) is stopped (TERM) before
# the shell exits:
# - on a SIGTERM, SIGINT or SIGHUP to this shell, which then exits as the signal would have ended it
#   (143, 130, 129; the caller's own traps for those signals are put back afterwards);
# - with STOPPABLE_FOLLOW_PARENT=1 (scripts/start.sh), also when this shell's parent goes away (it is
#   re-parented), exiting 143: npm does not pass a SIGTERM on to its script, so a stopped `npm start`
#   only shows as that. scripts/start.ts follows the same rule once it runs.
# Returns the command's exit status.
run_stoppable() {
  local saved status=0 parent=""
  saved=$(trap -p TERM INT HUP)
  [ "${STOPPABLE_FOLLOW_PARENT:-0}" != 1 ] || parent=$(_stoppable_parent)
  _stoppable_child=""
  trap '_stoppable_stop 143' TERM
  trap '_stoppable_stop 130' INT
  trap '_stoppable_stop 129' HUP
  # A background command of a shell without job control is never a group leader, so setsid starts the
  # new group (and session) in that very process: its pid is the group's id. (--wait: should it have to
  # fork, under job control, it waits for the command and returns its status.)
  setsid --wait "$@" &
  _stoppable_child=$!
  if [ -n "$parent" ]; then
    while kill -0 "$_stoppable_child" 2>/dev/null; do
      [ "$(_stoppable_parent)" = "$parent" ] || _stoppable_stop 143
      # In the background, so that a signal's trap runs at once rather than after the sleep.
      sleep 0.5 &
      wait "$!" || true
    done
  fi
  wait "$_stoppable_child" || status=$?
  _stoppable_child=""
  trap - TERM INT HUP
  eval "$saved"
  return "$status"
}

# This shell's parent pid now ($PPID keeps the one it started with): field 4 of /proc/<pid>/stat, or ps.
_stoppable_parent() {
  local stat
  if stat=$(cat "/proc/$$/stat" 2>/dev/null); then
    stat=${stat##*) }
    # shellcheck disable=SC2086 # split into fields on purpose
    set -- $stat
    echo "${2:-}"
  else
    ps -o ppid= -p "$$" | tr -d ' '
  fi
}

_stoppable_stop() {
  if [ -n "${_stoppable_child:-}" ]; then
    kill -TERM -- "-$_stoppable_child" 2>/dev/null || kill -TERM "$_stoppable_child" 2>/dev/null || true
    wait "$_stoppable_child" 2>/dev/null || true
  fi
  exit "$1"
}
