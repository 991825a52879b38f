// Command live is the real client the go-cookiejar adapter models, for the fidelity check
// (`cookie-conformance fidelity --target go-cookiejar`): a net/http.Client with a
// net/http/cookiejar Jar (with golang.org/x/net/publicsuffix) fetching each URL over a real
// socket from the runner's loopback server, so that net/http's own response parser and the
// Client's own cookie handling (resp.Cookies() into Jar.SetCookies, Jar.Cookies into the
// request) run as they do for a Go program.
//
// Every host name reaches the loopback server: the Transport dials 127.0.0.1 (the port for the
// URL's scheme) while the request, its Host header, the TLS server name and the jar keep the
// URL's host. Certificates are not verified (the server's is self-signed). ws and wss URLs are
// fetched as http and https, as a Go websocket client's handshake request is. The jar reads
// time.Now() itself: the real clock.
//
// Protocol: one JSON object per line on stdin, one answer per line on stdout.
//
//	{"op":"reset"}                                   -> {"ok":true,"virtual_clock":false}
//	{"op":"fetch","url":U,"method":M,"http_port":P,"https_port":Q}
//	                                                 -> {"ok":true} or {"error":E,"kind":K}
package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strconv"
	"time"

	"golang.org/x/net/publicsuffix"
)

type op struct {
	Op        string `json:"op"`
	URL       string `json:"url"`
	Method    string `json:"method"`
	HTTPPort  int    `json:"http_port"`
	HTTPSPort int    `json:"https_port"`
}

var ports struct{ http, https int }

func loopback(ctx context.Context, port int) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
}

// newClient is what a Go program writes: an http.Client whose Jar has the public suffix list.
func newClient() *http.Client {
	jar, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	transport := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return loopback(ctx, ports.http)
		},
		DialTLSContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			conn, err := loopback(ctx, ports.https)
			if err != nil {
				return nil, err
			}
			tlsConn := tls.Client(conn, &tls.Config{ServerName: host, InsecureSkipVerify: true})
			if err := tlsConn.HandshakeContext(ctx); err != nil {
				conn.Close()
				return nil, err
			}
			return tlsConn, nil
		},
		DisableKeepAlives: true,
	}
	return &http.Client{Jar: jar, Transport: transport, Timeout: 10 * time.Second}
}

func fetch(client *http.Client, o op) (map[string]any, error) {
	ports.http, ports.https = o.HTTPPort, o.HTTPSPort
	method := o.Method
	if method == "" {
		method = "GET"
	}
	req, err := http.NewRequest(method, o.URL, nil)
	if err != nil {
		return map[string]any{"error": fmt.Sprintf("http.NewRequest rejects the request: %v", err), "kind": "unsupported"}, nil
	}
	switch req.URL.Scheme {
	case "ws":
		req.URL.Scheme = "http"
	case "wss":
		req.URL.Scheme = "https"
	case "http", "https":
	default:
		return map[string]any{"error": "http.Client fetches http and https URLs only", "kind": "unsupported"}, nil
	}
	resp, err := client.Do(req)
	if err != nil {
		// A connection that fails is the harness's problem; any other error is net/http refusing
		// the response (a malformed header line, ...), so no cookie of it reaches the jar.
		var opErr *net.OpError
		if errors.As(err, &opErr) {
			return nil, err
		}
		return map[string]any{"error": fmt.Sprintf("net/http.Client refuses the response: %v", err), "kind": "unsupported"}, nil
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return nil, err
	}
	return map[string]any{"ok": true}, nil
}

func main() {
	client := newClient()
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var o op
		var answer map[string]any
		if err := json.Unmarshal(in.Bytes(), &o); err != nil {
			answer = map[string]any{"error": err.Error(), "kind": "failed"}
		} else {
			switch o.Op {
			case "reset":
				client = newClient()
				answer = map[string]any{"ok": true, "virtual_clock": false}
			case "fetch":
				a, err := fetch(client, o)
				if err != nil {
					a = map[string]any{"error": err.Error(), "kind": "failed"}
				}
				answer = a
			default:
				answer = map[string]any{"error": "unknown op " + o.Op, "kind": "failed"}
			}
		}
		if err := out.Encode(answer); err != nil {
			os.Exit(1)
		}
	}
}
