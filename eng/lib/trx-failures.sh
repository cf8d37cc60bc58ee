#!/usr/bin/env bash
# Prints each failed test of a TRX file with the first lines of its error message, so the end of
# the test command's output says what failed even when only its tail is kept.
trx=${1:?usage: trx-failures.sh FILE}
[ -f "$trx" ] || exit 0
awk '
  function unescape(s) {
    gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
    gsub(/&#xD;/, "", s); gsub(/&#xA;/, " ", s); gsub(/&amp;/, "\\&", s)
    return s
  }
  /<UnitTestResult / && /outcome="(Failed|Error|Timeout|Aborted)"/ {
    name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name)
    print "  FAILED " unescape(name)
    infail = 1; inmsg = 0; lines = 0
  }
  infail && /<Message>/ { inmsg = 1; sub(/.*<Message>/, "") }
  infail && inmsg {
    done = sub(/<\/Message>.*/, "")
    if (lines < 8 && length($0) > 0) { print "    " substr(unescape($0), 1, 300); lines++ }
    if (done) { inmsg = 0; infail = 0 }
  }
  /<\/UnitTestResult>/ { infail = 0; inmsg = 0 }
' "$trx"
