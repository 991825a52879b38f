// Command adapter is the cookie-adapter/1 server (../PROTOCOL.md) for Go's net/http/cookiejar.
//
// The jar is driven the way net/http.Client drives it: a response's cookies are
// `resp.Cookies()` of the http.Response that http.ReadResponse makes of the header bytes (as
// the client reads them off the wire), handed to
// `Jar.SetCookies(req.URL, cookies)`; a request gets `req.AddCookie(c)` for each cookie of
// `Jar.Cookies(req.URL)`. Header bytes are Go strings, byte for byte, as net/http keeps them.
//
// The jar reads time.Now() itself and has no way to be given a time: no virtual clock.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/publicsuffix"
)

const protocol = "cookie-adapter/1"

// Set by install.sh (-ldflags -X): the Debian version of golang-golang-x-net-dev.
var xnetVersion = "unknown"

var profiles = []string{"rfc6265", "rfc6265bis"}

type adapterError struct {
	status int
	kind   string
	msg    string
}

func (e *adapterError) Error() string { return e.msg }

func bad(format string, a ...any) *adapterError {
	return &adapterError{400, "bad_request", fmt.Sprintf(format, a...)}
}

func unsupported(format string, a ...any) *adapterError {
	return &adapterError{422, "unsupported", fmt.Sprintf(format, a...)}
}

// op is any operation: the union of the fields of reset, set, get and dump.
type op struct {
	Op        string          `json:"op"`
	URL       *string         `json:"url"`
	Context   *contextJSON    `json:"context"`
	Now       json.RawMessage `json:"now"`
	SetCookie []string        `json:"set_cookie"`
	Profile   *string         `json:"profile"`
	Config    struct {
		Chips                bool   `json:"chips"`
		ThirdParty           string `json:"third_party"`
		RejectPublicSuffixes *bool  `json:"reject_public_suffixes"`
	} `json:"config"`
}

type contextJSON struct {
	API    string `json:"api"`
	Method string `json:"method"`
}

type session struct {
	mu  sync.Mutex
	jar *cookiejar.Jar
}

// newJar builds the jar as the cookiejar documentation recommends for a client: with the
// public suffix list, unless the case turns public-suffix rejection off.
func newJar(rejectPublicSuffixes bool) *cookiejar.Jar {
	var options cookiejar.Options
	if rejectPublicSuffixes {
		options.PublicSuffixList = publicsuffix.List
	}
	jar, _ := cookiejar.New(&options) // never fails
	return jar
}

// request builds the request as http.NewRequest does for a client call.
func request(o *op) (*http.Request, *adapterError) {
	if o.URL == nil {
		return nil, bad("field `url` missing")
	}
	method := "GET"
	if o.Context != nil {
		if o.Context.API != "" && o.Context.API != "http" {
			return nil, unsupported("net/http/cookiejar has no non-HTTP (script) API")
		}
		if o.Context.Method != "" {
			method = o.Context.Method
		}
	}
	req, err := http.NewRequest(method, *o.URL, nil)
	if err != nil {
		return nil, unsupported("http.NewRequest rejects the request: %v", err)
	}
	// http.Client makes no ws/wss request; Go's websocket clients (gorilla/websocket's Dialer,
	// nhooyr.io/websocket through http.Client) hand the jar the handshake's http/https form
	// of the URL, so that is what the jar sees here too.
	switch req.URL.Scheme {
	case "ws":
		req.URL.Scheme = "http"
	case "wss":
		req.URL.Scheme = "https"
	}
	return req, nil
}

// run runs one operation; a panic in the library becomes an `internal` error.
func (s *session) run(o *op) (result any, aerr *adapterError) {
	defer func() {
		if p := recover(); p != nil {
			result, aerr = nil, &adapterError{500, "internal", fmt.Sprintf("panic: %v", p)}
		}
	}()
	return s.runOp(o)
}

