# frozen_string_literal: true

# cookie-adapter/1 server (../PROTOCOL.md) for the Ruby gem http-cookie (HTTP::CookieJar) as
# mechanize uses it: see mechanize_path.rb for the client path. One operation runs at a time
# (the virtual clock is process-wide), so `parallel` is false; connections are served by one
# thread each.

require 'base64'
require 'json'
require 'socket'
require_relative 'mechanize_path'

PROTOCOL = 'cookie-adapter/1'
PROFILES = %w[rfc6265 rfc6265bis].freeze
OPS_LOCK = Mutex.new

# An error answer: HTTP status, protocol `kind`, message.
class AdapterError < StandardError
  attr_reader :status, :kind

  def initialize(status, kind, message)
    super(message)
    @status = status
    @kind = kind
  end
end

def bad(message) = AdapterError.new(400, 'bad_request', message)
def unsupported(message) = AdapterError.new(422, 'unsupported', message)

def field(obj, name, klass)
  value = obj[name]
  raise bad("field `#{name}` missing or not #{klass}") unless value.is_a?(klass)

  value
end

def b64(bytes) = Base64.strict_encode64(bytes.b)

def unb64(text)
  raise bad('a base64 field is not a string') unless text.is_a?(String)

  Base64.strict_decode64(text)
rescue ArgumentError => e
  raise bad("bad base64: #{e.message}")
end

# The request context: only the HTTP API exists (mechanize has no script API), and mechanize
# has no notion of a site for cookies, so the other fields are not used.
def check_context(op)
  ctx = op['context'] || {}
  raise bad('`context` is not an object') unless ctx.is_a?(Hash)
  raise unsupported('mechanize has no non-HTTP (script) cookie API') if (ctx['api'] || 'http') != 'http'
end

# A domain as JSON text: the library keeps what DomainName made of the host or Domain attribute
# (lower case, no leading dot); bytes that are not UTF-8 are shown as U+FFFD.
def domain_text(domain)
  return nil if domain.nil?

  domain.dup.force_encoding(Encoding::UTF_8).scrub
end

# A Time as Unix seconds within the protocol's i64: Max-Age is a Ruby Integer of any size, so
# created_at + max_age can lie beyond it; such an expiry is reported as the i64 bound.
I64 = (-(2**63))..(2**63 - 1)
def unix_seconds(time) = time.to_i.clamp(I64.begin, I64.end)

def dumped(cookie)
  persistent = !cookie.session?
  {
    'name' => b64(cookie.name),
    'value' => b64(cookie.value),
    'domain' => domain_text(cookie.domain),
    'path' => b64(cookie.path),
    'host_only' => !cookie.for_domain?,
    'secure' => cookie.secure ? true : false,
    'http_only' => cookie.httponly ? true : false,
    # http-cookie does not model SameSite at all: the attribute is dropped while parsing.
    'same_site' => nil,
    'persistent' => persistent,
    'expires' => persistent && cookie.expires ? unix_seconds(cookie.expires) : nil,
    'partition_key' => nil
  }
end

# One jar, held by a Mechanize::HTTP::Agent as Mechanize.new builds it.
class Session
  def initialize
    @agent = MechanizePath.new_agent
  end

  def reset(op)
    profile = op['profile'] || 'rfc6265bis'
    raise unsupported("profile #{profile} not supported") unless PROFILES.include?(profile)

    config = op['config'] || {}
    raise bad('`config` is not an object') unless config.is_a?(Hash)
    raise unsupported('http-cookie has no CHIPS (Partitioned)') if config['chips']
    raise unsupported('http-cookie has no third-party cookie policy') if (config['third_party'] || 'allow') != 'allow'

    @agent.cookie_jar = MechanizePath.new_jar
    {}
  end

  def set(op)
    check_context(op)
    url = field(op, 'url', String)
    lines = field(op, 'set_cookie', Array).map { |x| unb64(x) }
    MechanizePath.receive(@agent, url, lines)
    {}
  end

  def get(op)
    check_context(op)
    header = MechanizePath.cookie_header(@agent, field(op, 'url', String))
    { 'cookie' => header && b64(header) }
  end

  def dump(_op)
    { 'cookies' => MechanizePath.stored(@agent).map { |c| dumped(c) } }
  end
end

OPS = %w[reset set get dump].freeze
SESSIONS = {}
SESSIONS_LOCK = Mutex.new
NEXT_ID = [0]

def run_op(session, name, op)
  raise bad('operation is not an object') unless op.is_a?(Hash)
  raise AdapterError.new(404, 'not_found', "no operation `#{name}`") unless OPS.include?(name)

  now = op['now'] # absent: the real clock
  raise bad('`now` is not an integer') unless now.nil? || now.is_a?(Integer)

  OPS_LOCK.synchronize do
    MechanizePath::Clock.at(now) { session.public_send(name, op) }
  rescue MechanizePath::Refused => e
    raise unsupported(e.message)
  end
end

def error_object(e) = { 'error' => e.message, 'kind' => e.kind }

def run_batch(session, body)
  results = []
  field(body, 'ops', Array).each do |op|
    results << run_op(session, op.is_a?(Hash) ? op['op'] : nil, op)
  rescue AdapterError => e
    results << error_object(e)
    break
  rescue StandardError => e # the library failed: report it and stop the batch
    results << { 'error' => "#{e.class}: #{e.message}", 'kind' => 'internal' }
    break
  end
  { 'results' => results }
