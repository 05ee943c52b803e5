#!/usr/bin/env bash
# Runs the real app under Xvfb (xcb, not offscreen), searches with xdotool and saves PNGs of the
# search and article states to screenshots/. Everything it writes besides the PNGs is in a temp dir.
#   scripts/screenshot.sh            # QUERY=Takaichi OUT=screenshots PY=.venv/bin/python
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
OUT=${OUT:-screenshots}
QUERY=${QUERY:-Takaichi}
SCREEN=1600x1000x24
WINDOW_SIZE=(1440 900)
TITLE="Briefing Cards"

for tool in Xvfb xdotool import; do
  command -v "$tool" >/dev/null || { echo "screenshot: $tool is missing (make debs installs it)" >&2; exit 1; }
done

work=$(mktemp -d)
xvfb_pid="" app_pid=""
cleanup() {
  local status=$?
  for pid in $app_pid $xvfb_pid; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

# A private home: the user's own index, settings and logs are never touched.
export BRIEFING_HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data-home"
export XDG_STATE_HOME="$work/state" XDG_CACHE_HOME="$work/cache"
data="$work/library-index"
mkdir -p "$OUT"

echo "screenshot: indexing the seed library into $data"
"$PY" main.py --data-dir "$data" index >"$work/index.log" 2>&1 || {
  cat "$work/index.log" >&2; echo "screenshot: indexing the seeds failed" >&2; exit 1; }

# -displayfd picks a free display number, so parallel runs and a developer's own X don't clash.
Xvfb -displayfd 3 -screen 0 "$SCREEN" -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || { cat "$work/xvfb.log" >&2; echo "screenshot: Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$(head -n1 "$work/display")"

QT_QPA_PLATFORM=xcb "$PY" main.py --data-dir "$data" >"$work/app.log" 2>&1 &
app_pid=$!

app_alive() {
  kill -0 "$app_pid" 2>/dev/null || {
    cat "$work/app.log" >&2; echo "screenshot: the app exited early" >&2; exit 1; }
}

window=$(timeout 60 xdotool search --sync --onlyvisible --name "$TITLE" | head -n1) || true
app_alive
[ -n "$window" ] || { cat "$work/app.log" >&2; echo "screenshot: no '$TITLE' window within 60 s" >&2; exit 1; }
# No window manager runs here: place, size and focus the window ourselves.
xdotool windowmove --sync "$window" 0 0 windowsize --sync "$window" "${WINDOW_SIZE[@]}"
xdotool windowfocus --sync "$window"
sleep 2  # first paint and the start-up sync settle

capture() {
  app_alive
  import -window "$window" "$OUT/$1"
  echo "screenshot: saved $OUT/$1"
}

# Ctrl+F focuses the search box wherever focus is (a plain "/" would be typed into the box).
xdotool key --clearmodifiers ctrl+f
xdotool type --delay 80 "$QUERY"
sleep 3
capture search.png

# The keymap's way into an article: Down to the first result, Enter to open it.
xdotool key Down
sleep 0.5
xdotool key Return
sleep 3
capture article.png
