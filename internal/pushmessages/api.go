// Package pushmessages is the Push Messages API behind Mozilla's push
// developer dashboard, as upstream push-messages 0.6/0.7 defined it, on
// the layout the push-processor writes (internal/pushprocessor):
//
//	GET    /keys             {"keys": [{"public-key": k}]}
//	POST   /keys             {"public-key": k} -> 201, Location /keys/<k>
//	DELETE /keys/{key}       204 (404 when not registered)
//	GET    /messages/{key}   404 unregistered, 204 none, 200 {"messages": [...]}
//	/__lbheartbeat__, /__heartbeat__, /__version__
//
// Messages come from the Valkey list, or from the push-messages table when
// the cache lost it. Unlike upstream, which had no authentication, every
// endpoint but the health paths needs "Authorization: Bearer <token>".
package pushmessages

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/redis/go-redis/v9"

	"github.com/pushplatform/pushplatform/internal/pushlog"
	pp "github.com/pushplatform/pushplatform/internal/pushprocessor"
)

// Querier is the part of the DynamoDB client the API uses.
type Querier interface {
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// API serves the endpoints.
type API struct {
	Redis   redis.UniversalClient
	DB      Querier
	Table   string
	Token   string
	Version string
	// Limit is the most messages an answer holds (default 100).
	Limit int
	Log   *slog.Logger
}

// MaxBodyBytes bounds a POST /keys body.
const MaxBodyBytes = 4 << 10

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/__lbheartbeat__":
		w.WriteHeader(http.StatusOK)
		return
	case "/__heartbeat__":
		a.heartbeat(w, r)
		return
	case "/__version__":
		writeJSON(w, http.StatusOK, map[string]string{"version": a.Version, "source": "github.com/pushplatform/pushplatform"})
		return
	}
	if !a.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="push-messages"`)
		writeError(w, http.StatusUnauthorized, "send Authorization: Bearer <token> (the token in the push-messages API secret)")
		return
	}
	path := r.URL.Path
	switch {
	case path == "/keys" && r.Method == http.MethodGet:
		a.listKeys(w, r)
	case path == "/keys" && r.Method == http.MethodPost:
		a.addKey(w, r)
	case strings.HasPrefix(path, "/keys/") && r.Method == http.MethodDelete:
		a.deleteKey(w, r, strings.TrimPrefix(path, "/keys/"))
	case strings.HasPrefix(path, "/messages/") && r.Method == http.MethodGet:
		a.messages(w, r, strings.TrimPrefix(path, "/messages/"))
	case path == "/keys" || strings.HasPrefix(path, "/keys/") || strings.HasPrefix(path, "/messages/"):
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s is not allowed on %s", r.Method, path))
	default:
		writeError(w, http.StatusNotFound, fmt.Sprintf("no such path %q; paths: /keys, /keys/{key}, /messages/{key}", path))
	}
}

func (a *API) authorized(r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && a.Token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(a.Token)) == 1
}

func (a *API) heartbeat(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	if err := a.Redis.Ping(ctx).Err(); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "error", "redis": "unreachable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "redis": "ok"})
}

type keyBody struct {
	PublicKey string `json:"public-key"`
}

func (a *API) listKeys(w http.ResponseWriter, r *http.Request) {
	keys, err := a.Redis.HKeys(r.Context(), pp.RegisteredKeys).Result()
	if err != nil {
		a.unavailable(w, err)
		return
	}
	slices.Sort(keys)
	out := struct {
		Keys []keyBody `json:"keys"`
	}{Keys: []keyBody{}}
	for _, k := range keys {
		out.Keys = append(out.Keys, keyBody{k})
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) addKey(w http.ResponseWriter, r *http.Request) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, `send the body as "Content-Type: application/json": {"public-key": "<VAPID public key>"}`)
		return
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body over %d bytes", MaxBodyBytes))
		return
	}
	var b keyBody
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		writeError(w, http.StatusBadRequest, `body must be {"public-key": "<VAPID public key>"}: `+err.Error())
		return
	}
	if problem := checkKey(b.PublicKey); problem != "" {
		writeError(w, http.StatusBadRequest, problem)
		return
	}
	if err := a.Redis.HSet(r.Context(), pp.RegisteredKeys, b.PublicKey, strconv.FormatInt(time.Now().Unix(), 10)).Err(); err != nil {
		a.unavailable(w, err)
		return
	}
	w.Header().Set("Location", "/keys/"+b.PublicKey)
	writeJSON(w, http.StatusCreated, b)
}

func (a *API) deleteKey(w http.ResponseWriter, r *http.Request, key string) {
	if problem := checkKey(key); problem != "" {
		writeError(w, http.StatusBadRequest, problem)
		return
	}
	n, err := a.Redis.HDel(r.Context(), pp.RegisteredKeys, key).Result()
	if err != nil {
		a.unavailable(w, err)
		return
	}
	if n == 0 {
		writeError(w, http.StatusNotFound, "key is not registered")
		return
	}
	// The cached messages go with it; the table's expire on their own.
	a.Redis.Del(r.Context(), key, pp.SeenKey(key))
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) messages(w http.ResponseWriter, r *http.Request, key string) {
	if problem := checkKey(key); problem != "" {
		writeError(w, http.StatusBadRequest, problem)
		return
	}
	ctx := r.Context()
	ok, err := a.Redis.HExists(ctx, pp.RegisteredKeys, key).Result()
	if err != nil {
		a.unavailable(w, err)
		return
	}
	if !ok {
		writeError(w, http.StatusNotFound, "key is not registered")
		return
	}
	limit := a.limit()
	raw, err := a.Redis.LRange(ctx, key, 0, int64(limit)-1).Result()
	if err != nil {
		a.unavailable(w, err)
		return
	}
	msgs := make([]pp.Entry, 0, len(raw))
	for _, s := range raw {
		var e pp.Entry
		if json.Unmarshal([]byte(s), &e) == nil {
			msgs = append(msgs, e)
		}
	}
	if len(msgs) == 0 && a.DB != nil {
		// The cache lost the list (or never had it): the table keeps the
		// history.
		if msgs, err = a.fromTable(ctx, key, limit); err != nil {
			a.unavailable(w, err)
			return
		}
	}
	if len(msgs) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": msgs})
}

func (a *API) fromTable(ctx context.Context, key string, limit int) ([]pp.Entry, error) {
	out, err := a.DB.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(a.Table),
		KeyConditionExpression:    aws.String("#k = :k"),
		ExpressionAttributeNames:  map[string]string{"#k": pp.AttrKey},
		ExpressionAttributeValues: map[string]types.AttributeValue{":k": &types.AttributeValueMemberS{Value: key}},
		ScanIndexForward:          aws.Bool(false), // newest first
		Limit:                     aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, err
	}
	msgs := make([]pp.Entry, 0, len(out.Items))
	for _, it := range out.Items {
		e := pp.Entry{ID: str(it[pp.AttrID]), Timestamp: num(it[pp.AttrTimestamp]), Size: num(it[pp.AttrSize]), TTL: num(it[pp.AttrTTL])}
		msgs = append(msgs, e)
	}
	return msgs, nil
}

func (a *API) limit() int {
	if a.Limit > 0 {
		return a.Limit
	}
	return pp.DefaultKeep
}

func (a *API) unavailable(w http.ResponseWriter, err error) {
	if a.Log != nil {
		a.Log.Error("store unavailable", "error", err.Error())
	}
	writeError(w, http.StatusServiceUnavailable, "the message store is unavailable; try again")
}

func checkKey(k string) string {
	if k == "" || !pushlog.ValidKey(k) {
		return fmt.Sprintf("public key %q: want a VAPID public key in base64url, 1 to %d characters of A-Z a-z 0-9 - _ (and = padding)", truncate(k, 40), pushlog.MaxKeyLength)
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func str(v types.AttributeValue) string {
	if s, ok := v.(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

func num(v types.AttributeValue) int64 {
	if n, ok := v.(*types.AttributeValueMemberN); ok {
		x, _ := strconv.ParseInt(n.Value, 10, 64)
		return x
	}
	return 0
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