func (s *session) runOp(o *op) (any, *adapterError) {
	if len(o.Now) > 0 && string(o.Now) != "null" {
		if _, err := strconv.ParseInt(string(o.Now), 10, 64); err != nil {
			return nil, bad("`now` is not an integer")
		}
	}
	switch o.Op {
	case "reset":
		if o.Profile != nil && !contains(profiles, *o.Profile) {
			return nil, unsupported("profile %s not supported", *o.Profile)
		}
		if o.Config.Chips {
			return nil, unsupported("net/http/cookiejar has no CHIPS (Partitioned)")
		}
		if o.Config.ThirdParty != "" && o.Config.ThirdParty != "allow" {
			return nil, unsupported("net/http/cookiejar has no third-party cookie policy")
		}
		s.jar = newJar(o.Config.RejectPublicSuffixes == nil || *o.Config.RejectPublicSuffixes)
		return struct{}{}, nil
	case "set":
		req, aerr := request(o)
		if aerr != nil {
			return nil, aerr
		}
		if o.SetCookie == nil {
			return nil, bad("field `set_cookie` missing")
		}
		// The response as net/http reads it off the wire: its own parser (http.ReadResponse,
		// textproto's MIME header reader) splits and checks the header block, so a line with a
		// bare LF is what a Go client meets, or the response it refuses.
		var head bytes.Buffer
		head.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n")
		for _, line := range o.SetCookie {
			raw, err := base64.StdEncoding.Strict().DecodeString(line)
			if err != nil {
				return nil, bad("bad base64: %v", err)
			}
			head.WriteString("Set-Cookie: ")
			head.Write(raw)
			head.WriteString("\r\n")
		}
		head.WriteString("\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(&head), req)
		if err != nil {
			return nil, unsupported("net/http refuses the response, so no cookie of it reaches the jar: %v", err)
		}
		if rc := resp.Cookies(); len(rc) > 0 { // as http.Client does after each response
			s.jar.SetCookies(req.URL, rc)
		}
		return struct{}{}, nil
	case "get":
		req, aerr := request(o)
		if aerr != nil {
			return nil, aerr
		}
		for _, c := range s.jar.Cookies(req.URL) { // as http.Client does before sending
			req.AddCookie(c)
		}
		if values, ok := req.Header["Cookie"]; ok && len(values) > 0 {
			return map[string]any{"cookie": base64.StdEncoding.EncodeToString([]byte(values[0]))}, nil
		}
		return map[string]any{"cookie": nil}, nil
	case "dump":
		return nil, unsupported("net/http/cookiejar cannot list its cookies")
	}
	return nil, &adapterError{404, "not_found", fmt.Sprintf("no operation `%s`", o.Op)}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

type server struct {
	mu       sync.Mutex
	sessions map[string]*session
	nextID   int
}

func info() any {
	return map[string]any{
		"protocol": protocol,
		"name":     "go-cookiejar",
		"library":  "net/http/cookiejar (Go standard library)",
		"version":  runtime.Version(),
		"runtime":  runtime.Version() + ", golang.org/x/net " + xnetVersion + " (Debian)",
		"configuration": "cookiejar.New(&Options{PublicSuffixList: publicsuffix.List}) " +
			"(no list when reject_public_suffixes is false); real clock only",
		"parallel": true,
		"capabilities": map[string]any{
			"virtual_clock":        false,
			"script_api":           false,
			"same_site_contexts":   false,
			"partitioned":          false,
			"third_party_policies": []string{"allow"},
			"profiles":             profiles,
			"configurable":         []string{"reject_public_suffixes"},
			"storage_dump":         false,
			"public_suffix_list":   "golang.org/x/net/publicsuffix " + xnetVersion + " (Debian golang-golang-x-net-dev)",
		},
	}
}

func (sv *server) route(method string, parts []string, body []byte) (any, *adapterError) {
	if method == "GET" && len(parts) == 1 && parts[0] == "info" {
		return info(), nil
	}
	if method == "POST" && len(parts) == 1 && parts[0] == "sessions" {
		sv.mu.Lock()
		defer sv.mu.Unlock()
		sv.nextID++
		id := strconv.Itoa(sv.nextID)
		sv.sessions[id] = &session{jar: newJar(true)}
		return map[string]string{"id": id}, nil
	}
	if len(parts) >= 2 && parts[0] == "sessions" {
		sv.mu.Lock()
		s := sv.sessions[parts[1]]
		if s != nil && method == "DELETE" && len(parts) == 2 {
			delete(sv.sessions, parts[1])
			sv.mu.Unlock()
			return struct{}{}, nil
		}
		sv.mu.Unlock()
		if s == nil {
			return nil, &adapterError{404, "not_found", "no session " + parts[1]}
		}
		if method == "POST" && len(parts) == 3 {
			s.mu.Lock()
			defer s.mu.Unlock()
			if parts[2] == "batch" {
				return s.batch(body)
			}
			var o op
			if err := json.Unmarshal(body, &o); err != nil {
				return nil, bad("invalid request: %v", err)
			}
			o.Op = parts[2]
			return s.run(&o)
		}
	}
	return nil, &adapterError{404, "not_found", fmt.Sprintf("no endpoint %s /%s", method, strings.Join(parts, "/"))}
}

func (s *session) batch(body []byte) (any, *adapterError) {
	var b struct {
		Ops []json.RawMessage `json:"ops"`
	}
	if err := json.Unmarshal(body, &b); err != nil || b.Ops == nil {
		return nil, bad("field `ops` missing or not a list")
	}
	results := make([]any, 0, len(b.Ops))
	for _, raw := range b.Ops {
		var o op
		if err := json.Unmarshal(raw, &o); err != nil {
			results = append(results, map[string]string{"error": "invalid operation: " + err.Error(), "kind": "bad_request"})
			break
		}
		r, aerr := s.run(&o)
		if aerr != nil {
			results = append(results, map[string]string{"error": aerr.msg, "kind": aerr.kind})
			break
		}
		results = append(results, r)
	}
	return map[string]any{"results": results}, nil
}

func answer(w http.ResponseWriter, status int, v any) {
	data, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	w.Write(data)
}

func (sv *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20+1))
	if err != nil {
		answer(w, 400, map[string]string{"error": err.Error(), "kind": "bad_request"})
		return
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		body = []byte("{}")
	}
	if !json.Valid(body) || strings.TrimSpace(string(body))[0] != '{' {
		answer(w, 400, map[string]string{"error": "body is not a JSON object", "kind": "bad_request"})
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if r.Method == "POST" && len(parts) == 1 && parts[0] == "shutdown" {
		answer(w, 200, struct{}{})
		go func() { time.Sleep(50 * time.Millisecond); os.Exit(0) }()
		return
	}
	result, aerr := sv.route(r.Method, parts, body)
	if aerr != nil {
		answer(w, aerr.status, map[string]string{"error": aerr.msg, "kind": aerr.kind})
		return
	}
	answer(w, 200, result)
}

func main() {
	port := flag.Int("port", 0, "TCP port on 127.0.0.1 (0: pick one)")
	flag.Parse()
	// net.Listen's TCP connections have TCP_NODELAY on by default.
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(*port))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("LISTENING %d\n", ln.Addr().(*net.TCPAddr).Port)
	srv := &http.Server{Handler: &server{sessions: map[string]*session{}}}
	fmt.Fprintln(os.Stderr, srv.Serve(ln))
	os.Exit(1)
}
