# frozen_string_literal: true

# The real client the ruby-http-cookie adapter models, for the fidelity check
# (`cookie-conformance fidelity --target ruby-http-cookie`): mechanize (Mechanize.new,
# agent.get(url)) fetching each URL over a real socket from the runner's loopback server, so that
# net-http-persistent and Net::HTTP read the response and mechanize's own
# request_cookies/response_cookies drive its default HTTP::CookieJar.
#
# The clock: http-cookie reads Time.now; as in the adapter (mechanize_path.rb), Time.now answers
# the fetch's `now` while a fetch runs.
#
# Every host name reaches the loopback server: Net::HTTP#connect is wrapped to note which
# loopback port the connection's scheme uses, and Socket.tcp (the one call Net::HTTP opens its
# socket with) connects there, on 127.0.0.1, while that connect runs. The request, its Host
# header, the TLS server name (SNI) and the jar keep the URL's host. Certificates are not verified
# (the server's is self-signed), set the way a mechanize user does: agent.verify_mode. Nothing
# else of mechanize or Net::HTTP is changed.
#
# Protocol: one JSON object per line on stdin, one answer per line on stdout.
#   {"op":"reset"}                                    -> {"ok":true,"virtual_clock":true}
#   {"op":"fetch","url":U,"method":M,"http_port":P,"https_port":Q,"now":T}
#                                                     -> {"ok":true} or {"error":E,"kind":K}
# K is "unsupported" when mechanize refuses the URL or Net::HTTP the response (no cookie of it
# reaches the jar), "failed" for anything else.

require 'json'
require 'socket'
require 'openssl'
require_relative 'mechanize_path' # the clock (and mechanize itself)

PORTS = { http: 0, https: 0 } # the loopback ports of the current fetch

# Notes the loopback port for the duration of Net::HTTP#connect.
module LoopbackConnect
  private

  def connect
    Thread.current[:loopback_port] = use_ssl? ? PORTS[:https] : PORTS[:http]
    super
  ensure
    Thread.current[:loopback_port] = nil
  end
end
Net::HTTP.prepend(LoopbackConnect)

# Socket.tcp to 127.0.0.1 and the noted port while a Net::HTTP connect runs. This stands in for
# the name lookup, so a host name no resolver could answer (the percent-encoded form mechanize
# makes of a Unicode host, see MechanizePath.unreachable_host) fails here as its lookup would.
module LoopbackSocket
  def tcp(host, port, *rest, **kwargs, &block)
    loopback = Thread.current[:loopback_port]
    return super unless loopback

    unreachable = MechanizePath.unreachable_host(host.to_s)
    raise MechanizePath::Refused, unreachable if unreachable

    super('127.0.0.1', loopback, *rest, **kwargs, &block)
  end
end
Socket.singleton_class.prepend(LoopbackSocket)

def new_client
  mech = Mechanize.new
  mech.verify_mode = OpenSSL::SSL::VERIFY_NONE # the server's certificate is self-signed
  mech
end

def fetch(mech, op)
  PORTS[:http] = op.fetch('http_port')
  PORTS[:https] = op.fetch('https_port')
  method = op['method'] || 'GET'
  return { 'error' => "the live client sends GET only, not #{method}", 'kind' => 'unsupported' } if method != 'GET'

  MechanizePath::Clock.at(op['now']) { mech.get(op.fetch('url')) }
  { 'ok' => true }
rescue MechanizePath::Refused => e
  { 'error' => e.message, 'kind' => 'unsupported' }
rescue Mechanize::UnsupportedSchemeError => e
  { 'error' => "mechanize refuses the URL: unsupported scheme #{e.scheme}:", 'kind' => 'unsupported' }
rescue URI::Error, ArgumentError => e
  { 'error' => "mechanize refuses the URL or Net::HTTP the response: #{e.class}: #{e.message}", 'kind' => 'unsupported' }
rescue Net::HTTPBadResponse, Net::HTTP::Persistent::Error => e
  { 'error' => "Net::HTTP refuses the response: #{e.class}: #{e.message}", 'kind' => 'unsupported' }
rescue StandardError => e
  { 'error' => "#{e.class}: #{e.message}", 'kind' => 'failed' }
end

def main
  $stdout.sync = true
  mech = new_client
  $stdin.each_line do |line|
    op = JSON.parse(line)
    answer =
      case op['op']
      when 'reset'
        mech.shutdown
        mech = new_client
        { 'ok' => true, 'virtual_clock' => true }
      when 'fetch' then fetch(mech, op)
      else { 'error' => "unknown op #{op['op'].inspect}", 'kind' => 'failed' }
      end
    $stdout.puts JSON.generate(answer)
  end
end

main
