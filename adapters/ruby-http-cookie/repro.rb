#!/usr/bin/env ruby
# frozen_string_literal: true

@@header@@
#
# Run: ruby THIS_FILE   (Debian 12: apt-get install ruby ruby-http-cookie ruby-mechanize)
#
# The jar is driven as mechanize 2.8.5 drives it (Mechanize::HTTP::Agent#fetch): for each request,
# Agent#request_cookies puts jar.cookies(uri).join('; ') on a Net::HTTP::Get, and after the
# response Agent#response_cookies hands every Set-Cookie field to jar.parse(field, uri). The
# response header block is read by Net::HTTPResponse.read_new, the parser mechanize's connection
# runs, so the jar gets the field values exactly as over a socket (ASCII-8BIT Strings). The jar
# reads the clock through Time.now; this program makes Time.now answer a virtual clock.
require 'mechanize'
require 'net/http'
require 'stringio'

# The virtual clock: Time.now answers it (http-cookie reads the time only through Time.now).
module VirtualClock
  @now = @@start@@
  class << self
    attr_accessor :now
  end

  module Now
    def now(**kwargs)
      Time.at(VirtualClock.now, **kwargs)
    end
  end
  Time.singleton_class.prepend(Now)
end

AGENT = Mechanize.new.agent # holds Mechanize::CookieJar.new, mechanize's default jar
DIVERGED = []

# The URI mechanize requests for `url` (Mechanize#get -> Agent#fetch -> Agent#resolve).
def uri_for(url)
  AGENT.resolve(url, nil)
end

def set_cookies(url, lines)
  uri = uri_for(url)
  raw = +"HTTP/1.1 200 OK\r\n".b
  lines.each { |line| raw << 'Set-Cookie: '.b << line.b << "\r\n".b }
  raw << "\r\n".b
  response = Net::HTTPResponse.read_new(Net::BufferedIO.new(StringIO.new(raw)))
  AGENT.request_cookies(AGENT.http_request(uri, :get), uri) # the request goes out first
  AGENT.response_cookies(response, uri, nil)
end

def advance(seconds)
  VirtualClock.now += seconds
end

# Octets for people and for machines: printable ASCII as is, the rest as \xNN.
def shown(value)
  return '(no Cookie header)' if value.nil?

  '"' + value.b.each_byte.map { |b| b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C ? b.chr : format('\\x%02x', b) }.join + '"'
end

def expect_cookie(step, url, expected)
  uri = uri_for(url)
  request = AGENT.http_request(uri, :get)
  AGENT.request_cookies(request, uri)
  observed = request['Cookie']&.b
  ok = expected.any? { |e| e.nil? ? observed.nil? : !observed.nil? && e.b == observed }
  puts "step #{step}: GET #{url}"
  puts "  observed: #{shown(observed)}"
  puts "  expected: #{expected.map { |e| shown(e) }.join(' or ')}"
  puts ok ? '  ok' : '  DIVERGES from the spec'
  DIVERGED << step unless ok
end

# Every stored cookie (HTTP::CookieJar#each drops expired ones), fields as the adapter dumps them;
# http-cookie does not model SameSite, so same_site is "null".
def dump
  AGENT.cookie_jar.each.map do |c|
    persistent = !c.session?
    {
      'name' => c.name.b, 'value' => c.value.b, 'domain' => c.domain.to_s.b, 'path' => c.path.b,
      'host_only' => (!c.for_domain?).to_s, 'secure' => (c.secure ? true : false).to_s,
      'http_only' => (c.httponly ? true : false).to_s, 'same_site' => 'null',
      'persistent' => persistent.to_s,
      'expires' => persistent && c.expires ? c.expires.to_i.to_s : 'null', 'partition_key' => 'null'
    }
  end
end

def expect_stored(step, expected)
  stored = dump
  # Each expected entry (only the fields it gives) must match a different stored cookie.
  free = stored.dup
  ok = expected.length == stored.length
  expected.each do |spec|
    match = free.find { |c| spec.all? { |k, v| c[k] == v.b } }
    match ? free.delete_at(free.index(match)) : ok = false
  end
  puts "step #{step}: the jar holds #{stored.length} cookie(s)"
  stored.each { |c| puts "  stored:   #{c.map { |k, v| "#{k}=#{%w[name value path].include?(k) ? shown(v) : v}" }.join(' ')}" }
  expected.each { |s| puts "  expected: #{s.map { |k, v| "#{k}=#{%w[name value path].include?(k) ? shown(v) : v}" }.join(' ')}" }
  puts ok ? '  ok' : '  DIVERGES from the spec'
  DIVERGED << step unless ok
end

@@steps@@

exit(DIVERGED.empty? ? 0 : 1)