end

def info
  {
    'protocol' => PROTOCOL,
    'name' => 'ruby-http-cookie',
    'library' => 'http-cookie (HTTP::CookieJar, as mechanize uses it)',
    'version' => HTTP::Cookie::VERSION,
    'runtime' => "Ruby #{RUBY_VERSION}, mechanize #{Mechanize::VERSION}, domain_name #{DomainName::VERSION}, " \
                 "net-http-persistent #{Net::HTTP::Persistent::VERSION}",
    'configuration' => 'mechanize Mechanize.new defaults: Mechanize::CookieJar.new (HTTP::CookieJar, HashStore); ' \
                       'Agent#request_cookies (jar.cookies(uri).join("; ")) before each request, ' \
                       'Agent#response_cookies (jar.parse(field, uri) per Set-Cookie field) after it, ' \
                       'header bytes parsed by Net::HTTPResponse.read_new (ASCII-8BIT); public suffix list ' \
                       "bundled in domain_name (#{DomainName::ETLD_DATA_DATE}); virtual clock by prepending Time.now",
    'parallel' => false,
    'capabilities' => {
      'virtual_clock' => true,
      'script_api' => false,
      'same_site_contexts' => false,
      'partitioned' => false,
      'third_party_policies' => ['allow'],
      'profiles' => PROFILES,
      'configurable' => [],
      'storage_dump' => true,
      'public_suffix_list' => "domain_name #{DomainName::VERSION} bundled list of #{DomainName::ETLD_DATA_DATE[0, 10]} (Debian ruby-domain-name)"
    }
  }
end

def route(method, path, body)
  parts = path.split('?', 2).first.split('/').reject(&:empty?)
  return info if method == 'GET' && parts == ['info']

  if method == 'POST' && parts == ['sessions']
    SESSIONS_LOCK.synchronize do
      NEXT_ID[0] += 1
      id = NEXT_ID[0].to_s
      SESSIONS[id] = Session.new
      return { 'id' => id }
    end
  end
  if parts.length >= 2 && parts[0] == 'sessions'
    session = SESSIONS_LOCK.synchronize { SESSIONS[parts[1]] }
    raise AdapterError.new(404, 'not_found', "no session #{parts[1]}") if session.nil?

    if method == 'DELETE' && parts.length == 2
      SESSIONS_LOCK.synchronize { SESSIONS.delete(parts[1]) }
      return {}
    end
    if method == 'POST' && parts.length == 3
      return run_batch(session, body) if parts[2] == 'batch'

      return run_op(session, parts[2], body)
    end
  end
  raise AdapterError.new(404, 'not_found', "no endpoint #{method} #{path}")
end

REASONS = { 200 => 'OK', 400 => 'Bad Request', 404 => 'Not Found', 422 => 'Unprocessable Entity',
            500 => 'Internal Server Error' }.freeze

def answer(conn, status, obj)
  data = JSON.generate(obj)
  conn.write("HTTP/1.1 #{status} #{REASONS[status]}\r\nContent-Type: application/json\r\n" \
             "Content-Length: #{data.bytesize}\r\n\r\n#{data}")
end

# A minimal HTTP/1.1 server: keep-alive, bodies by Content-Length only (PROTOCOL.md §1).
def serve_connection(conn)
  conn.setsockopt(Socket::IPPROTO_TCP, Socket::TCP_NODELAY, 1) # or every answer waits ~40 ms for an ACK
  loop do
    request_line = conn.gets("\r\n")
    break if request_line.nil?

    method, path = request_line.split(' ', 3)
    headers = {}
    while (line = conn.gets("\r\n"))
      line = line.chomp("\r\n")
      break if line.empty?

      name, value = line.split(':', 2)
      headers[name.strip.downcase] = value.to_s.strip
    end
    length = headers['content-length'].to_i
    raw = length.positive? ? conn.read(length) : ''
    break if raw.nil? || raw.bytesize < length

    begin
      body =
        begin
          raw.strip.empty? ? {} : JSON.parse(raw)
        rescue JSON::ParserError => e
          raise bad("invalid JSON: #{e.message}")
        end
      raise bad('body is not an object') unless body.is_a?(Hash)

      if method == 'POST' && path == '/shutdown'
        answer(conn, 200, {})
        conn.flush
        exit!(0)
      end
      answer(conn, 200, route(method, path, body))
    rescue AdapterError => e
      answer(conn, e.status, error_object(e))
    rescue StandardError => e
      answer(conn, 500, { 'error' => "#{e.class}: #{e.message}", 'kind' => 'internal' })
    end
    break if headers['connection']&.downcase == 'close'
  end
rescue IOError, SystemCallError
  nil # the client went away
ensure
  conn.close unless conn.closed?
end

def main
  port = 0
  args = ARGV.dup
  until args.empty?
    arg = args.shift
    case arg
    when '--port' then port = Integer(args.shift)
    when /\A--port=(\d+)\z/ then port = Integer(Regexp.last_match(1))
    else abort("usage: run.sh [--port N] (unknown argument #{arg})")
    end
  end
  server = TCPServer.new('127.0.0.1', port)
  $stdout.puts "LISTENING #{server.addr[1]}"
  $stdout.flush
  %w[TERM INT].each { |sig| Signal.trap(sig) { exit!(0) } }
  loop do
    conn = server.accept
    Thread.new(conn) { |c| serve_connection(c) }
  end
end

main if $PROGRAM_NAME == __FILE__
