package portald

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/portalctl/portalctl/internal/autotask"
	"github.com/spf13/cobra"
)

// The Autotask API user's credentials come from these environment variables,
// or from the --autotask-config file (JSON with the same three values), which
// must be readable by its owner only: it holds a secret.
const (
	envAutotaskUsername        = "AUTOTASK_USERNAME"
	envAutotaskSecret          = "AUTOTASK_SECRET"
	envAutotaskIntegrationCode = "AUTOTASK_INTEGRATION_CODE"
)

// autotaskFlags are the flags of every command that talks to Autotask.
type autotaskFlags struct {
	configFile   string
	baseURL      string // skips zone discovery (tests, or a pinned zone)
	discoveryURL string
	hourlyLimit  int
}

func (f *autotaskFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.configFile, "autotask-config", "", "JSON file (mode 0600) with the Autotask API user's username, secret and integration_code (default: the AUTOTASK_* environment variables)")
	fl.StringVar(&f.baseURL, "autotask-url", "", "Autotask REST base URL ending in /v1.0/ (default: discovered from the API user's zone)")
	fl.StringVar(&f.discoveryURL, "autotask-discovery-url", "", "zone discovery service (default: Autotask's)")
	fl.IntVar(&f.hourlyLimit, "autotask-hourly-limit", 10000, "Autotask requests portald may make per hour (Autotask allows 10,000 per database, shared by every integration)")
	_ = fl.MarkHidden("autotask-discovery-url")
}

// autotaskConfigFile is the --autotask-config file's content.
type autotaskConfigFile struct {
	Username        string `json:"username"`
	Secret          string `json:"secret"`
	IntegrationCode string `json:"integration_code"`
}

// credentials reads the API user's credentials from the config file or the
// environment. Messages name the file or variable to fix, never a secret.
func (f *autotaskFlags) credentials() (autotask.Credentials, error) {
	if f.configFile != "" {
		return readAutotaskConfig(f.configFile)
	}
	c := autotask.Credentials{
		Username:        os.Getenv(envAutotaskUsername),
		Secret:          os.Getenv(envAutotaskSecret),
		IntegrationCode: os.Getenv(envAutotaskIntegrationCode),
	}
	if c.Username == "" || c.Secret == "" || c.IntegrationCode == "" {
		return c, usageError{fmt.Errorf("set %s, %s and %s (the Autotask API user's credentials), or pass --autotask-config FILE",
			envAutotaskUsername, envAutotaskSecret, envAutotaskIntegrationCode)}
	}
	return c, nil
}

func readAutotaskConfig(path string) (autotask.Credentials, error) {
	info, err := os.Stat(path)
	if err != nil {
		return autotask.Credentials{}, fmt.Errorf("cannot read --autotask-config: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return autotask.Credentials{}, fmt.Errorf("%s holds the Autotask secret but others can read it (mode %04o); run: chmod 600 %s",
			path, info.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return autotask.Credentials{}, fmt.Errorf("cannot read --autotask-config: %w", err)
	}
	var file autotaskConfigFile
	if err := json.Unmarshal(b, &file); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return autotask.Credentials{}, fmt.Errorf("%s is not valid JSON (offset %d); it needs username, secret and integration_code", path, syntax.Offset)
		}
		return autotask.Credentials{}, fmt.Errorf("%s: %v; it needs username, secret and integration_code", path, err)
	}
	c := autotask.Credentials{Username: file.Username, Secret: file.Secret, IntegrationCode: file.IntegrationCode}
	if c.Username == "" || c.Secret == "" || c.IntegrationCode == "" {
		return c, fmt.Errorf("%s needs username, secret and integration_code, each non-empty", path)
	}
	return c, nil
}

// client connects to Autotask (discovering the zone unless --autotask-url).
func (f *autotaskFlags) client(ctx context.Context, logger *slog.Logger) (*autotask.Client, error) {
	creds, err := f.credentials()
	if err != nil {
		return nil, err
	}
	if f.hourlyLimit < 1 {
		return nil, usageError{errors.New("--autotask-hourly-limit must be at least 1")}
	}
	// portalctl already retries a 503 with backoff, so portald's own retries
	// of a failing Autotask stay short: layered retries multiply the wait.
	c, err := autotask.New(ctx, autotask.Config{Credentials: creds, BaseURL: f.baseURL,
		DiscoveryURL: f.discoveryURL, HourlyLimit: f.hourlyLimit, Logger: logger,
		MaxRetries: 2, RetryBase: 250 * time.Millisecond, MaxRetryWait: 10 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("cannot connect to Autotask: %w", err)
	}
	return c, nil
}
