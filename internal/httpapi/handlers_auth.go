package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

func (h *handler) login(w http.ResponseWriter, r *http.Request) {
	var req api.CreateTokenRequest
	if err := h.decodeBody(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	// The IP, the username at that IP and the username from anywhere are
	// limited (loginLimits): neither spraying one password over many users
	// nor many passwords at one user gets far, and no single address can
	// lock a user out. Only failures count. A code sign-in is limited per
	// email address, as sending codes is.
	who := strings.ToLower(strings.TrimSpace(req.Username))
	if req.Email != "" {
		who = codeIdentity(req.Email)
	}
	wait, ok, counted, err := h.logins.allow(r.Context(), clientIP(r), who)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if !ok {
		h.audit(r, "login.rate_limited", "attempted_username", req.Username)
		h.writeError(w, r, rateLimited(wait))
		return
	}
	tok, err := h.svc.Login(r.Context(), req)
	if err != nil {
		h.audit(r, "login.failed", "attempted_username", req.Username)
		h.writeError(w, r, err)
		return
	}
	h.logins.forget(r.Context(), counted)
	h.audit(r, "login.succeeded", "attempted_username", req.Username, "token_id", tok.ID)
	writeJSON(w, http.StatusCreated, tok)
}

// loginCode sends a one-time sign-in code to an email address. The answer
// is the same whether the address belongs to a portal user or not; the
// client address and the email address are each rate-limited as logins are.
func (h *handler) loginCode(w http.ResponseWriter, r *http.Request) {
	var req api.LoginCodeRequest
	if err := h.decodeBody(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	wait, ok, _, err := h.logins.allow(r.Context(), clientIP(r), codeIdentity(req.Email))
	if err == nil && !ok {
		h.audit(r, "login_code.rate_limited", "attempted_email", req.Email)
		err = rateLimited(wait)
	}
	if err == nil {
		err = h.svc.SendLoginCode(r.Context(), req.Email)
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.audit(r, "login_code.requested", "attempted_email", req.Email)
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "sent",
		"message": "if this address belongs to a portal user, a sign-in code is on its way to it; it works once, for 10 minutes"})
}

// codeIdentity is the login-limit identity of a sign-in by emailed code:
// the address, apart from any username.
func codeIdentity(email string) string {
	return "email " + strings.ToLower(strings.TrimSpace(email))
}

func (h *handler) listTokens(w http.ResponseWriter, r *http.Request) {
	toks, err := h.svc.Tokens(r.Context(), userFrom(r))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, api.List[api.Token]{Items: toks})
}

func (h *handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "token")
	if err == nil {
		err = h.svc.RevokeToken(r.Context(), userFrom(r), id)
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.audit(r, "token.revoked", "token_id", id)
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) revokeCurrentToken(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r)
	if err := h.svc.RevokeToken(r.Context(), u, u.TokenID); err != nil {
		h.writeError(w, r, err)
		return
	}
	h.audit(r, "token.revoked", "token_id", u.TokenID)
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) me(w http.ResponseWriter, r *http.Request) {
	me, err := h.svc.Me(r.Context(), userFrom(r))
	respond(h, w, r, me, err)
}

func (h *handler) organizations(w http.ResponseWriter, r *http.Request) {
	orgs, err := h.svc.Organizations(r.Context(), userFrom(r))
	respond(h, w, r, api.List[api.Organization]{Items: orgs}, err)
}

func (h *handler) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (h *handler) readyz(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.Ready(r.Context()); err != nil {
		h.writeError(w, r, err)
		return
	}
	body := map[string]any{"status": "ready"}
	if c, err := h.svc.Copy(r.Context()); err == nil && c.IsCopy {
		body["data_as_of"], body["data_age_seconds"] = c.AsOf.UTC().Format(time.RFC3339), int64(c.Age.Seconds())
		setCopyHeaders(w, c)
	}
	writeJSON(w, http.StatusOK, body)
}

// respond writes v with 200, or the error.
func respond(h *handler, w http.ResponseWriter, r *http.Request, v any, err error) {
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// pathID parses a numeric {id} path value.
func pathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, api.NotFound(what)
	}
	return id, nil
}

// boolParam parses an optional true/false query parameter.
func boolParam(r *http.Request, name string) (bool, error) {
	switch v := r.URL.Query().Get(name); v {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	default:
		return false, api.Invalid(name, "%s must be true or false, not %q", name, v)
	}
}
