package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pushplatform/pushplatform/internal/documents"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

// TestDocuments serves GET /api/documents/{key} against a real S3 API
// (gofakes3 on loopback): a link that reads the object, 404 for a missing
// key, 400 for a refused key, and no route for writes.
func TestDocuments(t *testing.T) {
	f := newFixture(t)
	s3 := testservers.StartS3(t)
	s3.Put(t, "private-docs", "contracts/2026/acme.pdf", []byte("%PDF acme"))
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIATESTTESTTESTTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	store, err := documents.Open(context.Background(), documents.Config{Bucket: "private-docs", Region: "eu-central-1", TTL: 5 * time.Minute, Endpoint: s3.URL})
	if err != nil {
		t.Fatal(err)
	}
	f.h.docs = store

	for _, prefix := range []string{"/api", ""} {
		status, body, header := f.do(t, http.MethodGet, prefix+"/documents/contracts/2026/acme.pdf", "")
		if status != http.StatusOK || body["key"] != "contracts/2026/acme.pdf" || body["expires_in"] != float64(300) {
			t.Fatalf("GET %s/documents/...: %d %v", prefix, status, body)
		}
		if header.Get("Cache-Control") != "no-store" {
			t.Errorf("a link must not be cached: Cache-Control %q", header.Get("Cache-Control"))
		}
		link, _ := body["url"].(string)
		if u, err := url.Parse(link); err != nil || u.Query().Get("X-Amz-Expires") != "300" {
			t.Fatalf("url %q is not a presigned GET valid 300 s", link)
		}
		res, err := http.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(got) != "%PDF acme" {
			t.Fatalf("the link read %q", got)
		}
	}

	// An escaped slash is a slash of the key, as S3 has it.
	if status, body, _ := f.do(t, http.MethodGet, "/api/documents/contracts%2F2026%2Facme.pdf", ""); status != http.StatusOK {
		t.Errorf("escaped key: %d %v", status, body)
	}
	if status, body, _ := f.do(t, http.MethodGet, "/api/documents/contracts/2026/other.pdf", ""); status != http.StatusNotFound || !strings.Contains(body["error"].(string), "other.pdf") {
		t.Errorf("missing key: %d %v, want 404 naming it", status, body)
	}
	for _, bad := range []string{"/api/documents/../count", "/api/documents/a/%2E%2E/b", "/api/documents/a//b", "/api/documents/", "/api/documents/" + strings.Repeat("k", documents.MaxKeyBytes+1)} {
		status, body, _ := f.do(t, http.MethodGet, bad, "")
		if status != http.StatusBadRequest || !strings.Contains(body["error"].(string), "allowed:") {
			t.Errorf("GET %s: %d %v, want 400 saying what is allowed", bad, status, body)
		}
	}
	if status, _, header := f.do(t, http.MethodPost, "/api/documents/x.pdf", "{}"); status != http.StatusMethodNotAllowed || !strings.Contains(header.Get("Allow"), "GET") {
		t.Errorf("POST: %d Allow %q, want 405", status, header.Get("Allow"))
	}
	if status, _, _ := f.do(t, http.MethodHead, "/api/documents/contracts/2026/acme.pdf", ""); status != http.StatusOK {
		t.Errorf("HEAD: %d", status)
	}
	if status, _, _ := f.do(t, http.MethodGet, "/api/documents/x.pdf", "", "Origin", "https://evil.example"); status != http.StatusForbidden {
		t.Errorf("a refused origin must not get links: %d", status)
	}

	f.h.docs = nil
	if status, body, _ := f.do(t, http.MethodGet, "/api/documents/contracts/2026/acme.pdf", ""); status != http.StatusNotFound || !strings.Contains(body["error"].(string), "DOCUMENTS_BUCKET") {
		t.Errorf("unconfigured: %d %v", status, body)
	}
}

// TestDocumentStoreDown: S3 not answering is a 502 with no detail, not a 404.
func TestDocumentStoreDown(t *testing.T) {
	f := newFixture(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIATESTTESTTESTTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	store, err := documents.Open(context.Background(), documents.Config{Bucket: "docs", Region: "eu-central-1", Endpoint: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	f.h.docs = store
	status, body, _ := f.do(t, http.MethodGet, "/api/documents/a.pdf", "")
	if status != http.StatusBadGateway || strings.Contains(body["error"].(string), "127.0.0.1") {
		t.Errorf("S3 down: %d %v, want 502 without the address", status, body)
	}
}
