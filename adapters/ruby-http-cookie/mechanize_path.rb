# frozen_string_literal: true

# What the ruby-http-cookie adapter (adapter.rb) and its reproducers share with mechanize's own
# code path: the virtual clock, the Set-Cookie fields as Net::HTTP's response parser delivers
# them, and the two calls mechanize makes per request (Mechanize::HTTP::Agent#request_cookies
# before sending, #response_cookies after the response is read). live.rb uses only the clock:
# there the real mechanize runs over a socket.
#
# Mechanize 2.8.5 (Debian ruby-mechanize) drives HTTP::CookieJar (http-cookie 1.0.5) like this,
# in Mechanize::HTTP::Agent#fetch:
#   uri = resolve(url)                                     # mechanize's URL clean-up
#   request = http_request(uri, :get)                      # Net::HTTP::Get.new(uri.request_uri)
#   request_cookies(request, uri)                          # jar.cookies(uri).join('; ') -> Cookie
#   response = <net-http-persistent over Net::HTTP>        # Net::HTTPResponse.read_new
#   response_cookies(response, uri, page)                  # jar.parse(field, uri) per Set-Cookie field
# The adapter calls those same public methods of a Mechanize::HTTP::Agent; only the socket is
# replaced by the raw header bytes read through Net::BufferedIO.

require 'mechanize'
require 'net/http'
require 'stringio'

module MechanizePath
  # The clock http-cookie sees. The library reads the time only through `Time.now` (cookie
  # creation and Max-Age expiry in HTTP::Cookie#initialize/#expires, expiry checks in
  # #expired? and HashStore#each/#cleanup; Time.strptime, used for Expires, takes its default
  # `now` from Time.now too). While an operation runs, Time.now answers its `now`; otherwise
  # the real clock. The module is prepended to Time's singleton class, so no library code
  # changes; it is process-wide, so callers run one operation at a time.
  module Clock
    @now = nil

    class << self
      attr_reader :now

      # Runs the block with Time.now answering `seconds` (Unix time; nil: the real clock).
      def at(seconds)
        @now = seconds
        yield
      ensure
        @now = nil
      end
    end

    module VirtualNow
      def now(**kwargs)
        seconds = Clock.now
        seconds.nil? ? super : Time.at(seconds, **kwargs)
      end
    end
    Time.singleton_class.prepend(VirtualNow)
  end

  # The response or request mechanize (through Net::HTTP) would not make or accept: the op
  # answers `unsupported` with this message.
  class Refused < StandardError; end

  # A Mechanize::HTTP::Agent, as Mechanize.new builds one, holding the jar. The agent is only
  # used for its cookie and URL methods; it never opens a connection.
  def self.new_agent
    Mechanize.new.agent
  end

  # A fresh jar, as Mechanize::HTTP::Agent#initialize makes it.
  def self.new_jar
    Mechanize::CookieJar.new
  end

  # The URI mechanize requests for `url` (Mechanize#get -> Agent#fetch: resolve against an
  # empty referer page, then resolve_parameters with no parameters).
  def self.uri_for(agent, url)
    uri = agent.resolve(url, nil)
    raise Refused, "mechanize fetches http and https URLs only (and file:), not #{uri.scheme}:" unless uri.is_a?(URI::HTTP)

    unreachable = unreachable_host(uri.host)
    raise Refused, unreachable if unreachable

    uri
  rescue Mechanize::UnsupportedSchemeError => e
    raise Refused, "mechanize refuses the URL: unsupported scheme #{e.scheme}:"
  rescue ArgumentError, URI::Error => e
    raise Refused, "mechanize refuses the URL: #{e.class}: #{e.message}"
  end

  # Why mechanize cannot connect to `host` at all, or nil. Agent#resolve percent-encodes every
  # non-ASCII byte of a URL (Mechanize::Util.uri_escape), the host's included, and applies no
  # IDNA: https://bücher.example/ becomes the host `b%C3%BCcher.example`. No DNS name holds a
  # '%', so Net::HTTP's lookup of it fails (and a TLS server refuses it as SNI): the request never
  # happens and no cookie is set or sent.
  def self.unreachable_host(host)
    return nil unless host.include?('%')

    "mechanize percent-encodes the non-ASCII host (Agent#resolve, no IDNA) into #{host}, which is no " \
      'resolvable host name: Net::HTTP cannot connect, so no request is made'
  end

  # The Net::HTTPResponse that Net::HTTP reads from a response whose header block carries
  # `lines` (binary Strings) as Set-Cookie fields, in order. Net::HTTPResponse.read_new over a
  # Net::BufferedIO is the very parser mechanize's connection runs: it splits lines at LF, strips
  # the whitespace after the colon and trailing whitespace and NULs (CR included), joins obs-fold
  # lines with a space, raises Net::HTTPBadResponse for a line without a colon and ArgumentError
  # for a field value holding a CR. The fields it yields are ASCII-8BIT Strings.
  def self.response_for(lines)
    raw = +"HTTP/1.1 200 OK\r\n".b
    lines.each { |line| raw << 'Set-Cookie: '.b << line.b << "\r\n".b }
    raw << "\r\n".b
    Net::HTTPResponse.read_new(Net::BufferedIO.new(StringIO.new(raw)))
  rescue Net::HTTPBadResponse, ArgumentError => e
    raise Refused, "Net::HTTP refuses the response header (#{e.class}: #{e.message}), so mechanize never reads its cookies"
  end

  # Agent#fetch for a response carrying `lines`: the request's Cookie header is computed first
  # (request_cookies; it also drops expired cookies on the way), then every Set-Cookie field of
  # the parsed response reaches jar.parse(field, uri) (response_cookies with no HTML page).
  def self.receive(agent, url, lines)
    uri = uri_for(agent, url)
    response = response_for(lines)
    agent.request_cookies(agent.http_request(uri, :get), uri)
    agent.response_cookies(response, uri, nil)
  end

  # The Cookie header mechanize sends to `url` (binary), or nil when it adds none.
  def self.cookie_header(agent, url)
    uri = uri_for(agent, url)
    request = agent.http_request(uri, :get)
    agent.request_cookies(request, uri)
    request['Cookie']&.b
  end

  # Every stored cookie in the jar's own order (HTTP::CookieJar#each, which drops expired ones).
  def self.stored(agent)
    agent.cookie_jar.each.to_a
  end
end
