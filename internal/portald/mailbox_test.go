package portald

import (
	"io"
	"net"
	"net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// mailbox is a real SMTP server on loopback counting the subjects it gets.
type mailbox struct {
	port     int
	mu       sync.Mutex
	subjects map[string]int
	total    int
}

// startMailbox serves SMTP on a free loopback port until the test ends.
func startMailbox(t *testing.T) *mailbox {
	t.Helper()
	m := &mailbox{subjects: map[string]int{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return mailboxSession{m}, nil }))
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m.port = ln.Addr().(*net.TCPAddr).Port
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return m
}

// waitFor waits until n messages arrived (or fails after 30 s) and returns
// how often each subject was received.
func (m *mailbox) waitFor(t *testing.T, n int) map[string]int {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		m.mu.Lock()
		total := m.total
		m.mu.Unlock()
		if total >= n {
			break
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.total < n {
		t.Fatalf("%d of %d emails arrived", m.total, n)
	}
	out := map[string]int{}
	for k, v := range m.subjects {
		out[k] = v
	}
	return out
}

type mailboxSession struct{ m *mailbox }

func (mailboxSession) Mail(string, *smtp.MailOptions) error { return nil }
func (mailboxSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (mailboxSession) Reset()                               {}
func (mailboxSession) Logout() error                        { return nil }

func (s mailboxSession) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, msg.Body)
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	s.m.subjects[msg.Header.Get("Subject")]++
	s.m.total++
	return nil
}
