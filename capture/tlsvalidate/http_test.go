package tlsvalidate

import (
	"strings"
	"testing"
)

func TestHTTPResponses(t *testing.T) {
	get := "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
	for _, tc := range []struct {
		name, req, resp string
		closeNotify     bool
		want            []string // framing:complete per response
	}{
		{"content-length complete", get, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", false, []string{"content-length:true"}},
		{"content-length short", get, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhello", true, []string{"content-length:false"}},
		{"chunked complete, then another", get + get, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", false, []string{"chunked:true", "none:true"}},
		{"chunked without its last chunk", get, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", true, []string{"chunked:false"}},
		{"chunked with a trailer", get, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;x=y\r\na\r\n0\r\nX-T: 1\r\n\r\n", false, []string{"chunked:true"}},
		{"HEAD has no content", "HEAD / HTTP/1.1\r\n\r\n" + get, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false, []string{"none:true", "content-length:true"}},
		{"an interim response", "POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nab", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", false, []string{"none:true", "content-length:true"}},
		{"close-delimited with close_notify", get, "HTTP/1.0 200 OK\r\n\r\nall of it", true, []string{"close-delimited:true"}},
		{"close-delimited without close_notify", get, "HTTP/1.0 200 OK\r\n\r\nall of it", false, []string{"close-delimited:false"}},
		{"a header cut short", get, "HTTP/1.1 200 OK\r\nContent-Len", true, []string{"header:false"}},
	} {
		rs, ok := httpResponses([]byte(tc.req), []byte(tc.resp), tc.closeNotify)
		if !ok {
			t.Fatalf("%s: not HTTP", tc.name)
		}
		var got []string
		for _, r := range rs {
			got = append(got, r.Framing+":"+map[bool]string{true: "true", false: "false"}[r.Complete])
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if _, ok := httpResponses(nil, []byte("\x16\x03\x03"), true); ok {
		t.Error("not HTTP taken for HTTP")
	}
}

// TestHTTPOverTLS: the HTTP/1.0 responses of the real captures are
// close-delimited: complete with the server's close_notify (tls13), and
// possibly truncated without it (cut12, cut13).
func TestHTTPOverTLS(t *testing.T) {
	for name, complete := range map[string]bool{"tls13": true, "ecdhe12": true, "cut12": false, "cut13": false} {
		conns, keys := load(t, name)
		v := ValidateTLS(conns[0].conn, conns[0].tcp, conns[0].p, keys)
		if len(v.HTTP) != 1 || v.HTTP[0].Framing != "close-delimited" || v.HTTP[0].Complete != complete || v.HTTP[0].Status != 200 {
			t.Errorf("%s: %+v, want one close-delimited 200 response, complete %v", name, v.HTTP, complete)
		}
		if nk := ValidateTLS(conns[0].conn, conns[0].tcp, conns[0].p, nil); nk.HTTP != nil {
			t.Errorf("%s without keys: HTTP %+v", name, nk.HTTP)
		}
	}
}
