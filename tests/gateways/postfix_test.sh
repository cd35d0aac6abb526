#!/usr/bin/env bash
# A real Postfix (Debian's postfix) on loopback asks `hatmatch serve` through
# check_policy_service; swaks plays many senders through XCLIENT.  Installs
# what is missing (needs root), rewrites /etc/postfix/main.cf (the original
# is restored at exit), stops Postfix and the server when done.  Prints a
# PASS/FAIL line per case; exits non-zero when any case failed.
#   tests/gateways/postfix_test.sh     (HATMATCH=path/to/hatmatch to override)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/gateways/lib.sh

require_root "installs and starts Postfix"

install_postfix() {
  local want=(postfix swaks ssl-cert libnet-ssleay-perl libio-socket-ssl-perl)
  local missing=()
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "postfix_test: installing ${missing[*]}"
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
  [[ -f /etc/ssl/certs/ssl-cert-snakeoil.pem ]] ||
    make-ssl-cert generate-default-snakeoil --force-overwrite
}

work=$(mktemp -d /tmp/hatmatch-postfix.XXXXXX)
main_cf=/etc/postfix/main.cf
cleanup() {
  postfix stop >/dev/null 2>&1 || true
  stop_server
  if [[ -f "$work/main.cf.orig" ]]; then
    cp "$work/main.cf.orig" "$main_cf"
  else
    rm -f "$main_cf"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

install_postfix
[[ -f "$main_cf" ]] && cp "$main_cf" "$work/main.cf.orig"
postfix stop >/dev/null 2>&1 || true

rules="$work/rules.hat"
write_rules "$rules" 192.0.2.66
start_server "$rules" "$work/serve.log" --listen inet:127.0.0.1:0 \
  --metrics inet:127.0.0.1:0

cat >"$main_cf" <<CF
compatibility_level = 3.6
myhostname = gw.test.local
mydestination = gw.test.local, localhost
alias_maps =
alias_database =
local_recipient_maps =
inet_interfaces = loopback-only
inet_protocols = ipv4
smtpd_authorized_xclient_hosts = 127.0.0.0/8
smtpd_tls_cert_file = /etc/ssl/certs/ssl-cert-snakeoil.pem
smtpd_tls_key_file = /etc/ssl/private/ssl-cert-snakeoil.key
smtpd_tls_security_level = may
smtpd_recipient_restrictions = check_policy_service inet:127.0.0.1:$POLICY_PORT, permit_mynetworks, reject_unauth_destination
maillog_file = /var/log/postfix-hatmatch-test.log
CF
postfix start >/dev/null 2>&1
for _ in $(seq 50); do
  (exec 3<>/dev/tcp/127.0.0.1/25) 2>/dev/null && break
  sleep 0.1
done

# smtp NAME ADDR HOSTNAME [swaks args]: one SMTP session, output in $work/NAME.
smtp() {
  local name=$1 addr=$2 host=$3
  shift 3
  swaks --server 127.0.0.1 --to user@gw.test.local --from a@example.net \
    --xclient "ADDR=$addr NAME=$host" --quit-after RCPT "$@" \
    >"$work/$name" 2>&1 || true
}

check_sessions smtp <<'CASES'
cres_plain|208.90.57.32|mxnat1.res.cisco.com|<\*\* +530 5\.7\.0 .*Must issue a STARTTLS command first|CRES address+name without STARTTLS: 530 Must issue a STARTTLS command first
cres_tls|208.90.57.32|mxnat1.res.cisco.com|<~ +250 2\.1\.5|CRES address+name with STARTTLS: recipient accepted|--tls
blocked|192.0.2.66|bad.example.net|<\*\* +554 5\.7\.1 .*TESTBLOCK|REJECT group: 554 5.7.1 naming TESTBLOCK
unknown_before|198.51.100.7|mail.example.org|<- +250 2\.1\.5|unknown sender: accepted
CASES

write_rules "$rules" 192.0.2.66 198.51.100.7
if wait_generation 1; then
  pass "rules file changed: server reloaded (generation 1)"
else
  fail "rules file changed: no reload seen"
fi
check_sessions smtp <<'CASES'
unknown_after|198.51.100.7|mail.example.org|<\*\* +554 5\.7\.1 .*TESTBLOCK|after hot reload the same sender: 554 5.7.1 naming TESTBLOCK
CASES

expect "the server logged the decisions" 'event=decision .*group=TESTBLOCK' \
  "$work/serve.log"
finish
