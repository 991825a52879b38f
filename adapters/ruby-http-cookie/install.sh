#!/usr/bin/env bash
# Idempotent: Ruby and the gems as Debian 12 ships them (apt only, no rubygems.org):
# ruby-http-cookie (the jar), ruby-domain-name (its public suffix list), ruby-mechanize (the
# client whose path the adapter follows and live.rb runs) and its net-http-persistent.
set -euo pipefail
pkgs=(ruby ruby-http-cookie ruby-domain-name ruby-mechanize ruby-net-http-persistent)
need=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
ruby -e 'require "mechanize"; require "http-cookie"
  puts "ruby-http-cookie: ready (Ruby #{RUBY_VERSION}, http-cookie #{HTTP::Cookie::VERSION}, " \
       "mechanize #{Mechanize::VERSION}, domain_name #{DomainName::VERSION})"'
