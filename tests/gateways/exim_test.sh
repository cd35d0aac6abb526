#!/usr/bin/env bash
# A real Exim (Debian's exim4-daemon-light, unpacked: as a package it
# conflicts with postfix) asks `hatmatch serve`'s line listener through
# ${readsocket} in its connect ACL; `exim4 -bh ADDRESS -oMs NAME` runs whole
# fake SMTP sessions from any sender with no network.  Needs root (Exim
# insists on its compiled-in user, Debian-exim, which is created if missing).
# Prints a PASS/FAIL line per case; exits non-zero when any case failed.
#   tests/gateways/exim_test.sh     (HATMATCH=path/to/hatmatch to override)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/gateways/lib.sh

require_root "Exim's compiled-in user"

exim_dir="${XDG_CACHE_HOME:-$HOME/.cache}/hatmatch/exim"
unpack_exim() {
  [[ -x "$exim_dir/root/usr/sbin/exim4" ]] && return 0
  mkdir -p "$exim_dir/debs" "$exim_dir/root"
  (cd "$exim_dir/debs" &&
    apt-get download exim4-daemon-light exim4-base libidn12 >/dev/null 2>&1)
  for deb in "$exim_dir"/debs/*.deb; do dpkg -x "$deb" "$exim_dir/root"; done
}
unpack_exim
id Debian-exim >/dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin Debian-exim

work=$(mktemp -d /tmp/hatmatch-exim.XXXXXX)
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT

rules="$work/rules.hat"
write_rules "$rules" 192.0.2.66
start_server "$rules" "$work/serve.log" --line inet:127.0.0.1:0

mkdir -p "$work/spool" "$work/log"
# The ACL of docs/SERVE.md, with the test's port and directories.
cat >"$work/exim.conf" <<CONF
primary_hostname = test.local
spool_directory = $work/spool
log_file_path = $work/log/%slog
exim_user = root
exim_group = root
never_users =
acl_smtp_connect = acl_connect
acl_smtp_mail = acl_mail
begin acl
acl_connect:
  warn  set acl_c_hat = \${readsocket{inet:127.0.0.1:$LINE_PORT}\\
          {\$sender_host_address\${if def:sender_host_name{ ptr=\$sender_host_name}\\
           {\${if eq{\$host_lookup_deferred}{1}{ dns=servfail}{ dns=nx}}}}\n}\\
          {3s}{}{DEFER}}
  defer condition = \${if eq{\$acl_c_hat}{DEFER}}
        message = 451 4.3.0 sender classification unavailable
  deny  condition = \${if match{\$acl_c_hat}{\N\tREJECT\N}}
        message = 554 5.7.1 rejected by sender group \${sg{\$acl_c_hat}{\N\t.*\N}{}}
  drop  condition = \${if match{\$acl_c_hat}{\N\tTCPREFUSE\N}}
        message = 421 4.7.0 refused by sender group \${sg{\$acl_c_hat}{\N\t.*\N}{}}
  accept
acl_mail:
  # Groups whose policy says tls = "required" (data/cres.hat: CRES_TLS).
  deny  condition = \${if and{{match{\$acl_c_hat}{\N^CRES_TLS\t\N}}{eq{\$tls_in_cipher}{}}}}
        message = 530 5.7.0 Must issue a STARTTLS command first
  accept
CONF

# session NAME ADDR [HOSTNAME]: one fake SMTP session, replies in $work/NAME.
session() {
  local name=(${3:+-oMs "$3"})
  printf 'EHLO client.test\r\nMAIL FROM:<a@example.net>\r\nQUIT\r\n' |
    LD_LIBRARY_PATH="$exim_dir/root/usr/lib/x86_64-linux-gnu" \
      "$exim_dir/root/usr/sbin/exim4" -C "$work/exim.conf" -bh "$2" "${name[@]}" \
      >"$work/$1" 2>"$work/$1.trace" || true
}

check_sessions session <<'CASES'
cres|208.90.57.32|mxnat1.res.cisco.com|^530 5\.7\.0 Must issue a STARTTLS command first|CRES address+name, MAIL without TLS: 530 Must issue a STARTTLS command first
blocked|192.0.2.66|bad.example.net|^554 5\.7\.1 rejected by sender group TESTBLOCK|REJECT group: 554 5.7.1 at connect naming TESTBLOCK
unknown|198.51.100.7|mail.example.org|^250 OK|unknown sender: MAIL accepted
noname|198.51.100.9||^250 OK|sender without a host name: MAIL accepted
CASES
expect "  ... and classified as dns=nx (SUSPECTLIST)" \
  'line="198\.51\.100\.9 dns=nx" group=SUSPECTLIST' "$work/serve.log"

expect "the server saw Exim's line" \
  'event=decision proto=line line="208\.90\.57\.32 ptr=mxnat1\.res\.cisco\.com" group=CRES_TLS' \
  "$work/serve.log"
finish
