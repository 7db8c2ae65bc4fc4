# venv.sh, sourced by the benchmark scripts: bench_python REQUIREMENTS prints
# the Python of a virtual environment holding the pinned packages of
# REQUIREMENTS, making it first when missing (minutes: pip downloads the
# packages; torch's wheel is large). The environments live under
#   ${JOBMATCH_CACHE:-~/.cache/jobmatch}/venvs/<requirements file>-<its hash>/
# so that a changed requirements file gets a new one and nothing lives at a
# fixed path of one machine. JOBMATCH_BENCH_PYTHON, when set, is used instead.
bench_python() {
  local req=$1 sum dir
  if [ -n "${JOBMATCH_BENCH_PYTHON:-}" ]; then
    echo "$JOBMATCH_BENCH_PYTHON"
    return
  fi
  # The file and those it includes (-r), so that a change to either makes a
  # new environment.
  sum=$( (cat "$req"; sed -n 's/^-r[[:space:]]*//p' "$req" | while read -r inc; do cat "$(dirname "$req")/$inc"; done) |
    sha256sum | cut -c1-12)
  dir="${JOBMATCH_CACHE:-$HOME/.cache/jobmatch}/venvs/$(basename "$req" .txt)-$sum"
  if [ ! -f "$dir/installed" ]; then
    echo "bench: making $dir from $req (once)" >&2
    rm -rf "$dir" && python3 -m venv "$dir" >&2
    "$dir/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
    touch "$dir/installed"
  fi
  echo "$dir/bin/python"
}
