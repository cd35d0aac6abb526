# Shared by the bench/serve scripts: their `--name VALUE` flags.  Sourced,
# not run.

# parse_flags USAGE_LINES "NAME..." ARGS...: for each `--NAME VALUE` in ARGS
# whose NAME is in the list, sets the shell variable NAME to VALUE (the
# script sets the defaults first).  Anything else prints lines USAGE_LINES
# (a sed range such as 2,9) of the script, its usage comment, and exits 2.
parse_flags() {
  local usage=$1 names=" $2 "
  shift 2
  while (($#)); do
    local name=${1#--}
    if [[ $1 != --* || $names != *" $name "* || $# -lt 2 ]]; then
      sed -n "${usage}p" "$0"
      exit 2
    fi
    printf -v "$name" '%s' "$2"
    shift 2
  done
}
