package tlsvalidate

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// HTTPResponse is one HTTP/1.x response read from the decrypted
// application data of the server, and whether it is complete by its
// framing (RFC 9112 §6.3).
type HTTPResponse struct {
	Status int `json:"status"`
	// Framing: "content-length", "chunked", "none" (1xx, 204, 304, or a
	// response to HEAD: no content, §6.3 items 1-2), or
	// "close-delimited" (§6.3 item 8: the content ends with the
	// connection).
	Framing  string `json:"framing"`
	Length   int    `json:"length"` // content octets read
	Complete bool   `json:"complete"`
	Text     string `json:"text"`
}

// maxHeader bounds a response's header section.
const maxHeader = 64 << 10

// httpResponses reads the HTTP/1.x responses of the server's decrypted
// stream resp, answering the requests of the client's req (for HEAD);
// closeNotify says whether the server's close_notify was seen. A
// close-delimited response is complete only with close_notify: over TLS
// a connection closed without it may have been truncated (RFC 9112 §9.8).
func httpResponses(req, resp []byte, closeNotify bool) ([]HTTPResponse, bool) {
	if !bytes.HasPrefix(resp, []byte("HTTP/1.")) {
		return nil, false
	}
	methods := requestMethods(req)
	var out []HTTPResponse
	for i := 0; len(resp) > 0; i++ {
		end := bytes.Index(resp, []byte("\r\n\r\n"))
		if end < 0 || end > maxHeader {
			out = append(out, HTTPResponse{Framing: "header", Text: "the header section is incomplete"})
			return out, true
		}
		head := string(resp[:end])
		resp = resp[end+4:]
		lines := strings.Split(head, "\r\n")
		r := HTTPResponse{}
		f := strings.Fields(lines[0])
		if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/1.") {
			out = append(out, HTTPResponse{Framing: "header", Text: fmt.Sprintf("not a status line: %q", lines[0])})
			return out, true
		}
		r.Status, _ = strconv.Atoi(f[1])
		var cl = -1
		chunked := false
		for _, l := range lines[1:] {
			k, v, ok := strings.Cut(l, ":")
			if !ok {
				continue
			}
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "content-length":
				if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
					cl = n
				}
			case "transfer-encoding":
				te := strings.ToLower(v)
				chunked = strings.HasSuffix(strings.TrimSpace(te), "chunked")
			}
		}
		method := ""
		if i < len(methods) {
			method = methods[i]
		}
		switch {
		case r.Status/100 == 1 || r.Status == 204 || r.Status == 304 || method == "HEAD":
			r.Framing, r.Complete = "none", true
			if r.Status/100 == 1 {
				i-- // an interim response: the final one answers the same request
			}
		case chunked:
			r.Framing = "chunked"
			n, rest, ok := readChunked(resp)
			r.Length, r.Complete = n, ok
			resp = rest
		case cl >= 0:
			r.Framing = "content-length"
			r.Length = min(cl, len(resp))
			r.Complete = len(resp) >= cl
			resp = resp[r.Length:]
		default:
			r.Framing = "close-delimited"
			r.Length = len(resp)
			r.Complete = closeNotify
			resp = nil
		}
		r.Text = fmt.Sprintf("HTTP %d, %s, %d octets: ", r.Status, r.Framing, r.Length)
		switch {
		case r.Complete && r.Framing == "close-delimited":
			r.Text += "complete (ended by close_notify, RFC 9112 §9.8)"
		case r.Complete:
			r.Text += "complete"
		case r.Framing == "close-delimited":
			r.Text += "possibly truncated: the content ends with the connection, and no close_notify ended it (RFC 9112 §9.8)"
		default:
			r.Text += "incomplete by its framing (RFC 9112 §6.3)"
		}
		out = append(out, r)
	}
	return out, true
}

// readChunked reads a chunked body (RFC 9112 §7.1): the content length,
// what follows it, and whether the last chunk and trailer section came.
func readChunked(b []byte) (int, []byte, bool) {
	n := 0
	for {
		eol := bytes.Index(b, []byte("\r\n"))
		if eol < 0 {
			return n, nil, false
		}
		sizeText, _, _ := strings.Cut(string(b[:eol]), ";")
		size, err := strconv.ParseInt(strings.TrimSpace(sizeText), 16, 32)
		if err != nil || size < 0 {
			return n, nil, false
		}
		b = b[eol+2:]
		if size == 0 {
			// The trailer section ends with an empty line.
			end := bytes.Index(b, []byte("\r\n"))
			for end > 0 {
				b = b[end+2:]
				end = bytes.Index(b, []byte("\r\n"))
			}
			if end < 0 {
				return n, nil, false
			}
			return n, b[2:], true
		}
		if len(b) < int(size)+2 {
			return n + len(b), nil, false
		}
		n += int(size)
		b = b[size+2:]
	}
}

// requestMethods lists the methods of the requests in a client stream
// (their content, by Content-Length, is skipped; a chunked request ends
// the list).
func requestMethods(req []byte) []string {
	var out []string
	for len(req) > 0 {
		end := bytes.Index(req, []byte("\r\n\r\n"))
		if end < 0 {
			break
		}
		lines := strings.Split(string(req[:end]), "\r\n")
		m, _, _ := strings.Cut(lines[0], " ")
		out = append(out, m)
		req = req[end+4:]
		for _, l := range lines[1:] {
			k, v, _ := strings.Cut(l, ":")
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "content-length":
				if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
					req = req[min(n, len(req)):]
				}
			case "transfer-encoding":
				return out
			}
		}
	}
	return out
}
