// Package smtptest is a real SMTP server (emersion/go-smtp) on a loopback
// port for tests: it records every message, can refuse them (554) or be slow
// to accept them, can refuse chosen recipients (550 for good, or 451 a few
// times first), can drop the connection at QUIT after taking the message,
// and can be stopped and started again on the same port to play a mail
// server that is down.
package smtptest

import (
	"bytes"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/mail"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one message as the server received it.
type Message struct {
	From string
	To   []string
	Data []byte // the whole message, headers and body
}

// Subject is the message's Subject header as sent (not MIME-decoded).
func (m Message) Subject() string {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return ""
	}
	return msg.Header.Get("Subject")
}

// DecodedSubject is the Subject header with its RFC 2047 encoded words
// decoded, as a mail reader shows it.
func (m Message) DecodedSubject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(m.Subject())
	if err != nil {
		return m.Subject()
	}
	return s
}

// Server is the test SMTP server. Port is fixed for its whole life.
type Server struct {
	Port int
	t    testing.TB

	mu         sync.Mutex
	msgs       []Message
	reject     bool
	delay      time.Duration
	dropAtQuit bool
	rcpt       map[string][]int // address → reply codes still to give to its RCPT TO
	srv        *smtp.Server

	dataOnce    sync.Once
	dataStarted chan struct{}
}

// New serves on a free loopback port until the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := NewStopped(t)
	s.Start()
	return s
}

// NewStopped picks a free loopback port but does not serve on it until
// Start: a mail server that is down (connections refused).
func NewStopped(t testing.TB) *Server {
	t.Helper()
	s := &Server{Port: freePortBelowEphemeral(t), t: t, dataStarted: make(chan struct{})}
	t.Cleanup(s.Stop)
	return s
}

// freePortBelowEphemeral returns a loopback port that is free now and that
// nobody else gets while it is unused: it lies below the kernel's ephemeral
// range, where every ":0" listener of the parallel test processes (portald,
// PostgreSQL, other mail servers) is placed. A port from ":0" was sometimes
// handed to one of those between NewStopped and Start, and the "down" mail
// server then answered.
func freePortBelowEphemeral(t testing.TB) int {
	t.Helper()
	low := 32768 // Linux's default start of the ephemeral range
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil && n > 2048 {
				low = n
			}
		}
	}
	for range 200 {
		port := 1024 + rand.IntN(low-1024)
		ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err == nil {
			ln.Close()
			return port
		}
	}
	t.Fatalf("smtptest: no free loopback port below %d", low)
	return 0
}

// Start serves on Port.
func (s *Server) Start() {
	s.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(s.Port))
	if err != nil {
		s.t.Fatal(err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go srv.Serve(quitDropper{ln, s})
}

// Stop closes the server; connections to Port are refused until Start.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		s.srv.Close()
		s.srv = nil
	}
}

// SetReject makes the server refuse (true) or take (false) every message.
func (s *Server) SetReject(v bool) { s.mu.Lock(); s.reject = v; s.mu.Unlock() }

// DataStarted is closed when a client first sends DATA: a test that must act
// mid-transaction waits on it instead of guessing with a timer, which a
// loaded machine outruns.
func (s *Server) DataStarted() <-chan struct{} { return s.dataStarted }

// SetDelay makes the server wait d before answering a message, like a busy relay.
func (s *Server) SetDelay(d time.Duration) { s.mu.Lock(); s.delay = d; s.mu.Unlock() }

// SetDropAtQuit makes the server close the connection when the client says
// QUIT instead of answering 221, as a proxy or a server crash may do once
// the message is already taken (250 after DATA).
func (s *Server) SetDropAtQuit(v bool) { s.mu.Lock(); s.dropAtQuit = v; s.mu.Unlock() }

// SetRcptReplies sets the replies to RCPT TO:<addr>, one per attempt, in
// order; the last one then stays. 250 takes the recipient, 4xx refuses it
// for now, 5xx for good: (addr, 550) refuses it always, (addr, 451, 250)
// once and then takes it.
func (s *Server) SetRcptReplies(addr string, codes ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rcpt == nil {
		s.rcpt = map[string][]int{}
	}
	s.rcpt[strings.ToLower(addr)] = codes
}

// rcptReply takes the next reply planned for addr (250 when none is).
func (s *Server) rcptReply(addr string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	codes := s.rcpt[strings.ToLower(addr)]
	if len(codes) == 0 {
		return 250
	}
	if len(codes) > 1 {
		s.rcpt[strings.ToLower(addr)] = codes[1:]
	}
	return codes[0]
}

// Messages are the messages taken so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Subjects counts the messages taken so far by subject.
func (s *Server) Subjects() map[string]int {
	out := map[string]int{}
	for _, m := range s.Messages() {
		out[m.Subject()]++
	}
	return out
}

// Received counts, for each envelope recipient, the messages with subject
// (decoded) that the server took for it.
func (s *Server) Received(subject string) map[string]int {
	out := map[string]int{}
	for _, m := range s.Messages() {
		if m.DecodedSubject() == subject {
			for _, to := range m.To {
				out[to]++
			}
		}
	}
	return out
}

// WaitFor waits until n messages were taken (failing the test after 30 s)
// and returns Subjects.
func (s *Server) WaitFor(t testing.TB, n int) map[string]int {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); len(s.Messages()) < n; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d emails arrived", len(s.Messages()), n)
		}
	}
	return s.Subjects()
}

type session struct {
	s   *Server
	cur Message
}

func (x *session) Reset()        { x.cur = Message{} }
func (x *session) Logout() error { return nil }

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.cur.From = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	switch code := x.s.rcptReply(to); {
	case code >= 500:
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	case code >= 400:
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "mailbox busy, try again later"}
	}
	x.cur.To = append(x.cur.To, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	x.s.dataOnce.Do(func() { close(x.s.dataStarted) })
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	delay := x.s.delay
	x.s.mu.Unlock()
	time.Sleep(delay)
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.reject {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "relay denied"}
	}
	x.cur.Data = b
	x.s.msgs = append(x.s.msgs, x.cur)
	return nil
}

// quitDropper hands the server connections that, while dropAtQuit is set,
// close instead of passing a QUIT command on. The client sends QUIT on its
// own after the reply to DATA, so it starts a read.
type quitDropper struct {
	net.Listener
	s *Server
}

func (l quitDropper) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &quitDroppingConn{Conn: c, s: l.s}, nil
}

type quitDroppingConn struct {
	net.Conn
	s *Server
}

func (c *quitDroppingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.s.mu.Lock()
	drop := c.s.dropAtQuit
	c.s.mu.Unlock()
	if drop && n >= 4 && strings.EqualFold(string(p[:4]), "QUIT") {
		c.Conn.Close()
		return 0, io.EOF
	}
	return n, err
}
